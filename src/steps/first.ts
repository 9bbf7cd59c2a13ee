// The first question before the rest of the wizard. In the common case (a terminal, no argument, no
// preset from the environment) nothing can answer the directory question nor come before it, so it is
// drawn with only clack's intro and text prompts, picocolors and the directory's own rules loaded (dist/run.js, which takes
// nothing from dist/shared.js); the answer rules, the languages, presets and the steps load once it
// is answered (run.ts). Every other run takes the wizard's own path, which asks every question with
// the same textQuestion (prompt.ts).
import { resolve } from 'node:path';
import type { Answer, AnswerContext } from '../options/answers.ts';
import { DIRECTORY, flagValue } from '../options/first-question.ts';
import type { AnswerKey, Answers } from '../options/types.ts';
import { cancelMessage, signalExitCode, type Stop } from '../tasks/interrupted.ts';
import { CANCEL, type Io, type Question, type Ui } from '../ui/port.ts';
import { targetProblem } from '../write/target.ts';
import { EXIT } from './exit.ts';

/** A check's message under the prompt: without the "flag: value" lead, and the example without its flag. */
export function inline(error: unknown, flag: string): string {
  // The value is shown JSON-quoted, so it may hold escaped quotes (\").
  return (error as Error).message.replace(/^[^:]+: ("(?:[^"\\]|\\.)*" )?/, '').replace(`Example: ${flag} `, 'Example: ');
}

/** What a question starts from: `current` (a preset's suggestion, the answer being changed), else the default (none when it cannot be made). */
export function standing<K extends AnswerKey>(spec: Answer<K>, ctx: AnswerContext, current: Answers[K] | undefined): Answers[K] | undefined {
  if (current !== undefined) return current;
  try {
    return spec.default(ctx);
  } catch {
    return undefined;
  }
}

/**
 * The question for a text answer: its wording, what an empty answer stands for, and the inline check
 * (`check` is the answer's rule with the answers before it; a directory must also be able to take the
 * project). `current` is what stands: a preset's suggestion, or the answer being changed.
 */
export function textQuestion<K extends AnswerKey>(spec: Answer<K>, ctx: AnswerContext, current: Answers[K] | undefined, check: (raw: string) => Answers[K], force: boolean): Extract<Question, { kind: 'text' }> {
  const prompt = spec.prompt;
  if (prompt.kind !== 'text') throw new Error(`${spec.key} is not asked as text`);
  const problem = (raw: string) => {
    try {
      check(raw);
      return undefined;
    } catch (error) {
      return inline(error, spec.flag);
    }
  };
  const message = prompt.message(ctx);
  const placeholder = prompt.placeholder?.(ctx);
  if (prompt.empty === 'default') {
    const fallback = flagValue(spec.default(ctx));
    return {
      kind: 'text',
      message,
      hint: prompt.hint,
      placeholder,
      defaultValue: fallback,
      initialValue: current === undefined ? undefined : flagValue(current),
      validate: (raw) => {
        const value = raw || fallback;
        return problem(value) ?? (prompt.target ? targetProblem(value, resolve(ctx.cwd, value), force) : undefined);
      },
    };
  }
  const value = standing(spec, ctx, current);
  if (prompt.empty === 'none') {
    return { kind: 'text', message, hint: prompt.hint, placeholder, initialValue: value === undefined || value === null ? '' : flagValue(value), validate: (raw) => (raw ? problem(raw) : undefined) };
  }
  return { kind: 'text', message, hint: prompt.hint, placeholder, initialValue: value === undefined ? '' : flagValue(value), validate: problem };
}

/** What a question got: the typed text (a terminal's), a list, or nothing (a UI with nobody to ask). */
type Typed = Exclude<Awaited<ReturnType<Ui['ask']>>, typeof CANCEL>;

/**
 * What the wizard takes over from the first stage: the run's signal trap (set before the question was
 * drawn), and the first answer as typed, for prompt.ts to check as it checks any (the wizard's first
 * question must be `message`), or what failed while it was asked.
 */
export type FirstAnswer = { stop: Stop } & ({ message: string; typed: Typed } | { failure: unknown });

/**
 * Draw the intro and the directory question (what promptAnswers draws first when nothing is
 * settled) and wait: the typed text, or CANCEL (Esc, Ctrl-C, or a signal while it waits).
 */
export async function askFirst(io: Io, stop: Stop): Promise<{ message: string; typed: Typed } | typeof CANCEL> {
  const ctx: AnswerContext = { languages: [], answers: {}, cwd: io.cwd ?? process.cwd() };
  // As the terminal UI draws them (terminalUi's intro and ask), with only these of clack's prompts,
  // loaded here: the wizard takes this module's questions too, and a run without a terminal there
  // must not load clack (nor node:readline).
  const { askText, drawIntro } = await import('../ui/text-prompt.ts');
  drawIntro(io);
  const question = textQuestion(DIRECTORY, ctx, undefined, (raw) => DIRECTORY.check(raw, DIRECTORY.flag, ctx), false);
  const typed = await askText(io, stop.signal, question);
  if (typed === CANCEL || stop.signal.aborted) return CANCEL;
  return { message: question.message, typed };
}

/**
 * The wizard's UI with the first question taken as answered: its intro and question are on screen
 * already, so the intro draws nothing and the first question asked gets what was typed, once (it
 * must be the question that was drawn; a wizard that asked another first would be a bug).
 */
export function withFirstAnswer(ui: Ui, first: { message: string; typed: Typed }): Ui {
  let pending: typeof first | undefined = first;
  return {
    ...ui,
    intro: () => {},
    ask: async (question) => {
      if (pending === undefined) return ui.ask(question);
      const { message, typed } = pending;
      pending = undefined;
      if (question.message !== message) throw new Error(`the first question asked was ${JSON.stringify(question.message)}, not the one answered (${JSON.stringify(message)})`);
      return typed;
    },
  };
}

/** Say that the run was cancelled; its exit code: Esc, Ctrl-C and No at a prompt are plain cancels (130), a signal gives 128+N. */
export function cancelled(stop: Stop | undefined, io: Io): number {
  const signal = stop?.received();
  io.stderr.write(`${cancelMessage(signal)}\n`);
  return signal ? signalExitCode(signal) : EXIT.cancelled;
}
