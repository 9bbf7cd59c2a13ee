import { runsTestScript } from './npm.ts';
import { envOn, hasOption, operands, subcommand, type Ecosystem } from './types.ts';

export const pnpm: Ecosystem = {
  id: 'pnpm',
  language: 'node',
  label: 'pnpm',
  tools: ['pnpm'],
  manifests: ['package.json', 'pnpm-workspace.yaml', '.npmrc'],
  lockFiles: ['pnpm-lock.yaml'],
  examples: { install: 'pnpm install --frozen-lockfile --prod', installDev: 'pnpm install --frozen-lockfile', lock: 'pnpm install --lockfile-only', test: 'pnpm test' },
  lock: {
    // The mirror through the environment: pnpm resolves its own pinned version (packageManager)
    // from the registry of its configuration, and a --registry flag does not reach that step.
    commands: (mirror) => [{ command: 'pnpm', args: ['install', '--lockfile-only'], ...(mirror ? { env: { pnpm_config_registry: mirror } } : {}) }],
    writes: ['pnpm-lock.yaml'],
    check: '--frozen-lockfile: fail when pnpm-lock.yaml is out of date with package.json.',
  },
  installs: (c) => ['install', 'i'].includes(subcommand(c) ?? '') && operands(c).length === 0 && !hasOption(c, '--lockfile-only'),
  installsDev: (c) => pnpm.installs(c) && !hasOption(c, '--prod', '--production', '-P'),
  lockUse(c, env) {
    if (!pnpm.installs(c)) return null;
    // pnpm freezes the lockfile by itself when CI is set.
    if (hasOption(c, '--frozen-lockfile') || envOn(env, 'CI', 'npm_config_frozen_lockfile', 'pnpm_config_frozen_lockfile')) return { kind: 'enforced' };
    return { kind: 'unenforced', why: '`pnpm install` may rewrite the lockfile: use `pnpm install --frozen-lockfile`' };
  },
  locksAnew: (c) => (['update', 'up', 'upgrade'].includes(subcommand(c) ?? '') || hasOption(c, '--lockfile-only', '--fix-lockfile') ? 'resolves a new lock' : null),
  runsTests: runsTestScript,
};
