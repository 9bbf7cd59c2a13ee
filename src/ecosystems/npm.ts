import { hasOption, operands, subcommand, type Cmd, type Ecosystem } from './types.ts';

const OMITS_DEV = ['--omit', '--production', '--prod', '--only'];

/** `npm test`, `npm t`, `npm run test:unit`, `npm it`: the package's test script (npm, pnpm, yarn). */
export const runsTestScript = (c: Cmd): boolean => {
  const sub = subcommand(c);
  return ['test', 't', 'tst', 'it', 'cit', 'install-test', 'clean-install-test'].includes(sub ?? '') || (['run', 'run-script'].includes(sub ?? '') && operands(c).some((a) => /^test/.test(a)));
};

export const npm: Ecosystem = {
  id: 'npm',
  language: 'node',
  label: 'npm',
  tools: ['npm'],
  manifests: ['package.json', '.npmrc'],
  lockFiles: ['package-lock.json', 'npm-shrinkwrap.json'],
  examples: { install: 'npm ci --omit=dev', installDev: 'npm ci', lock: 'npm install --package-lock-only', test: 'npm test' },
  lock: {
    commands: (mirror) => [{ command: 'npm', args: ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund', ...(mirror ? [`--registry=${mirror}`] : [])] }],
    writes: ['package-lock.json'],
    check: 'npm ci fails when package-lock.json does not match package.json, and never rewrites it.',
  },
  // `npm` alone (or `npm --version`) prints and installs nothing.
  installs: (c) => subcommand(c) === 'ci' || (['install', 'i', 'isntall', 'add'].includes(subcommand(c) ?? '') && operands(c).length === 0 && !hasOption(c, '--package-lock-only')),
  installsDev: (c) => npm.installs(c) && !hasOption(c, ...OMITS_DEV),
  lockUse(c) {
    const sub = subcommand(c);
    if (sub === 'ci' || sub === 'clean-install') return { kind: 'enforced' };
    if (['install', 'i'].includes(sub ?? '') && operands(c).length === 0 && !hasOption(c, '--package-lock-only')) return { kind: 'unenforced', why: '`npm install` may rewrite the lockfile: use `npm ci`' };
    return null;
  },
  locksAnew: (c) => (['update', 'up', 'upgrade'].includes(subcommand(c) ?? '') || hasOption(c, '--package-lock-only') ? 'resolves a new lock' : null),
  runsTests: runsTestScript,
};
