import { baseImages, BOOKWORM, debianOf, TRIXIE } from '../../kit/images.ts';
import { overrideWarnings } from '../../kit/warnings.ts';
import type { Options } from '../../options/types.ts';

/** Debian release and distroless suffix that carry each Python minor version. */
const RELEASES = { '3.13': TRIXIE, '3.11': BOOKWORM };

/**
 * Builder and runtime images for a registry prefix (null = public images). Both come from the
 * same Debian release so the builder's Python matches the runtime's (minor version and ABI).
 */
export function pythonImages(registry: string | null, version: string): { builder: string; runtime: string } {
  const debian = debianOf(RELEASES, version);
  return baseImages(registry, `python:${version}-slim-${debian.release}`, `distroless/python3-${debian.distroless}:nonroot`);
}

/** Advice printed before writing: an overridden image must still match the other one. */
export function pythonWarnings(options: Pick<Options, 'builderImage' | 'runtimeImage' | 'runtimeVersion'>): string[] {
  const debian = debianOf(RELEASES, options.runtimeVersion);
  return overrideWarnings(options, {
    together:
      `Both images must carry Python ${options.runtimeVersion} of the same Debian release (the defaults pair ` +
      `python:${options.runtimeVersion}-slim-${debian.release} with distroless python3-${debian.distroless}); ` +
      'otherwise packages built in the builder may not load at run time.',
  });
}
