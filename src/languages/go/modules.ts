import type { Options } from '../../options/types.ts';
import { lockInImageCommand } from '../../kit/lock-in-image.ts';
import type { Command, ManagerModule } from '../types.ts';

/** The mirror, for the lock commands: the proxy the build uses, never a direct VCS fetch. */
function proxyEnv(options: Pick<Options, 'indexUrl'>): Record<string, string> {
  return options.indexUrl ? { GOPROXY: options.indexUrl } : {};
}

/**
 * The in-image tidy, with the Go the build uses: the proxy through the environment, the CA bundle
 * named by SSL_CERT_FILE (never GOINSECURE). Tidy may rewrite go.mod as well as go.sum.
 */
function inImage(options: Pick<Options, 'images' | 'indexUrl' | 'certBundle'>): string {
  return lockInImageCommand(options, { script: 'go mod tidy', writes: ['go.mod', 'go.sum'], env: proxyEnv(options), caVariables: ['SSL_CERT_FILE'] });
}

/**
 * Go modules: go.mod + go.sum. The generated service uses the standard library only, so go.sum
 * is empty until a dependency is added; `go mod tidy` fills it, the build verifies it.
 */
export const modules: ManagerModule<'modules'> = {
  value: 'modules',
  label: 'Go modules',
  hint: 'go.mod + go.sum, verified with go mod verify',
  lockFiles: ['go.sum'],
  rendersLock: true,
  lockCommands: (options): Command[] => [{ command: 'go', args: ['mod', 'tidy'], env: proxyEnv(options) }],
  lockInImageCommand: inImage,
};
