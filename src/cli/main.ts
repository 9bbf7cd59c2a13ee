import { resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import pc from 'picocolors';
import type { Preset } from '../options/preset.ts';
import type { Answers, Options } from '../options/types.ts';
import { escapeControls, showName, UsageError } from '../options/validate.ts';
import { cancelMessage, signalExitCode, trapSignals, type Stop } from '../tasks/interrupted.ts';
import type { Conflict } from '../write/atomic.ts';
import { targetProblem } from '../write/target.ts';
import { VERSION } from '../version.ts';
import { parseArgv, type SubcommandName } from './args.ts';
import { helpText } from './help.ts';

export interface Io {
  stdin: Readable & { isTTY?: boolean };
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable;
  env: NodeJS.ProcessEnv;
  cwd?: string;
}

export const EXIT = { ok: 0, failure: 1, usage: 2, cancelled: 130 } as const;

/** Subcommands: each parses its own argv, with its own options and help (one line each). */
const SUBCOMMANDS: Record<SubcommandName, () => Promise<(argv: readonly string[], io: Io) => Promise<number>>> = {
  audit: async () => (await import('./audit.ts')).runAudit,
  pin: async () => (await import('./pin.ts')).runPin,
};

class Cancelled extends Error {}

/** Pin base, CA-bundle and frontend images to digests where their registry answers (fix 6); say which could not be. */
async function pinImages(options: Options, stop: Stop): Promise<string[]> {
  const { pinDigests } = await import('../tasks/pin.ts');
  const optional = [options.certBundle, options.syntax].filter((ref): ref is string => ref !== null);
  const refs = [options.images.builder, options.images.runtime, ...optional];
  // A signal while a registry is slow to answer is a cancel like any other.
  const { pinned, unpinned } = await pinDigests(refs, 2500, stop.signal);
  if (stop.signal.aborted) throw new Cancelled();
  options.images.builder = pinned[options.images.builder] ?? options.images.builder;
  options.images.runtime = pinned[options.images.runtime] ?? options.images.runtime;
  if (options.certBundle) options.certBundle = pinned[options.certBundle] ?? options.certBundle;
  if (options.syntax) options.syntax = pinned[options.syntax] ?? options.syntax;
  if (unpinned.length === 0) return [];
  return [
    `only tags could be pinned (no digest) for: ${unpinned.map(({ ref, error }) => `${ref} [${error}]`).join(', ')}. ` +
      'Rerun where the registry is reachable, or add @sha256:… to the FROM (and # syntax=) lines, so the base cannot drift.',
  ];
}

/** Refuse a target that cannot take the project (see targetProblem). */
function refuseTarget(directory: string, target: string, force: boolean): void {
  const problem = targetProblem(directory, target, force);
  if (problem) throw new UsageError(`[directory]: ${problem}`);
}

/** One line per path in the way of --force, saying how it is in the way. */
function describeConflict({ path, what }: Conflict, lockFiles: readonly string[]): string {
  const shown = showName(path);
  if (what === 'symbolic link') return `${shown} (a symbolic link: never written through)`;
  if (what === 'not a directory') return `${shown} (not a directory, and the project needs one there)`;
  if (lockFiles.includes(path)) return `${shown} (the lock step would replace it: move it, or pass --no-lock)`;
  return shown;
}

/**
 * Errors writing our own output. A closed pipe (`| head`) or a terminal that went away (SIGHUP:
 * EIO) only means nobody reads any more; without a listener the error would kill the run between
 * writing and the tasks. Any other failure (a full disk: `> /dev/full`) is kept for the end.
 */
function watchOutput(stream: Writable): () => NodeJS.ErrnoException | undefined {
  let failure: NodeJS.ErrnoException | undefined;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && error.code !== 'EIO' && error.code !== 'ERR_STREAM_DESTROYED') failure ??= error;
  });
  return () => failure;
}

/**
 * The whole CLI: returns the exit code; only src/index.ts touches process.exit.
 * Output that cannot be written never changes what happens to the project: a project that was
 * written stays (exit 0, the failure on stderr); where the output was the product (--help,
 * --version, --dry-run) the run fails with exit 1.
 */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const stdoutFailure = watchOutput(io.stdout);
  watchOutput(io.stderr); // a failing stderr has nowhere left to be reported
  const run = { product: false, wrote: undefined as string | undefined };
  const subcommand = Object.hasOwn(SUBCOMMANDS, argv[0] ?? '') ? SUBCOMMANDS[argv[0] as SubcommandName] : undefined;
  // A subcommand's output is its product, like --help's.
  if (subcommand) run.product = true;
  let code = subcommand ? await (await subcommand())(argv.slice(1), io) : await wizard(argv, io, run);
  // A failed write is reported by an event after the call: let pending ones arrive.
  await new Promise((resolve) => setImmediate(resolve));
  const failure = stdoutFailure();
  if (failure) {
    const why = escapeControls(failure.message);
    if (run.wrote !== undefined && code === 0) {
      io.stderr.write(`${pc.yellow('warning')} could not write to standard output (${why}); what it said is lost, but the project was written to ${run.wrote}.\n`);
    } else {
      io.stderr.write(`${pc.red('error')} could not write to standard output (${why}).\n`);
      if (run.product && code === 0) code = EXIT.failure;
    }
  }
  return code;
}

/** Everything main does but judge its own output: notes in `run` whether that output was the product, and what was written. */
async function wizard(argv: readonly string[], io: Io, run: { product: boolean; wrote: string | undefined }): Promise<number> {
  const out = (text = '') => io.stdout.write(`${text}\n`);
  const err = (text: string) => io.stderr.write(`${text}\n`);
  const cwd = io.cwd ?? process.cwd();
  let stop: Stop | undefined;
  try {
    // 1. Flags
    const args = parseArgv(argv);
    run.product = args.help || args.version || args.switches.dryRun;
    if (args.help) return out(helpText(VERSION)), EXIT.ok;
    if (args.version) return out(VERSION), EXIT.ok;

    // From here on every terminating signal is a cancel: undone, exit 128+N, no child left running.
    stop = trapSignals();

    // Everything below loads lazily, so --help and --version start fast.
    const { loadPreset } = await import('../options/preset.ts');
    const { buildOptions, completeAnswers, settle } = await import('../options/resolve.ts');
    const { languageById, managerById } = await import('../languages/index.ts');
    const { formatAnswers } = await import('./summary.ts');

    // 2. Preset, then flags over it
    const presetFile = args.preset ?? io.env.HARDENED_SERVICE_PRESET;
    const presetSource = args.preset !== undefined ? '--preset' : 'HARDENED_SERVICE_PRESET';
    const preset: Preset | undefined = presetFile ? loadPreset(resolve(cwd, presetFile), presetSource) : undefined;
    const settled = settle(args.flags, preset, args.aliases);
    const interactive = Boolean(io.stdin.isTTY && io.stdout.isTTY) && !args.switches.yes;
    // A directory from the command line that cannot take the project: refuse before asking
    // anything (step 5 checks a prompted or default one; the prompt validates inline).
    if (settled.fixed.directory !== undefined) {
      refuseTarget(settled.fixed.directory, resolve(cwd, settled.fixed.directory), args.switches.force);
    }

    // 3. Prompts for what is still open (only with a TTY and without --yes)
    let given: Partial<Answers>;
    if (interactive) {
      const { promptAnswers } = await import('../prompts/interactive.ts');
      const answers = await promptAnswers({ ...settled, cwd, force: args.switches.force, input: io.stdin, output: io.stdout, signal: stop.signal });
      if (typeof answers === 'symbol') throw new Cancelled();
      given = answers;
    } else {
      given = { ...settled.suggested, ...settled.fixed };
    }

    // 4. Defaults, computed images, pinned versions: one Options object
    const options = buildOptions(completeAnswers(given, cwd), preset?.versions ?? {}, VERSION);
    const pinWarnings = await pinImages(options, stop);
    const language = languageById(options.language)!;
    const manager = managerById(language, options.manager)!;
    const target = resolve(cwd, options.directory);

    // 5. The target must be empty, or (--force) free of every path we write
    const { existingEntries, findConflicts } = await import('../write/atomic.ts');
    refuseTarget(options.directory, target, args.switches.force);
    const entries = await existingEntries(target);

    // 6. Render everything in memory (pure)
    const { renderProject } = await import('../render/render.ts');
    const files = renderProject(options);
    if (entries.length > 0) {
      // The lock step writes its files too: one the user has would be replaced.
      const lockFiles = args.switches.lock && manager.lockCommands(options).length > 0 ? manager.lockFiles : [];
      const conflicts = await findConflicts(target, [...files.keys(), ...lockFiles]);
      if (conflicts.length > 0) {
        throw new UsageError(
          `--force: these paths in ${showName(options.directory)} are in the way (nothing is ever overwritten or written through a symbolic link), so nothing was written:\n  ${conflicts.map((conflict) => describeConflict(conflict, lockFiles)).join('\n  ')}`,
          '--force',
        );
      }
    }
    const warnings = [...pinWarnings, ...language.warnings(options)];

    if (!interactive || args.switches.dryRun) {
      out(`${pc.bold('create-hardened-service')} ${VERSION}${preset ? pc.dim(` (preset ${showName(preset.file)})`) : ''}`);
      out(formatAnswers(options).replace(/^/gm, '  '));
    }
    if (interactive && !args.switches.dryRun) {
      // Inside the wizard's frame, not raw lines through it.
      const { warn } = await import('../prompts/interactive.ts');
      for (const warning of warnings) warn(warning, io.stdout);
    } else {
      for (const warning of warnings) err(`${pc.yellow('warning')} ${warning}`);
    }

    if (args.switches.dryRun) {
      const { formatTree } = await import('../write/tree.ts');
      out();
      out(formatTree(options.directory, files));
      out(pc.dim('Dry run: nothing was written.'));
      if (stop.signal.aborted) throw new Cancelled();
      return EXIT.ok;
    }

    if (interactive) {
      const { confirmAnswers } = await import('../prompts/interactive.ts');
      const ok = await confirmAnswers(formatAnswers(options), { input: io.stdin, output: io.stdout, signal: stop.signal });
      if (ok !== true) throw new Cancelled();
    }

    // 7. Write atomically, then the tasks; a signal anywhere undoes everything
    const { runTasks } = await import('./tasks.ts');
    const code = await runTasks({ options, manager, target, files, switches: args.switches, interactive, io, stop });
    if (code === EXIT.ok) run.wrote = showName(options.directory);
    return code;
  } catch (error) {
    if (error instanceof Cancelled || stop?.signal.aborted) {
      // Esc, Ctrl-C and No at a prompt are plain cancels (130); a signal gives 128+N.
      const signal = stop?.received();
      err(cancelMessage(signal));
      return signal ? signalExitCode(signal) : EXIT.cancelled;
    }
    if (error instanceof UsageError) {
      err(`${pc.red('error')} ${error.message}`);
      err('Nothing was written.');
      return EXIT.usage;
    }
    // The message says what failed; the minified stack helps only a maintainer (DEBUG=1 shows it).
    const detail = io.env.DEBUG ? ((error as Error)?.stack ?? String(error)) : ((error as Error)?.message ?? String(error));
    // System messages quote paths, which may hold anything.
    err(`${pc.red('error')} unexpected failure: ${escapeControls(detail)}`);
    err('Nothing was left half-written.');
    return EXIT.failure;
  } finally {
    stop?.release();
  }
}
