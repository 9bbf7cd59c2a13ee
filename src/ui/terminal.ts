import * as p from '@clack/prompts';
import pc from 'picocolors';
import { plainUi } from './plain.ts';
import { CANCEL, type Io, type Ui } from './port.ts';

/**
 * A person at a terminal: clack's prompts, spinners and frame. A dry run's report is the product,
 * so it is written as plain lines (what a pipe would get), after the questions.
 */
export function terminalUi(io: Io, signal: AbortSignal, { dryRun = false } = {}): Ui {
  const output = { output: io.stdout };
  // Each prompt gets its own signal, tied to the run's for as long as it is open: clack leaves its
  // listener on the signal it is given, and a long session (answers changed) would pile them up.
  const open = async <T>(prompt: (common: { input: Io['stdin']; output: Io['stdout']; signal: AbortSignal }) => Promise<T>): Promise<T> => {
    const local = new AbortController();
    const forward = () => local.abort(signal.reason);
    if (signal.aborted) forward();
    else signal.addEventListener('abort', forward, { once: true });
    try {
      return await prompt({ input: io.stdin, output: io.stdout, signal: local.signal });
    } finally {
      signal.removeEventListener('abort', forward);
    }
  };
  const plain = plainUi(io);
  const said = <T>(value: T | symbol): Exclude<T, symbol> | typeof CANCEL => (p.isCancel(value) ? CANCEL : (value as Exclude<T, symbol>));
  const ui: Ui = {
    intro: () => p.intro(pc.inverse(' create-hardened-service '), output),
    async ask(question) {
      const message = `${question.message} ${pc.dim(question.hint)}`;
      if (question.kind === 'text') {
        const { placeholder, initialValue, defaultValue, validate } = question;
        return said(await open((common) => p.text({ ...common, message, placeholder, initialValue, defaultValue, validate: (raw) => validate(raw ?? '') })));
      }
      if (question.kind === 'select') {
        const options = question.choices.map(({ value, label, hint }) => ({ value, label, hint }));
        return said(await open((common) => p.select({ ...common, message, options, initialValue: question.initialValue })));
      }
      const options = question.choices.map(({ value, label, hint }) => ({ value, label, hint }));
      return said(await open((common) => p.multiselect({ ...common, message, options, initialValues: [...question.initialValues], required: true })));
    },
    answers: () => {},
    warn: (text) => p.log.warn(text, output),
    async confirm(summary) {
      p.note(summary, 'Your service', output);
      return said(await open((common) => p.confirm({ ...common, message: 'Create it?', initialValue: true })));
    },
    async pickChange(choices) {
      const stop = { value: '', label: 'Nothing: stop here', hint: 'write nothing' };
      const message = `Change an answer? ${pc.dim('the summary comes back after it')}`;
      const picked = said(await open((common) => p.select({ ...common, message, options: [...choices, stop], initialValue: choices[0]?.value })));
      return picked === '' ? undefined : picked;
    },
    command: (line) => p.log.info(`Same project without prompts:\n${line}`, output),
    async task(title, work, done) {
      const spin = p.spinner(output);
      spin.start(title);
      // clack's spinner puts stdin in raw mode and calls process.exit(0) on Ctrl-C, skipping the undo.
      // In cooked mode the terminal turns Ctrl-C into SIGINT, which the run's trap handles (exit 130).
      const stdin = io.stdin as NodeJS.ReadStream;
      if (stdin.isTTY && typeof stdin.setRawMode === 'function') stdin.setRawMode(false);
      try {
        const result = await work();
        spin.stop(done(result));
        return result;
      } catch (error) {
        spin.error(title);
        throw error;
      }
    },
    note: (_kind, text) => p.log.warn(text, output),
    outro: (next) => p.outro(`Done. Next:\n${next.map((line) => `   ${line}`).join('\n')}`, output),
    print: (text) => plain.print(text),
  };
  return dryRun ? { ...ui, answers: plain.answers, warn: plain.warn, command: plain.command } : ui;
}
