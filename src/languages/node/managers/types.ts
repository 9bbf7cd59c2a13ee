import type { ManagerSpec } from '../../../kit/manager.ts';

/** An npm-registry package manager: its choice, its pinned tool, and what differs in the builder stage. */
export interface NodeManagerSpec<Id extends string = string> extends ManagerSpec<Id> {
  /** Environment variables that point the manager (and npm, which installs a pinned manager) at the mirror. */
  registryEnv: readonly string[];
  /** Its own settings in the builder's ENV, besides npm's. */
  builderEnv?: readonly string[];
  /** Absolute cache mount targets of the install RUNs (D16: buildah rejects relative ones). */
  caches: readonly string[];
  /** Files of its install state in node_modules, left out of the runtime packages (they hold timestamps). */
  stateFiles?: readonly string[];
  /** Why the runtime packages are copied as they are: a Dockerfile comment. */
  runtimeCopyWhy: string;
  /** How a developer installs from the lock (README). */
  localInstall: string;
}

/** A manager module keeps its literal id (the ManagerId union is built from them). */
export const nodeManager = <const Id extends string>(spec: NodeManagerSpec<Id>) => spec;
