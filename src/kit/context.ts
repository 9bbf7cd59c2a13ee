import type { Ecosystem } from '../ecosystems/index.ts';
import { GATES, type Gate, type Options } from '../options/types.ts';
import { showCommand } from './command.ts';
import type { KitManager } from './manager.ts';

/** What every language's templates read, derived once from the options (never from the environment). */
export interface BaseContext<Manager extends KitManager = KitManager> {
  name: string;
  images: Options['images'];
  certBundle: string | null;
  certPath: string;
  indexUrl: string | null;
  maintainer: string | null;
  ci: Options['ci'];
  syntax: string | null;
  /** Every gate, chosen or not. */
  gates: Record<Gate, boolean>;
  /** The chosen gates, cheapest first (the marker the test stage writes lists them). */
  gateList: readonly Gate[];
  generatorVersion: string;
  manager: Manager;
  /** How the manager installs, enforces and makes its lock and runs tests (shared with the audit). */
  ecosystem: Ecosystem;
  /** The version of the manager's own tool the builder installs, and the command that does it; else null. */
  managerVersion: string | null;
  managerInstall: string | null;
  lockFiles: readonly string[];
  /** The lock commands as a person types them, one a line. */
  lockCommands: string[];
  lockInImageCommand: string;
}

export function baseContext<Manager extends KitManager>(options: Options, manager: Manager): BaseContext<Manager> {
  const install = manager.builderInstall(options.versions);
  return {
    name: options.name,
    images: options.images,
    certBundle: options.certBundle,
    certPath: options.certPath,
    indexUrl: options.indexUrl,
    maintainer: options.maintainer,
    ci: options.ci,
    syntax: options.syntax,
    gates: Object.fromEntries(GATES.map((gate) => [gate, options.gates.includes(gate)])) as Record<Gate, boolean>,
    gateList: options.gates,
    generatorVersion: options.generatorVersion,
    manager,
    ecosystem: manager.ecosystem,
    managerVersion: install && manager.tool ? (options.versions[manager.tool] ?? null) : null,
    managerInstall: install && showCommand(install),
    lockFiles: manager.lockFiles,
    lockCommands: manager.lockCommands(options).map(showCommand),
    lockInImageCommand: manager.lockInImageCommand(options),
  };
}
