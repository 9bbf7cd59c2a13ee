import { hasOption, type Cmd, type Ecosystem } from './types.ts';

const tasks = (c: Cmd) => c.args.filter((a) => !a.startsWith('-'));

/** Gradle with dependency locking (gradle.lockfile), enforced by the build's own configuration. */
export const gradle: Ecosystem = {
  id: 'gradle',
  language: 'java',
  label: 'Gradle',
  tools: ['gradle', 'gradlew'],
  manifests: ['build.gradle', 'build.gradle.kts', 'settings.gradle', 'settings.gradle.kts', 'gradle.properties', 'gradle'],
  lockFiles: ['gradle.lockfile', 'settings-gradle.lockfile', 'gradle/verification-metadata.xml'],
  examples: { install: 'gradle --no-daemon dependencies', installDev: 'gradle --no-daemon dependencies', lock: 'gradle dependencies --write-locks', test: 'gradle --no-daemon check' },
  installs: (c) => tasks(c).some((t) => t === 'dependencies' || t.endsWith(':dependencies')),
  installsDev: (c) => gradle.installs(c),
  lockUse: (c) => (gradle.installs(c) ? { kind: 'enforced' } : null),
  locksAnew: (c) => (hasOption(c, '--write-locks', '--update-locks') ? 'resolves a new lock' : null),
  runsTests: (c) => tasks(c).some((t) => ['test', 'check', 'build'].includes(t.replace(/^.*:/, ''))),
};
