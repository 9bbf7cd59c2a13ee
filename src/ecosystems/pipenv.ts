import { envOn, hasOption, operands, subcommand, type Ecosystem } from './types.ts';

export const pipenv: Ecosystem = {
  id: 'pipenv',
  language: 'python',
  label: 'Pipenv',
  tools: ['pipenv'],
  manifests: ['Pipfile'],
  lockFiles: ['Pipfile.lock'],
  examples: { install: 'pipenv install --deploy', installDev: 'pipenv install --dev --deploy', lock: 'pipenv lock', test: 'pipenv run pytest' },
  run: 'pipenv run',
  // The mirror is the Pipfile's [[source]], so the command needs no index flag.
  lock: { commands: () => [{ command: 'pipenv', args: ['lock'] }], writes: ['Pipfile.lock'], check: '--deploy: fail when Pipfile.lock is out of date with the Pipfile.' },
  installs: (c) => (subcommand(c) === 'install' && operands(c).length === 0) || subcommand(c) === 'sync',
  installsDev: (c) => ['install', 'sync'].includes(subcommand(c) ?? '') && hasOption(c, '--dev', '-d', '--categories'),
  lockUse(c, env) {
    const sub = subcommand(c);
    if (sub === 'sync') return { kind: 'weak', why: '`pipenv sync` does not check Pipfile.lock against Pipfile: use `pipenv install --deploy`, which fails on a stale lock' };
    if (sub !== 'install') return null;
    if (operands(c).length > 0) return { kind: 'unenforced', why: '`pipenv install <package>` changes the Pipfile during the build: add packages on the host, lock, and install with `--deploy`' };
    if (hasOption(c, '--deploy') || envOn(env, 'PIPENV_DEPLOY')) return { kind: 'enforced' };
    return { kind: 'unenforced', why: '`pipenv install` without `--deploy` may resolve anew when Pipfile.lock is stale: use `pipenv install --deploy`' };
  },
  locksAnew: (c) => (['lock', 'update', 'upgrade'].includes(subcommand(c) ?? '') ? 'resolves a new lock' : null),
  runsTests: () => false,
};
