import type { Options } from '../options/types.ts';

/**
 * The warning printed before writing when a base image was overridden: what the images must still
 * have in common, said once for both (`together`) or for each image on its own.
 */
export function overrideWarnings(
  options: Pick<Options, 'builderImage' | 'runtimeImage'>,
  advice: { together: string } | { builder: string; runtime: string },
): string[] {
  const overridden = [
    options.builderImage ? { image: 'builder', text: `builder image (${options.builderImage})` } : null,
    options.runtimeImage ? { image: 'runtime', text: `runtime image (${options.runtimeImage})` } : null,
  ].filter((item) => item !== null);
  if ('together' in advice) return overridden.length ? [`You overrode the ${overridden.map((o) => o.text).join(' and the ')}. ${advice.together}`] : [];
  return overridden.map((o) => `You overrode the ${o.text}. ${o.image === 'builder' ? advice.builder : advice.runtime}`);
}
