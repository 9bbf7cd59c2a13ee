import { envOn, hasOption, subcommand, type Ecosystem } from './types.ts';

const LOCKED = ['--locked', '--frozen'];

export const uv: Ecosystem = {
  id: 'uv',
  language: 'python',
  label: 'uv',
  tools: ['uv'],
  manifests: ['pyproject.toml'],
  lockFiles: ['uv.lock'],
  examples: { install: 'uv sync --locked --no-dev --no-install-project', installDev: 'uv sync --locked --no-install-project', lock: 'uv lock', test: 'uv run --locked pytest' },
  run: 'uv run',
  // The mirror is a [[tool.uv.index]] with default = true in pyproject.toml.
  lock: { commands: () => [{ command: 'uv', args: ['lock'] }], writes: ['uv.lock'], check: '--locked: fail when uv.lock is out of date with pyproject.toml.' },
  installs: (c) => subcommand(c) === 'sync',
  installsDev: (c) => subcommand(c) === 'sync' && !hasOption(c, '--no-dev', '--only-group', '--no-default-groups'),
  skipsProject: (c) => hasOption(c, '--no-install-project', '--no-install-workspace'),
  lockUse(c, env) {
    const sub = c.args[0];
    const locked = hasOption(c, ...LOCKED) || envOn(env, 'UV_LOCKED', 'UV_FROZEN');
    // `uv run` syncs the environment before it runs anything, unless told not to.
    if (sub === 'run') {
      if (locked || hasOption(c, '--no-sync') || envOn(env, 'UV_NO_SYNC')) return { kind: 'enforced' };
      return { kind: 'unenforced', why: '`uv run` syncs the environment and may update uv.lock: add `--locked` (or `--frozen`), or set `ENV UV_LOCKED=1`' };
    }
    if (!['sync', 'export'].includes(subcommand(c) ?? '')) return null;
    return locked ? { kind: 'enforced' } : { kind: 'unenforced', why: `\`uv ${subcommand(c)}\` without \`--locked\` may update uv.lock during the build: use \`uv ${subcommand(c)} --locked\`` };
  },
  locksAnew: (c) => {
    const sub = subcommand(c);
    return ['lock', 'add'].includes(sub ?? '') && !hasOption(c, '--check', '--locked') ? 'resolves a new lock' : null;
  },
  runsTests: () => false,
};
