import * as p from '@clack/prompts';
import pc from 'picocolors';
import { plainUi } from './plain.ts';
import { CANCEL, type Io, type Ui } from './port.ts';

/**
 * A person at a terminal: clack's prompts, spinners and frame. A dry run's report is the product,
 * so it is written as plain lines (what a pipe would get), after the questions.
 */
export function terminalUi(io: Io, signal: AbortSignal, { dryRun = false } = {}): Ui {
  const common = { input: io.stdin, output: io.stdout, signal };
  const output = { output: io.stdout };
  const plain = plainUi(io);
  const said = <T>(value: T | symbol): Exclude<T, symbol> | typeof CANCEL => (p.isCancel(value) ? CANCEL : (value as Exclude<T, symbol>));
  const ui: Ui = {
    intro: () => p.intro(pc.inverse(' create-hardened-service '), common),
    async ask(question) {
      const message = `${question.message} ${pc.dim(question.hint)}`;
      if (question.kind === 'text') {
        const { placeholder, initialValue, defaultValue, validate } = question;
        return said(await p.text({ ...common, message, placeholder, initialValue, defaultValue, validate: (raw) => validate(raw ?? '') }));
      }
      if (question.kind === 'select') {
        return said(await p.select({ ...common, message, options: question.choices.map(({ value, label, hint }) => ({ value, label, hint })), initialValue: question.initialValue }));
      }
      return said(
        await p.multiselect({
          ...common,
          message,
          options: question.choices.map(({ value, label, hint }) => ({ value, label, hint })),
          initialValues: [...question.initialValues],
          required: true,
        }),
      );
    },
    answers: () => {},
    warn: (text) => p.log.warn(text, output),
    async confirm(summary) {
      p.note(summary, 'Your service', common);
      return said(await p.confirm({ ...common, message: 'Create it?', initialValue: true }));
    },
    async pickChange(choices) {
      const stop = { value: '', label: 'Nothing: stop here', hint: 'write nothing' };
      const picked = said(
        await p.select({ ...common, message: `Change an answer? ${pc.dim('the summary comes back after it')}`, options: [...choices, stop], initialValue: choices[0]?.value }),
      );
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
