// The intro and a text question as the terminal draws them (clack), apart from the rest of the
// terminal UI (terminal.ts) so the first question can be drawn with only these of clack's prompts
// loaded (steps/first.ts). terminal.ts draws every intro and text question through here.
import { intro, isCancel, text } from '@clack/prompts';
import pc from 'picocolors';
import { CANCEL, type Cancel, type Io, type Question } from './port.ts';

/** What every prompt is opened with: the terminal, and its own signal. */
export type PromptCommon = { input: Io['stdin']; output: Io['stdout']; signal: AbortSignal };

/**
 * Run one prompt with its own signal, tied to the run's for as long as it is open: clack leaves its
 * listener on the signal it is given, and a long session (answers changed) would pile them up.
 */
export async function openPrompt<T>(io: Io, signal: AbortSignal, prompt: (common: PromptCommon) => Promise<T>): Promise<T> {
  const local = new AbortController();
  const forward = () => local.abort(signal.reason);
  if (signal.aborted) forward();
  else signal.addEventListener('abort', forward, { once: true });
  try {
    return await prompt({ input: io.stdin, output: io.stdout, signal: local.signal });
  } finally {
    signal.removeEventListener('abort', forward);
  }
}

/** What a prompt gave, with clack's cancel as ours (Esc, Ctrl-C, or the run's signal). */
export const said = <T>(value: T | symbol): Exclude<T, symbol> | Cancel => (isCancel(value) ? CANCEL : (value as Exclude<T, symbol>));

/** A question's line: its words, then its hint dimmed. */
export const questionLine = (question: Question): string => `${question.message} ${pc.dim(question.hint)}`;

/** The first words of an interactive run. */
export const drawIntro = (io: Io): void => intro(pc.inverse(' create-hardened-service '), { output: io.stdout });

/** Ask a text question: what was typed (or its default), or CANCEL. */
export async function askText(io: Io, signal: AbortSignal, question: Extract<Question, { kind: 'text' }>): Promise<string | Cancel> {
  const { placeholder, initialValue, defaultValue, validate } = question;
  const message = questionLine(question);
  return said(await openPrompt(io, signal, (common) => text({ ...common, message, placeholder, initialValue, defaultValue, validate: (raw) => validate(raw ?? '') })));
}
