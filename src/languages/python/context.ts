import { showCommand } from '../../kit/command.ts';
import type { Gate, Options } from '../../options/types.ts';
import { devTools, gateSteps, type GateStep, type Tool } from './gates.ts';
import { pythonManager } from './managers/index.ts';
import type { PythonManager } from './managers/types.ts';

/** Everything the Python templates read: derived once from the options, never from the environment. */
export interface PythonContext {
  name: string;
  python: string;
  /** "313" for ruff's target-version. */
  pythonTag: string;
  manager: PythonManager;
  managerVersion: string | null;
  images: { builder: string; runtime: string };
  certBundle: string | null;
  certPath: string;
  indexUrl: string | null;
  maintainer: string | null;
  ci: Options['ci'];
  gates: Record<Gate, boolean>;
  gateList: readonly Gate[];
  /** test or bdd: pytest runs, so tests/ exists. */
  pytest: boolean;
  devTools: Tool[];
  steps: GateStep[];
  /** The lock files the build needs, copied into the builder with the manifest. */
  lockFiles: readonly string[];
  /** virtualenv seeds setuptools and wheel into venvs of Python < 3.12 unless told not to. */
  seedsSetuptools: boolean;
  /** The venv's site-packages, copied (without pip) into the runtime image. */
  sitePackages: string;
  lockCommands: string[];
  lockInImageCommand: string;
  generatorVersion: string;
}

/** Managers installed in the builder stage (pip-tools only locks; pip installs its output). */
const INSTALLED_MANAGER: Record<string, string | null> = { pipenv: 'pipenv', poetry: 'poetry', uv: 'uv', 'pip-tools': null };

export function pythonContext(options: Options): PythonContext {
  const manager = pythonManager(options.manager);
  const installed = INSTALLED_MANAGER[manager.value] ?? null;
  const gates = Object.fromEntries(
    (['typecheck', 'format', 'lint', 'security', 'test', 'bdd'] as const).map((gate) => [gate, options.gates.includes(gate)]),
  ) as Record<Gate, boolean>;
  return {
    name: options.name,
    python: options.runtimeVersion,
    pythonTag: options.runtimeVersion.replace('.', ''),
    manager,
    managerVersion: installed ? (options.versions[installed] ?? null) : null,
    images: options.images,
    certBundle: options.certBundle,
    certPath: options.certPath,
    indexUrl: options.indexUrl,
    maintainer: options.maintainer,
    ci: options.ci,
    gates,
    gateList: options.gates,
    pytest: gates.test || gates.bdd,
    devTools: devTools(options.gates, options.versions),
    steps: gateSteps(options.gates),
    lockFiles: manager.lockFiles,
    seedsSetuptools: Number(options.runtimeVersion.split('.')[1]) < 12,
    sitePackages: `/app/.venv/lib/python${options.runtimeVersion}/site-packages`,
    lockCommands: manager.lockCommands(options).map(showCommand),
    lockInImageCommand: manager.lockInImageCommand(options),
    generatorVersion: options.generatorVersion,
  };
}
