import type { BaseContext } from '../../kit/context.ts';
import type { KitManager } from '../../kit/manager.ts';
import type { Gate, Options } from '../../options/types.ts';
import type { Tool } from '../../kit/pins.ts';
import type { GateStep } from '../../kit/gates.ts';
import { devTools, gateSteps } from './gates.ts';
import type { PythonManagerSpec } from './managers/types.ts';

export type PythonManager = KitManager<PythonManagerSpec>;

/** What the Python templates read besides the base context (kit/context.ts). */
export interface PythonContext {
  python: string;
  /** "313" for ruff's target-version. */
  pythonTag: string;
  /** test or bdd: pytest runs, so tests/ exists. */
  pytest: boolean;
  devTools: Tool[];
  steps: Array<GateStep<Gate | 'pytest'>>;
  /** The builder's ENV for the manager. */
  builderEnv: string[];
  /** What the builder copies before installing: the manifests the install reads, then the lock. */
  builderFiles: string[];
  /** The builder's install RUN, one command a line. */
  builderSteps: string[];
  /** The venv's site-packages, copied (without pip) into the runtime image. */
  sitePackages: string;
}

export function pythonContext(options: Options, { manager, lockFiles }: BaseContext<PythonManager>): PythonContext {
  // virtualenv seeds setuptools and wheel into venvs of Python < 3.12 unless told not to.
  const seedsSetuptools = Number(options.runtimeVersion.split('.')[1]) < 12;
  return {
    python: options.runtimeVersion,
    pythonTag: options.runtimeVersion.replace('.', ''),
    pytest: options.gates.includes('test') || options.gates.includes('bdd'),
    devTools: devTools(options.gates, options.versions),
    steps: gateSteps(options.gates),
    builderEnv: [...manager.env, ...(manager.virtualenv && seedsSetuptools ? ['VIRTUALENV_NO_SETUPTOOLS=1', 'VIRTUALENV_NO_WHEEL=1'] : [])],
    builderFiles: [...(manager.usesPyproject ? ['pyproject.toml'] : []), ...(manager.installReads ?? []), ...lockFiles],
    builderSteps: [...(manager.makesVenv === false ? ['python3 -m venv --without-pip /app/.venv'] : []), manager.install],
    sitePackages: `/app/.venv/lib/python${options.runtimeVersion}/site-packages`,
  };
}
