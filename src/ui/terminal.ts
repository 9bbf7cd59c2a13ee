import * as p from '@clack/prompts';
import pc from 'picocolors';
import { plainUi } from './plain.ts';
import type { Io, Ui } from './port.ts';
import { askText, drawIntro, openPrompt, questionLine, said, type PromptCommon } from './text-prompt.ts';

/**
 * A person at a terminal: clack's prompts, spinners and frame. A dry run's report is the product,
 * so it is written as plain lines (what a pipe would get), after the questions.
 */
export function terminalUi(io: Io, signal: AbortSignal, { dryRun = false } = {}): Ui {
  const output = { output: io.stdout };
  const open = <T>(prompt: (common: PromptCommon) => Promise<T>) => openPrompt(io, signal, prompt);
  const plain = plainUi(io);
  const ui: Ui = {
    intro: () => drawIntro(io),
    async ask(question) {
      if (question.kind === 'text') return askText(io, signal, question);
      const message = questionLine(question);
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
