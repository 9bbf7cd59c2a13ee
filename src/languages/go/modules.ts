import type { Options } from '../../options/types.ts';
import type { Command, ManagerModule } from '../types.ts';

/** Where the in-image lock command mounts the organisation's CA bundle (PEM). */
const ORG_CA = '/etc/ssl/certs/org-ca.pem';

/** The mirror, for the lock commands: the proxy the build uses, never a direct VCS fetch. */
function proxyEnv(options: Pick<Options, 'indexUrl'>): Record<string, string> {
  return options.indexUrl ? { GOPROXY: options.indexUrl } : {};
}

/**
 * `docker run` line that tidies inside the builder image, with the Go the build uses. With a CA
 * bundle, the host's PEM file named by CA_BUNDLE (default: the system bundle, which holds the
 * company CA on a managed machine) is mounted and named by SSL_CERT_FILE; never GOINSECURE.
 */
function inImage(options: Pick<Options, 'images' | 'indexUrl' | 'certBundle'>): string {
  const proxy = options.indexUrl ? ` -e GOPROXY=${options.indexUrl}` : '';
  const ca = options.certBundle ? ` -v "\${CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}":${ORG_CA}:ro -e SSL_CERT_FILE=${ORG_CA}` : '';
  return `docker run --rm -v "$PWD":/src -w /src${proxy}${ca} ${options.images.builder} go mod tidy`;
}

/**
 * Go modules: go.mod + go.sum. The generated service uses the standard library only, so go.sum
 * is empty until a dependency is added; `go mod tidy` fills it, the build verifies it.
 */
export const modules: ManagerModule = {
  value: 'modules',
  label: 'Go modules',
  hint: 'go.mod + go.sum, verified with go mod verify',
  lockFiles: ['go.sum'],
  rendersLock: true,
  lockCommands: (options): Command[] => [{ command: 'go', args: ['mod', 'tidy'], env: proxyEnv(options) }],
  lockInImageCommand: inImage,
};
