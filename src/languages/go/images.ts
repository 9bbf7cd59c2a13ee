import { baseImages, TRIXIE } from '../../kit/images.ts';
import { overrideWarnings } from '../../kit/warnings.ts';
import type { Options } from '../../options/types.ts';

/**
 * Builder and runtime images for a registry prefix (null = public images). The builder is the
 * golang image of Debian trixie, the release distroless static-debian13 is built from; the binary
 * is static, so only the CA bundle and tzdata of the runtime matter, and those match too.
 */
export function goImages(registry: string | null, version: string): { builder: string; runtime: string } {
  return baseImages(registry, `golang:${version}-${TRIXIE.release}`, `distroless/static-${TRIXIE.distroless}:nonroot`);
}

/** Advice printed before writing: an overridden builder must still carry the Go go.mod names. */
export function goWarnings(options: Pick<Options, 'builderImage' | 'runtimeImage'> & { goVersion: string }): string[] {
  return overrideWarnings(options, {
    builder:
      `It must carry Go ${options.goVersion} or newer: go.mod says \`go ${options.goVersion}\` and the build uses the ` +
      "image's own Go (GOTOOLCHAIN=local), never a downloaded one.",
    runtime: 'The binary is static (CGO_ENABLED=0), so any distroless static or base image works; it must have no shell and run as a non-root user.',
  });
}
