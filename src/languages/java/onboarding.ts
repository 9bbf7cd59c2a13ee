import type { Onboarding } from '../../kit/onboarding.ts';

/** Java's dev container; no hooks: Java offers no format or lint gate (`mvn verify` is the one gate). */
export const javaOnboarding: Onboarding = {
  remoteUser: 'root',
  rootWhy: 'the maven images have no other user, and the local repository and the build secret are under /root/.m2',
  extensions: { always: ['vscjava.vscode-java-pack'], gates: {} },
  secretFile: { home: '.m2/settings.xml', target: '/root/.m2/settings.xml' },
  hooksNote: 'Java has no format or lint gate (`mvn verify` is its one gate), so there is no hook to run',
  hooks: () => [],
};
