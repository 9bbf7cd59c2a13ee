/**
 * What a dependency manager does, as one set of facts: the files it reads, how it installs, how it
 * enforces its lock, what locks anew, how tests run, with example commands. The audit reads these
 * to check any Dockerfile; the language plug-ins write their managers' commands from here (issue 11).
 * Nothing here imports the languages, the answers or the audit: a command is plain words.
 */
import type { LanguageId } from './languages.ts';

/** A command as the shell runs it, wrappers removed: `python -m pip install x` is tool `pip`. */
export interface Cmd {
  /** The program's base name: `pip`, `uv`, `mvn`. */
  tool: string;
  /** Its arguments, quotes removed, no expansion. */
  args: readonly string[];
  /** Wrappers removed before the tool, e.g. [['uv', 'run', '--locked']]. */
  wrappers?: readonly (readonly string[])[];
}

/** A command to spawn: an argument array, plus the environment it needs (never a shell string). */
export interface Command {
  command: string;
  args: string[];
  env?: Record<string, string>;
}

/** Environment known at a command (ENV set earlier in the stage or the stages it is built on). */
export type Env = ReadonlyMap<string, string>;

/** How an install command treats the lock. */
export type LockUse =
  /** It installs only what the lock says and fails when the lock is stale. */
  | { kind: 'enforced' }
  /** It enforces the lock, with a caveat worth a warning. */
  | { kind: 'weak'; why: string }
  /** It installs but may resolve anew or ignore the lock. */
  | { kind: 'unenforced'; why: string };

export type { LanguageId };

export interface Ecosystem {
  /** The manager's id, the same the wizard uses (`pip-tools`, `modules` for Go modules). */
  id: string;
  language: LanguageId;
  label: string;
  /** Program names that belong to it (`mvn`, `mvnw`). */
  tools: readonly string[];
  /** Files that declare dependencies, then those that lock them (copied before the source). */
  manifests: readonly string[];
  lockFiles: readonly string[];
  /** Commands as a Dockerfile should write them; a generated project's Dockerfile writes exactly these. */
  examples: {
    /** Production dependencies only, lock enforced. */
    install: string;
    /** With the dev/test dependencies, lock enforced. */
    installDev: string;
    /** Lock anew (on the developer's machine, never in the build). */
    lock: string;
    test: string;
  };
  /**
   * How a developer's environment (a dev container on the builder stage, in the project directory)
   * installs every dependency from the lock, where `examples.installDev` would not work there.
   */
  devSetup?: string;
  /** The wrapper that runs a tool inside the manager's environment (`pipenv run`); pip has none. */
  run?: string;
  /** How a generated project locks anew; only the managers the wizard offers have it (Maven has no lock). */
  lock?: Lock;
  /** The command installs the project's dependencies (from a manifest or lock, not named packages). */
  installs(c: Cmd): boolean;
  /** It installs the dev/test dependencies too. */
  installsDev(c: Cmd): boolean;
  /** It installs dependencies but not the project itself (the first step of a two-step install). */
  skipsProject?(c: Cmd): boolean;
  /**
   * What an install does with the lock; `verified` is true when a command for which
   * `verifiesLock` holds ran before it (poetry's `check --lock`). Null for other commands.
   */
  lockUse(c: Cmd, env: Env, verified: boolean): LockUse | null;
  /** A separate command that fails on a stale lock (`poetry check --lock`). */
  verifiesLock?(c: Cmd): boolean;
  /** What the command does to the lock when run in a build (`resolves a new lock`), or null. */
  locksAnew(c: Cmd): string | null;
  /** The command runs the test suite (test-skipping flags are the audit's concern). */
  runsTests(c: Cmd): boolean;
}

/** Locking anew, as a generated project does it on the developer's machine (and in its builder image). */
export interface Lock {
  /** The commands, in order, with the mirror (null = the public registry) as this manager takes it. */
  commands(mirror: string | null): Command[];
  /** Every file they write in the project (Go's tidy rewrites go.mod too). */
  writes: readonly string[];
  /** Why the locked install cannot drift from the lock, where the Dockerfile says it in a comment. */
  check?: string;
}

/** The first argument that is not an option (the subcommand of most tools). */
export const subcommand = (c: Cmd): string | undefined => c.args.find((a) => !a.startsWith('-'));

/** True when any argument is one of `options` (`--opt` or `--opt=value`). */
export const hasOption = (c: Cmd, ...options: string[]): boolean => c.args.some((a) => options.includes(a.split('=')[0]!));

/** Arguments after the subcommand that are not options (packages named on the command line). */
export const operands = (c: Cmd): string[] => {
  const at = c.args.findIndex((a) => !a.startsWith('-'));
  return at === -1 ? [] : c.args.slice(at + 1).filter((a) => !a.startsWith('-'));
};

/** An environment switch that is on (`1`, `true`, `yes`; not empty, `0`, `false`, `no`). */
export const envOn = (env: Env, ...names: string[]): boolean =>
  names.some((name) => {
    const value = env.get(name);
    return value !== undefined && !['', '0', 'false', 'no', 'off'].includes(value.toLowerCase());
  });
