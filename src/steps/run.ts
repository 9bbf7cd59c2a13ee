// The wizard's entry (dist/run.js, which takes nothing from dist/shared.js): a run that only a person
// can start with the first question (first.ts) gets it drawn before the wizard (wizard.ts: the answer
// rules, languages, presets and steps) is loaded; that loads once it is answered. Every other run
// loads the wizard at once. Time to the first prompt is start-up time: `npm run bench`.
// dist/run.js carries its own copy of each module it takes (scripts/build.mjs), so what crosses to
// the wizard is plain: the trap, the typed text, a failure to report; never CANCEL (a cancel here is
// answered here). The trap's abort reason is this copy's Interrupted: the wizard tells a cancel by
// the trap's signal being aborted, not by that class.
import { trapSignals } from '../tasks/interrupted.ts';
import { CANCEL, type Io } from '../ui/port.ts';
import type { FirstAnswer } from './first.ts';
import type { RunReport } from './wizard.ts';

export type { RunReport };

/**
 * Whether the first question may be drawn before the wizard loads: a terminal at both ends (a
 * person is asked), no argument (no directory, flag, --yes or --preset to settle first) and no
 * preset from the environment (it is read, and may fail, before any question).
 */
function firstQuestionFirst(argv: readonly string[], io: Io): boolean {
  return argv.length === 0 && Boolean(io.stdin.isTTY && io.stdout.isTTY) && !io.env.HARDENED_SERVICE_PRESET;
}

/** The wizard: returns the exit code. */
export async function runWizard(argv: readonly string[], io: Io, report: RunReport): Promise<number> {
  if (!firstQuestionFirst(argv, io)) return (await import('./wizard.ts')).runWizard(argv, io, report);
  // From here on every terminating signal is a cancel, as in the wizard (which takes this trap over).
  const stop = trapSignals();
  // Only now clack and the directory's rules (first.ts): a run that goes straight to the wizard (--yes,
  // no terminal) loads neither, nor node:readline.
  const { askFirst, cancelled } = await import('./first.ts');
  let first: FirstAnswer;
  try {
    const answer = await askFirst(io, stop);
    if (answer === CANCEL) {
      // Nothing is written before the first answer, and nothing else was loaded: say so and stop.
      const code = cancelled(stop, io);
      stop.release();
      return code;
    }
    first = { stop, ...answer };
  } catch (failure) {
    // Reported as the wizard reports any failure.
    first = { stop, failure };
  }
  return (await import('./wizard.ts')).runWizard(argv, io, report, first);
}
