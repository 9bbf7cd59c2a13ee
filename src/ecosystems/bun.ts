import { envOn, hasOption, operands, subcommand, type Ecosystem } from './types.ts';

export const bun: Ecosystem = {
  id: 'bun',
  language: 'node',
  label: 'Bun',
  tools: ['bun'],
  manifests: ['package.json', 'bunfig.toml'],
  lockFiles: ['bun.lock', 'bun.lockb'],
  examples: { install: 'bun install --frozen-lockfile --production', installDev: 'bun install --frozen-lockfile', lock: 'bun install --lockfile-only', test: 'bun test' },
  installs: (c) => (subcommand(c) === 'install' || subcommand(c) === 'i' || subcommand(c) === 'ci') && operands(c).length === 0 && !hasOption(c, '--lockfile-only'),
  installsDev: (c) => bun.installs(c) && !hasOption(c, '--production', '-p'),
  lockUse(c, env) {
    if (!bun.installs(c)) return null;
    if (subcommand(c) === 'ci' || hasOption(c, '--frozen-lockfile') || envOn(env, 'BUN_FROZEN_LOCKFILE')) return { kind: 'enforced' };
    return { kind: 'unenforced', why: '`bun install` may rewrite the lockfile: use `bun install --frozen-lockfile` (or `bun ci`)' };
  },
  locksAnew: (c) => (['update', 'upgrade'].includes(subcommand(c) ?? '') || hasOption(c, '--lockfile-only') ? 'resolves a new lock' : null),
  runsTests: (c) => subcommand(c) === 'test',
};
