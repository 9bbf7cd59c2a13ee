import { type Cmd, type Ecosystem } from './types.ts';

/** Phases that run the `test` phase on their way (the default lifecycle). */
const TESTING_PHASES = ['test', 'integration-test', 'verify', 'package', 'install', 'deploy'];

const goals = (c: Cmd) => c.args.filter((a) => !a.startsWith('-'));

/** Maven has no lock file: the versions pinned in pom.xml (checked by the enforcer) are the lock. */
export const maven: Ecosystem = {
  id: 'maven',
  language: 'java',
  label: 'Maven',
  tools: ['mvn', 'mvnw'],
  manifests: ['pom.xml', '.mvn'],
  lockFiles: [],
  examples: { install: 'mvn -B -ntp dependency:go-offline', installDev: 'mvn -B -ntp dependency:go-offline', lock: '(none: pin every version in pom.xml)', test: 'mvn -B -ntp verify' },
  installs: (c) => goals(c).some((a) => a.startsWith('dependency:')),
  // dependency:go-offline and :resolve fetch every scope, test included.
  installsDev: (c) => maven.installs(c),
  lockUse: (c) => (maven.installs(c) ? { kind: 'enforced' } : null),
  locksAnew: (c) => {
    const rewrite = goals(c).find((a) => /^versions:(use-|update-|resolve-ranges|set)/.test(a));
    return rewrite ? 'rewrites the versions pinned in pom.xml' : null;
  },
  runsTests: (c) => goals(c).some((a) => TESTING_PHASES.includes(a) || a === 'surefire:test'),
};
