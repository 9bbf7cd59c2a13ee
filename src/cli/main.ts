import { resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import pc from 'picocolors';
import type { Preset } from '../options/preset.ts';
import type { Answers, Options } from '../options/types.ts';
import { UsageError } from '../options/validate.ts';
import { targetProblem } from '../write/target.ts';
import { VERSION } from '../version.ts';
import { parseArgv } from './args.ts';
import { helpText } from './help.ts';

export interface Io {
  stdin: Readable & { isTTY?: boolean };
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable;
  env: NodeJS.ProcessEnv;
  cwd?: string;
}

export const EXIT = { ok: 0, failure: 1, usage: 2, cancelled: 130 } as const;

class Cancelled extends Error {}

/** Pin base, CA-bundle and frontend images to digests where their registry answers (fix 6); say which could not be. */
async function pinImages(options: Options): Promise<string[]> {
  const { pinDigests } = await import('../tasks/pin.ts');
  const optional = [options.certBundle, options.syntax].filter((ref): ref is string => ref !== null);
  const refs = [options.images.builder, options.images.runtime, ...optional];
  // Ctrl-C while a registry is slow to answer is a cancel like any other.
  const interrupt = new AbortController();
  const onSigint = () => interrupt.abort();
  process.once('SIGINT', onSigint);
  const { pinned, unpinned } = await pinDigests(refs, 2500, interrupt.signal).finally(() => process.off('SIGINT', onSigint));
  if (interrupt.signal.aborted) throw new Cancelled();
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

/** The whole CLI: returns the exit code; only src/index.ts touches process.exit. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const out = (text = '') => io.stdout.write(`${text}\n`);
  const err = (text: string) => io.stderr.write(`${text}\n`);
  const cwd = io.cwd ?? process.cwd();
  // `… | head`: once the reader is gone, a write fails with EPIPE; without a listener that error
  // would kill the run between writing and the tasks. The run goes on, its output unread.
  const ignoreClosedPipe = (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  };
  io.stdout.on('error', ignoreClosedPipe);
  io.stderr.on('error', ignoreClosedPipe);
  try {
    // 1. Flags
    const args = parseArgv(argv);
    if (args.help) return out(helpText(VERSION)), EXIT.ok;
    if (args.version) return out(VERSION), EXIT.ok;
    if (args.audit !== undefined) {
      const { runAudit } = await import('./audit.ts');
      return await runAudit(resolve(cwd, args.audit), io);
    }

    // Everything below loads lazily, so --help and --version start fast.
    const { loadPreset } = await import('../options/preset.ts');
    const { buildOptions, completeAnswers, settle } = await import('../options/resolve.ts');
    const { languageById, managerById } = await import('../languages/index.ts');
    const { formatAnswers } = await import('./summary.ts');

    // 2. Preset, then flags over it
    const presetFile = args.preset ?? io.env.HARDENED_SERVICE_PRESET;
    const preset: Preset | undefined = presetFile ? loadPreset(resolve(cwd, presetFile)) : undefined;
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
      const answers = await promptAnswers({ ...settled, cwd, force: args.switches.force, input: io.stdin, output: io.stdout });
      if (typeof answers === 'symbol') throw new Cancelled();
      given = answers;
    } else {
      given = { ...settled.suggested, ...settled.fixed };
    }

    // 4. Defaults, computed images, pinned versions: one Options object
    const options = buildOptions(completeAnswers(given, cwd), preset?.versions ?? {}, VERSION);
    const pinWarnings = await pinImages(options);
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
      const conflicts = await findConflicts(target, files);
      if (conflicts.length > 0) {
        throw new UsageError(
          `--force: these files already exist in ${options.directory} and would be overwritten, so nothing was written:\n  ${conflicts.join('\n  ')}`,
          '--force',
        );
      }
    }
    const warnings = [...pinWarnings, ...language.warnings(options)];

    if (!interactive || args.switches.dryRun) {
      out(`${pc.bold('create-hardened-service')} ${VERSION}${preset ? pc.dim(` (preset ${preset.file})`) : ''}`);
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
      return EXIT.ok;
    }

    if (interactive) {
      const { confirmAnswers } = await import('../prompts/interactive.ts');
      const ok = await confirmAnswers(formatAnswers(options), { input: io.stdin, output: io.stdout });
      if (ok !== true) throw new Cancelled();
    }

    // 7. Write atomically, then the tasks; Ctrl-C anywhere undoes everything
    const { runTasks } = await import('./tasks.ts');
    return await runTasks({ options, manager, target, files, switches: args.switches, interactive, io });
  } catch (error) {
    if (error instanceof Cancelled) {
      err('Cancelled. Nothing was written.');
      return EXIT.cancelled;
    }
    if (error instanceof UsageError) {
      err(`${pc.red('error')} ${error.message}`);
      err('Nothing was written.');
      return EXIT.usage;
    }
    // The message says what failed; the minified stack helps only a maintainer (DEBUG=1 shows it).
    const detail = io.env.DEBUG ? ((error as Error)?.stack ?? String(error)) : ((error as Error)?.message ?? String(error));
    err(`${pc.red('error')} unexpected failure: ${detail}`);
    err('Nothing was left half-written.');
    return EXIT.failure;
  }
}
