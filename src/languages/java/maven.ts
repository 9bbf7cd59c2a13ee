import type { ManagerSpec } from '../../kit/manager.ts';

/**
 * Maven: no lock file exists, so there is no lock step. pom.xml pins every plugin and dependency
 * version (the enforcer fails on a plugin without one), which makes the POM itself the lock; the
 * image build resolves exactly those versions (`dependency:go-offline`) before any source. Its
 * in-image command is that resolve, with the builder's Maven and JDK: it writes only to the
 * container's ~/.m2, nothing in the project.
 */
export const maven = {
  value: 'maven',
  label: 'Maven',
  hint: 'pom.xml with every version pinned (Maven has no lock file)',
} as const satisfies ManagerSpec;
