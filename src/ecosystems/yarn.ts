import { runsTestScript } from './npm.ts';
import { envOn, hasOption, operands, subcommand, type Ecosystem } from './types.ts';

export const yarn: Ecosystem = {
  id: 'yarn',
  language: 'node',
  label: 'Yarn',
  tools: ['yarn'],
  manifests: ['package.json', '.yarnrc.yml', '.yarnrc', '.yarn'],
  lockFiles: ['yarn.lock'],
  examples: { install: 'yarn install --immutable', installDev: 'yarn install --immutable', lock: 'yarn install --mode=update-lockfile', test: 'yarn test' },
  // `yarn` alone installs.
  installs: (c) => (subcommand(c) === undefined ? !hasOption(c, '--version', '-v', '--help', '-h') : subcommand(c) === 'install' && operands(c).length === 0) && !c.args.includes('--mode=update-lockfile'),
  installsDev: (c) => yarn.installs(c) && !hasOption(c, '--production', '--prod'),
  lockUse(c, env) {
    if (!yarn.installs(c)) return null;
    // Yarn 2+ is immutable by default in CI; Yarn 1 needs --frozen-lockfile.
    if (hasOption(c, '--immutable', '--frozen-lockfile') || envOn(env, 'YARN_ENABLE_IMMUTABLE_INSTALLS')) return { kind: 'enforced' };
    return { kind: 'unenforced', why: '`yarn install` may rewrite yarn.lock: use `yarn install --immutable` (Yarn 1: `--frozen-lockfile`)' };
  },
  locksAnew: (c) => (['upgrade', 'up'].includes(subcommand(c) ?? '') || c.args.includes('--mode=update-lockfile') ? 'resolves a new lock' : null),
  runsTests: runsTestScript,
};
