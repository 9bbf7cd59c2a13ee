import { ecosystemById, type Command, type Ecosystem } from '../ecosystems/index.ts';
import type { Options } from '../options/types.ts';
import { showCommands } from './command.ts';
import { lockInImageCommand } from './lock-in-image.ts';
import { pinned } from './pins.ts';
import type { Choice, ManagerModule } from './types.ts';

/**
 * A dependency manager as its language declares it: the choice, its own pinned tool, its files. How
 * it installs, enforces and makes its lock and runs tests is its ecosystem entry's (src/ecosystems,
 * found by the same id), which the audit reads too.
 */
export interface ManagerSpec<Id extends string = string> extends Choice {
  value: Id;
  /** The versions-table key of the manager's own tool, installed before it locks; absent when the image has it (npm, go, mvn). */
  tool?: string;
  /** The builder stage installs that tool as well (default); pip-tools' only locks, pip installs its output. */
  toolInBuilder?: boolean;
  /** Arguments its lock takes only inside the builder image (pnpm: a store on the container's file system). */
  inImageArgs?: readonly string[];
  /** Other versions-table keys it pins, recorded with the project (after `tool`). */
  pins?: readonly string[];
  /** Files only this manager has (its manifest), rendered where the language's file list says. */
  files?: ReadonlyArray<{ path: string; template: string }>;
  /** The rendered project already holds a complete lock (see ManagerModule.rendersLock). */
  rendersLock?: boolean;
}

/** How a language's builder image gets a pinned tool and trusts a CA: what the in-image lock needs. */
export interface ImageTooling {
  /** The command that installs a manager's pinned tool (`python3 -m pip install pipenv==X`), the mirror named where it takes a flag. */
  installTool?(name: string, version: string, mirror: string | null): Command;
  /** The mirror for that installer, through the environment (`PIP_INDEX_URL`). */
  mirrorEnv(mirror: string): Record<string, string>;
  /** Variables that name the mounted CA bundle for the language's tools. */
  caVariables: readonly string[];
}

/** A manager as the kit hands it to the wizard, the tasks and the templates. */
export type KitManager<Spec extends ManagerSpec = ManagerSpec> = Spec &
  ManagerModule<Spec['value']> & {
    ecosystem: Ecosystem;
    /** Its ecosystem's commands, as the Dockerfile writes them: production dependencies from the lock, */
    install: string;
    /** every dependency (dev too) from the same lock, the tests, */
    installDev: string;
    testCommand: string;
    /** the dev container's install of every dependency from the lock (the ecosystem's devSetup, else installDev), */
    devSetup: string;
    /** and why the install cannot drift from the lock (null: no lock). */
    lockCheck: string | null;
    /** The builder installs the manager's pinned tool with this command, or null. */
    builderInstall(versions: Readonly<Record<string, string>>): Command | null;
  };

/**
 * The manager's lock commands and in-image lock, from its ecosystem entry and the language's image
 * tooling. A manager without a lock (Maven) runs its locked install in the image instead: that
 * checks every pinned version resolves, and writes nothing in the project.
 */
export function kitManager<const Spec extends ManagerSpec>(spec: Spec, tooling: ImageTooling): KitManager<Spec> {
  const ecosystem = ecosystemById(spec.value);
  if (!ecosystem) throw new Error(`${spec.value} has no entry in src/ecosystems`);
  const lock = ecosystem.lock;
  const lockCommands = (options: Pick<Options, 'indexUrl'>): Command[] => lock?.commands(options.indexUrl) ?? [];
  const installTool = (options: Pick<Options, 'versions'>, mirror: string | null) =>
    spec.tool && tooling.installTool ? tooling.installTool(spec.tool, pinned(options.versions, spec.tool), mirror) : null;
  return {
    ...spec,
    ecosystem,
    install: ecosystem.examples.install,
    installDev: ecosystem.examples.installDev,
    testCommand: ecosystem.examples.test,
    devSetup: ecosystem.devSetup ?? ecosystem.examples.installDev,
    lockCheck: lock?.check ?? null,
    lockFiles: (lock?.writes ?? []).filter((file) => ecosystem.lockFiles.includes(file)),
    lockCommands,
    builderInstall: (versions) => (spec.toolInBuilder === false ? null : installTool({ versions }, null)),
    lockInImageCommand(options) {
      const commands = lockCommands(options);
      const tool = installTool(options, options.indexUrl);
      // The mirror reaches the lock through -e: the script shows the commands without their environment.
      const script = commands.length
        ? showCommands([...(tool ? [tool] : []), ...commands.map((c) => ({ command: c.command, args: [...c.args, ...(spec.inImageArgs ?? [])] }))])
        : ecosystem.examples.install;
      const env = Object.assign(options.indexUrl ? tooling.mirrorEnv(options.indexUrl) : {}, ...commands.map((c) => c.env ?? {})) as Record<string, string>;
      return lockInImageCommand(options, { script, writes: lock?.writes ?? [], env, caVariables: tooling.caVariables });
    },
  };
}
