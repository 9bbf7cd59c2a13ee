/** A Debian release as the builder images name it (`trixie`) and as distroless does (`debian13`). */
export interface Debian {
  release: string;
  distroless: string;
}

export const TRIXIE: Debian = { release: 'trixie', distroless: 'debian13' };
export const BOOKWORM: Debian = { release: 'bookworm', distroless: 'debian12' };

/** The Debian release that carries a runtime version, from a language's table; trixie when unlisted. */
export const debianOf = (releases: Readonly<Record<string, Debian>>, version: string): Debian => releases[version] ?? TRIXIE;

/**
 * Builder and runtime images for a registry prefix: both under it, or (null) the public ones, the
 * distroless runtime from gcr.io.
 */
export function baseImages(registry: string | null, builder: string, distroless: string): { builder: string; runtime: string } {
  return registry ? { builder: `${registry}/${builder}`, runtime: `${registry}/${distroless}` } : { builder, runtime: `gcr.io/${distroless}` };
}
