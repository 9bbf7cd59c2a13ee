// The wizard as named steps over one run (create-astro's src/index.ts): each step takes what it
// needs and returns new values; this runner owns the one signal trap and the undo. run.ts loads it,
// at once or once the first question is answered (first.ts).
import { join, relative } from 'node:path';
import pc from 'picocolors';
import { helpText } from '../cli/help.ts';
import { answersHelp } from '../cli/help-answers.ts';
import { withPreset } from '../options/resolve.ts';
import { UsageError } from '../options/validate.ts';
import { Interrupted, trapSignals, type Stop } from '../tasks/interrupted.ts';
import { escapeControls, showCommand, showName } from '../text/show.ts';
import { CANCEL, type Io, type Ui } from '../ui/port.ts';
import { VERSION } from '../version.ts';
import type { Written } from '../write/atomic.ts';
import { Cancelled, EXIT } from './exit.ts';
import { cancelled, withFirstAnswer, type FirstAnswer } from './first.ts';
import { readPreset, recordIn } from './preset.ts';
import { settleAnswers } from './settle.ts';
import { promptAnswers, changeAnswer, changeable } from './prompt.ts';
import type { PinCache } from './pin.ts';
import { parse } from './parse.ts';
import type { Note } from './notes.ts';

/** What main needs to judge its own output afterwards: whether it was the product, and where a project was written. */
export interface RunReport {
  product: boolean;
  wrote: string | undefined;
}

/**
 * The wizard: returns the exit code. `first` is the first question as already asked (first.ts),
 * with the run's signal trap: its answer stands for what the first question would get.
 */
export async function runWizard(argv: readonly string[], io: Io, report: RunReport, first?: FirstAnswer): Promise<number> {
  const err = (text: string) => io.stderr.write(`${text}\n`);
  const cwd = io.cwd ?? process.cwd();
  let stop: Stop | undefined = first?.stop;
  // What undo removes if the run stops after writing: the project, and what the tools made in it.
  let written: Written | undefined;
  let extras: string[] = [];
  try {
    if (first && 'failure' in first) throw first.failure;
    // 1. parse
    const args = parse(argv);
    report.product = args.help || args.version || args.switches.dryRun;
    // The answer rules over this build's languages (loaded only past --version).
    const { RULES: rules } = await import('../answer-rules.ts');
    if (args.help) return io.stdout.write(`${helpText(VERSION, answersHelp(rules.languages))}\n`), EXIT.ok;
    if (args.version) return io.stdout.write(`${VERSION}\n`), EXIT.ok;
    // From here on every terminating signal is a cancel: undone, exit 128+N, no child left running.
    stop ??= trapSignals();
    const { switches } = args;

    // 2. preset, 3. settle: flags over the preset, every value checked
    const chosen = await readPreset(args.preset, io.env, cwd, stop.signal);
    const settled = settleAnswers({ rules, flags: args.flags, aliases: args.aliases, preset: chosen.preset, cwd, force: switches.force });

    // 4. prompt for what is still open (a plain UI asks nothing: suggestions stand)
    const interactive = !switches.yes && Boolean(io.stdin.isTTY && io.stdout.isTTY);
    const drawn: Ui = interactive
      ? (await import('../ui/terminal.ts')).terminalUi(io, stop.signal, { dryRun: switches.dryRun })
      : (await import('../ui/plain.ts')).plainUi(io);
    const ui = first && 'typed' in first ? withFirstAnswer(drawn, first) : drawn;
    // The steps after the answers load while a person answers, never before the first question is
    // drawn nor while it is read: after an answer, once the next question is on screen (asking draws
    // it before waiting). Loading is CPU work; before or right after the first prompt it is start-up.
    let later: Promise<typeof import('./later.ts')> | undefined;
    const loadLater = () => (later ??= import('./later.ts'));
    const preloading: Ui = {
      ...ui,
      ask: async (question) => {
        const answer = await ui.ask(question);
        // A failure is seen where the steps are awaited.
        if (answer !== CANCEL && !stop?.signal.aborted) setImmediate(() => loadLater().catch(() => {}));
        return answer;
      },
    };
    const promptInput = { rules, settled, ui: interactive ? preloading : ui, cwd, force: switches.force };
    let given = await promptAnswers(promptInput);
    const { completeOptions, pinImages, checkTarget, renderFiles, confirmRun, equivalentArgs, formatAnswers, formatTree, writeFiles, lockProject, nextSteps, present } = await loadLater();
    const pins: PinCache = new Map();
    const header = `${pc.bold('create-hardened-service')} ${VERSION}${chosen.preset ? pc.dim(` (preset ${showName(chosen.preset.file)})`) : ''}`;
    for (;;) {
      // 5. complete, 6. pin (new, frozen options), 7. target, 8. render (pure), 9. confirm
      const { answers, options: unpinned } = completeOptions(rules, given, cwd, chosen.preset?.versions ?? {}, VERSION);
      // The target is checked while the registries are asked (pinning never changes the directory).
      const pinning = pinImages(unpinned, io.env, stop, pins);
      pinning.catch(() => {}); // a failed target check reports first; a cancel is seen again below
      const { target, entries } = await checkTarget(unpinned.directory, cwd, switches.force);
      const pinned = await pinning;
      // The record names a preset file relative to the project, so it still resolves after a move.
      const options = withPreset(pinned.options, recordIn(chosen, target));
      const rendered = await renderFiles(options, rules.languages, target, entries, switches.lock);
      const again = equivalentArgs(rules, answers, chosen.preset && chosen.given ? { preset: chosen.preset, given: chosen.given } : undefined, cwd);
      const kept = [...(switches.git ? [] : ['--no-git']), ...(switches.lock ? [] : ['--no-lock'])];
      const decision = await confirmRun({
        ui,
        header,
        summary: formatAnswers(options),
        warnings: [...pinned.warnings, ...rendered.warnings],
        command: showCommand('npx', [`create-hardened-service@${VERSION}`, ...again, ...kept]),
        dryRun: switches.dryRun ? { tree: () => formatTree(options.directory, rendered.files) } : undefined,
        changeable: () => changeable(given, answers, promptInput),
      });
      if (decision.kind === 'dry-run') {
        if (stop.signal.aborted) throw new Cancelled();
        return EXIT.ok;
      }
      if (decision.kind === 'change') {
        given = await changeAnswer(decision.key, given, promptInput);
        continue;
      }

      // 10. write, 11. lock, 12. git: a signal anywhere undoes everything
      const directory = relative(cwd, target) || '.';
      // Paths the lock tool or git may create: undo removes only those that were not there before.
      extras = [...rendered.lockFiles, '.git', '.venv'].filter((path) => !present(join(target, path)));
      written = await writeFiles(ui, target, rendered.files, directory, stop);
      const notes: Note[] = [];
      const locked = await lockProject(ui, rendered.lock, switches.lock, target, directory, io.env, stop);
      notes.push(...locked.notes);
      if (switches.git) {
        const paths = [...new Set([...rendered.files.keys(), ...locked.files])];
        const { commitProject } = await import('./git.ts');
        notes.push(...(await commitProject(ui, paths, written.createdTarget, target, directory, options.generatorVersion, io.env, stop)));
      }
      // 13. next
      nextSteps(ui, notes, directory, options.name, locked.first);
      report.wrote = showName(options.directory);
      return EXIT.ok;
    }
  } catch (error) {
    // Undo only once nothing runs any more: the tools are gone when their step has returned.
    await written?.undo(extras);
    if (error instanceof Cancelled || error instanceof Interrupted || stop?.signal.aborted) {
      return cancelled(stop, io);
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
