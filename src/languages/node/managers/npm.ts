import { nodeManager } from './types.ts';

/** npm, which ships with node: package-lock.json, `npm ci` enforces it (src/ecosystems/npm.ts). */
export const npm = nodeManager({
  value: 'npm',
  label: 'npm',
  hint: 'package-lock.json, npm ci',
  registryEnv: ['npm_config_registry'],
  caches: ['/root/.npm'],
  runtimeCopyWhy: 'without the empty scope directories npm 9 leaves for the dev dependencies it omitted.',
  localInstall: 'npm ci',
});
