import { nodeManager } from './types.ts';

/** pnpm, pinned in package.json's packageManager: pnpm-lock.yaml, `--frozen-lockfile` enforces it (src/ecosystems/pnpm.ts). */
export const pnpm = nodeManager({
  value: 'pnpm',
  label: 'pnpm',
  hint: 'pnpm-lock.yaml, pnpm install --frozen-lockfile',
  tool: 'pnpm',
  // The store in the container: by default pnpm puts it beside the project (the mount is another
  // file system), which would leave a root-owned node_modules/.pnpm-store in the user's repository.
  inImageArgs: ['--store-dir', '/tmp/pnpm-store'],
  // pnpm reads pnpm_config_* from the environment; npm (which installs pnpm) reads npm_config_*.
  registryEnv: ['npm_config_registry', 'pnpm_config_registry'],
  builderEnv: ['pnpm_config_update_notifier=false'],
  caches: ['/root/.local/share/pnpm/store', '/root/.cache/pnpm'],
  stateFiles: ['.modules.yaml', '.pnpm-workspace-state-v1.json'],
  runtimeCopyWhy: "without pnpm's install state (it records timestamps), so two builds are identical.",
  localInstall: 'pnpm install',
});
