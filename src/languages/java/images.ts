import { baseImages, BOOKWORM, debianOf, TRIXIE } from '../../kit/images.ts';
import { overrideWarnings } from '../../kit/warnings.ts';
import type { Options } from '../../options/types.ts';

/**
 * Debian release of each Java major's images. distroless carries Java 21 and 25 on Debian 13
 * and 17 only on Debian 12; the Maven builder comes from the same Debian release (official
 * `maven:3.9-amazoncorretto-<major>-debian-<release>` images).
 */
const RELEASES = { '21': TRIXIE, '25': TRIXIE, '17': BOOKWORM };

/** Builder (JDK + Maven) and runtime (distroless JRE) of one Java major, for a registry prefix. */
export function javaImages(registry: string | null, version: string): { builder: string; runtime: string } {
  const debian = debianOf(RELEASES, version);
  return baseImages(registry, `maven:3.9-amazoncorretto-${version}-debian-${debian.release}`, `distroless/java${version}-${debian.distroless}:nonroot`);
}

/** Advice printed before writing: an overridden image must carry the same Java major as the other. */
export function javaWarnings(options: Pick<Options, 'builderImage' | 'runtimeImage'> & { javaRelease: string }): string[] {
  return overrideWarnings(options, {
    together:
      `The builder's JDK and the runtime's Java must both be Java ${options.javaRelease} (pom.xml compiles for release ` +
      `${options.javaRelease}); a runtime with an older Java cannot load the classes.`,
  });
}
