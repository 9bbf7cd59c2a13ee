import { hasOption, subcommand, type Ecosystem } from './types.ts';

export const poetry: Ecosystem = {
  id: 'poetry',
  language: 'python',
  label: 'Poetry',
  tools: ['poetry'],
  manifests: ['pyproject.toml'],
  lockFiles: ['poetry.lock'],
  examples: { install: 'poetry check --lock && poetry sync --without dev', installDev: 'poetry sync', lock: 'poetry lock', test: 'poetry run pytest' },
  run: 'poetry run',
  // The mirror is a [[tool.poetry.source]] with priority "primary" in pyproject.toml.
  lock: { commands: () => [{ command: 'poetry', args: ['lock'] }], writes: ['poetry.lock'], check: 'check --lock: fail when poetry.lock is out of date with pyproject.toml.' },
  installs: (c) => ['install', 'sync'].includes(subcommand(c) ?? ''),
  installsDev: (c) => ['install', 'sync'].includes(subcommand(c) ?? '') && !hasOption(c, '--only', '--without', '--no-dev', '--only-root'),
  skipsProject: (c) => hasOption(c, '--no-root'),
  lockUse(c, _env, verified) {
    const sub = subcommand(c);
    if (!['install', 'sync', 'export'].includes(sub ?? '')) return null;
    return verified ? { kind: 'enforced' } : { kind: 'unenforced', why: `\`poetry ${sub}\` runs without a preceding \`poetry check --lock\`: check the lock first so a stale poetry.lock fails the build` };
  },
  verifiesLock: (c) => (subcommand(c) === 'check' && hasOption(c, '--lock')) || (subcommand(c) === 'lock' && hasOption(c, '--check')),
  locksAnew: (c) => {
    const sub = subcommand(c);
    return ['lock', 'add', 'update'].includes(sub ?? '') && !hasOption(c, '--check') ? 'resolves a new lock' : null;
  },
  runsTests: () => false,
};
