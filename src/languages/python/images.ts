import { overrideWarnings } from '../../kit/warnings.ts';
import type { Options } from '../../options/types.ts';

/** Debian release and distroless suffix that carry each Python minor version. */
const RELEASES: Record<string, { release: string; distroless: string }> = {
  '3.13': { release: 'trixie', distroless: 'debian13' },
  '3.11': { release: 'bookworm', distroless: 'debian12' },
};

function releaseOf(version: string): { release: string; distroless: string } {
  return RELEASES[version] ?? { release: 'trixie', distroless: 'debian13' };
}

/**
 * Builder and runtime images for a registry prefix (null = public images). Both come from the
 * same Debian release so the builder's Python matches the runtime's (minor version and ABI).
 */
export function pythonImages(registry: string | null, version: string): { builder: string; runtime: string } {
  const debian = releaseOf(version);
  const builder = `python:${version}-slim-${debian.release}`;
  const runtime = `distroless/python3-${debian.distroless}:nonroot`;
  return registry
    ? { builder: `${registry}/${builder}`, runtime: `${registry}/${runtime}` }
    : { builder, runtime: `gcr.io/${runtime}` };
}

/** Advice printed before writing: an overridden image must still match the other one. */
export function pythonWarnings(options: Pick<Options, 'builderImage' | 'runtimeImage' | 'runtimeVersion'>): string[] {
  const debian = releaseOf(options.runtimeVersion);
  return overrideWarnings(options, {
    together:
      `Both images must carry Python ${options.runtimeVersion} of the same Debian release (the defaults pair ` +
      `python:${options.runtimeVersion}-slim-${debian.release} with distroless python3-${debian.distroless}); ` +
      'otherwise packages built in the builder may not load at run time.',
  });
}
