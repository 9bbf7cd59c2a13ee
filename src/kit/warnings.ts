import type { Options } from '../options/types.ts';
import { apiHost, DOCKER_HUB, locateImage } from '../registry/reference.ts';

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

/** The answers that name an image of their own, as their flags say them. */
const IMAGE_ANSWERS = [
  ['syntax', '--syntax'],
  ['certBundle', '--cert-bundle'],
  ['builderImage', '--builder-image'],
  ['runtimeImage', '--runtime-image'],
] as const satisfies ReadonlyArray<readonly [keyof Options, string]>;

/**
 * With --registry, the one warning about images named on another host: a build that may reach only
 * the registry (the reason to name one) fails when it pulls them. None without a registry.
 */
export function offRegistryWarnings(options: Pick<Options, 'registry' | 'syntax' | 'certBundle' | 'builderImage' | 'runtimeImage'>): string[] {
  if (!options.registry) return [];
  const host = apiHost(options.registry.split('/')[0]!);
  const elsewhere = IMAGE_ANSWERS.flatMap(([key, flag]) => {
    const image = options[key];
    if (!image) return [];
    const location = locateImage(image);
    return 'host' in location && location.host !== host ? [`${image} (${flag}, on ${location.host === DOCKER_HUB.host ? 'Docker Hub' : location.host})`] : [];
  });
  if (elsewhere.length === 0) return [];
  return [
    `--registry ${options.registry}: ${elsewhere.join(', ')} ${elsewhere.length === 1 ? 'is' : 'are'} not on ${host}. ` +
      `A build that may reach only ${host} fails when it pulls ${elsewhere.length === 1 ? 'it' : 'them'}: mirror ${elsewhere.length === 1 ? 'it' : 'them'} there and name the mirror, or make sure the build can reach ${elsewhere.length === 1 ? 'that host' : 'those hosts'}.`,
  ];
}
