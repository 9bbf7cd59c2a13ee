import { baseImages, TRIXIE } from '../../kit/images.ts';
import { overrideWarnings } from '../../kit/warnings.ts';
import type { Options } from '../../options/types.ts';

/**
 * Builder and runtime images for a registry prefix (null = public images) and Node.js major.
 * Both are Debian 13 (trixie) with the same Node.js major, so what the builder installed and
 * compiled runs on the runtime's node.
 */
export function nodeImages(registry: string | null, major: string): { builder: string; runtime: string } {
  return baseImages(registry, `node:${major}-${TRIXIE.release}-slim`, `distroless/nodejs${major}-${TRIXIE.distroless}:nonroot`);
}

/** Advice printed before writing: an overridden image must still carry the other one's Node.js. */
export function nodeWarnings(options: Pick<Options, 'builderImage' | 'runtimeImage' | 'runtimeVersion'>): string[] {
  const major = options.runtimeVersion;
  return overrideWarnings(options, {
    together:
      `Both images must carry Node.js ${major} (the defaults pair node:${major}-trixie-slim with distroless ` +
      `nodejs${major}-debian13); otherwise the code is type-checked and tested against one Node.js and run on another.`,
  });
}
