import type { ManagerSpec } from '../../../kit/manager.ts';

/** A Python dependency manager: its choice, its pinned tool, and what differs in the builder stage and manifests. */
export interface PythonManagerSpec<Id extends string = string> extends ManagerSpec<Id> {
  /** Its dependencies are declared in pyproject.toml (the fragment templates/python/managers/<value>/pyproject.ejs). */
  usesPyproject: boolean;
  /** Manifests the locked install reads besides pyproject.toml and the lock (pipenv checks the Pipfile's hash). */
  installReads?: readonly string[];
  /** The builder's ENV for the manager, and why, when that needs saying. */
  env: readonly string[];
  envWhy?: string;
  /** It makes the venv with virtualenv, which seeds setuptools and wheel below Python 3.12 unless told not to. */
  virtualenv?: boolean;
  /** pip needs the venv made first (the venv managers make their own). */
  makesVenv?: boolean;
  /** Variables the CA bundle stage sets for this manager besides pip's, requests' and OpenSSL's. */
  trustEnv?: readonly string[];
}

/** A manager module keeps its literal id (the ManagerId union is built from them). */
export const pythonManager = <const Id extends string>(spec: PythonManagerSpec<Id>) => spec;
