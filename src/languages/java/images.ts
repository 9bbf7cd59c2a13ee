import { overrideWarnings } from '../../kit/warnings.ts';
import type { Options } from '../../options/types.ts';

/**
 * Debian release of each Java major's images. distroless carries Java 21 and 25 on Debian 13
 * and 17 only on Debian 12; the Maven builder comes from the same Debian release (official
 * `maven:3.9-amazoncorretto-<major>-debian-<release>` images).
 */
const RELEASES: Record<string, { release: string; distroless: string }> = {
  '21': { release: 'trixie', distroless: 'debian13' },
  '25': { release: 'trixie', distroless: 'debian13' },
  '17': { release: 'bookworm', distroless: 'debian12' },
};

function releaseOf(version: string): { release: string; distroless: string } {
  return RELEASES[version] ?? { release: 'trixie', distroless: 'debian13' };
}

/** Builder (JDK + Maven) and runtime (distroless JRE) of one Java major, for a registry prefix. */
export function javaImages(registry: string | null, version: string): { builder: string; runtime: string } {
  const debian = releaseOf(version);
  const builder = `maven:3.9-amazoncorretto-${version}-debian-${debian.release}`;
  const runtime = `distroless/java${version}-${debian.distroless}:nonroot`;
  return registry
    ? { builder: `${registry}/${builder}`, runtime: `${registry}/${runtime}` }
    : { builder, runtime: `gcr.io/${runtime}` };
}

/** Advice printed before writing: an overridden image must carry the same Java major as the other. */
export function javaWarnings(options: Pick<Options, 'builderImage' | 'runtimeImage'> & { javaRelease: string }): string[] {
  return overrideWarnings(options, {
    together:
      `The builder's JDK and the runtime's Java must both be Java ${options.javaRelease} (pom.xml compiles for release ` +
      `${options.javaRelease}); a runtime with an older Java cannot load the classes.`,
  });
}
