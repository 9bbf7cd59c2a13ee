import type { Options } from '../../options/types.ts';
import { showCommands } from '../../kit/command.ts';
import { lockInImageCommand } from '../../kit/lock-in-image.ts';
import type { Command, ManagerModule } from '../types.ts';

/** An npm-registry package manager: its lock plus the Dockerfile commands that differ per manager. */
export interface NodeManager<Id extends string = string> extends ManagerModule<Id> {
  /** Environment variables that point the manager (and npm, which installs pnpm) at the mirror. */
  registryEnv: readonly string[];
  /** Absolute cache mount targets of the install RUNs (D16: buildah rejects relative ones). */
  caches: readonly string[];
  /** Installs only the production dependencies, from the lock, failing on a stale lock (D6). */
  prodInstall: string;
  /** Installs every dependency, dev included, from the same lock (D7). */
  devInstall: string;
  /** Why the install cannot drift from the lock (a Dockerfile comment). */
  lockCheck: string;
  /** Runs the package.json "test" script (the test gate). */
  testCommand: string;
}

const registryArgs = (options: Pick<Options, 'indexUrl'>) => (options.indexUrl ? [`--registry=${options.indexUrl}`] : []);

/**
 * The in-image lock for a Node.js manager, with the npm the image carries; the CA bundle as npm's
 * cafile and node's extra CAs (pnpm reads those).
 */
function inImage(options: Pick<Options, 'images' | 'certBundle'>, script: string, writes: readonly string[], env: Record<string, string> = {}): string {
  return lockInImageCommand(options, { script, writes, env, caVariables: ['npm_config_cafile', 'NODE_EXTRA_CA_CERTS'] });
}

/** npm, which ships with node: package-lock.json, `npm ci` enforces it. */
export const npm: NodeManager<'npm'> = {
  value: 'npm',
  label: 'npm',
  hint: 'package-lock.json, npm ci',
  lockFiles: ['package-lock.json'],
  lockCommands: (options) => [
    { command: 'npm', args: ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund', ...registryArgs(options)] },
  ],
  lockInImageCommand: (options) => inImage(options, showCommands(npm.lockCommands(options)), npm.lockFiles),
  registryEnv: ['npm_config_registry'],
  caches: ['/root/.npm'],
  prodInstall: 'npm ci --omit=dev',
  devInstall: 'npm ci',
  lockCheck: 'npm ci fails when package-lock.json does not match package.json, and never rewrites it.',
  testCommand: 'npm test',
};

/** pnpm, pinned in package.json's packageManager: pnpm-lock.yaml, `--frozen-lockfile` enforces it. */
export const pnpm: NodeManager<'pnpm'> = {
  value: 'pnpm',
  label: 'pnpm',
  hint: 'pnpm-lock.yaml, pnpm install --frozen-lockfile',
  lockFiles: ['pnpm-lock.yaml'],
  // The mirror through the environment: pnpm 12 resolves its own pinned version (packageManager)
  // from the registry of its configuration, and a --registry flag does not reach that step.
  lockCommands: (options) => [
    { command: 'pnpm', args: ['install', '--lockfile-only'], ...(options.indexUrl ? { env: { pnpm_config_registry: options.indexUrl } } : {}) },
  ],
  lockInImageCommand: (options) => {
    const version = options.versions.pnpm;
    if (!version) throw new Error('no pinned version for pnpm in the versions table');
    const install = ['npm', 'install', '--global', `pnpm@${version}`, ...registryArgs(options)].join(' ');
    const env: Record<string, string> = options.indexUrl ? { pnpm_config_registry: options.indexUrl } : {};
    // The store in the container: by default pnpm puts it beside the project (the mount is another
    // file system), which would leave a root-owned node_modules/.pnpm-store in the user's repository.
    return inImage(options, `${install} && pnpm install --lockfile-only --store-dir /tmp/pnpm-store`, pnpm.lockFiles, env);
  },
  // pnpm reads pnpm_config_* from the environment; npm (which installs pnpm) reads npm_config_*.
  registryEnv: ['npm_config_registry', 'pnpm_config_registry'],
  caches: ['/root/.local/share/pnpm/store', '/root/.cache/pnpm'],
  prodInstall: 'pnpm install --frozen-lockfile --prod',
  devInstall: 'pnpm install --frozen-lockfile',
  lockCheck: '--frozen-lockfile: fail when pnpm-lock.yaml is out of date with package.json.',
  testCommand: 'pnpm test',
};

/** Every Node.js package manager, in prompt order (npm first: it ships with node). */
export const NODE_MANAGERS = [npm, pnpm] as const;

export function nodeManager(id: string): NodeManager {
  const manager = NODE_MANAGERS.find((candidate) => candidate.value === id);
  if (!manager) throw new Error(`unknown Node.js manager ${id}`);
  return manager;
}
