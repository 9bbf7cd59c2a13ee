import { lockInImageCommand } from '../../kit/lock-in-image.ts';
import type { ManagerModule } from '../types.ts';

/**
 * Maven: no lock file exists, so there is no lock step. pom.xml pins every plugin and dependency
 * version (the enforcer fails on a plugin without one), which makes the POM itself the lock; the
 * image build resolves exactly those versions (`dependency:go-offline`) before any source.
 */
export const maven: ManagerModule<'maven'> = {
  value: 'maven',
  label: 'Maven',
  hint: 'pom.xml with every version pinned (Maven has no lock file)',
  lockFiles: [],
  lockCommands: () => [],
  // Not a lock: checks that every pinned version resolves, with the builder's Maven and JDK. It
  // writes only to the container's ~/.m2, nothing in the project, so there is nothing to hand back.
  lockInImageCommand: (options) =>
    lockInImageCommand(options, { script: 'mvn -B -ntp dependency:go-offline', writes: [], caVariables: [] }),
};
