import pc from 'picocolors';
import type { Io, Ui } from './port.ts';

/** No TTY, or --yes: nothing is asked, every answer and step is a line of the log. */
export function plainUi(io: Io): Ui {
  const out = (text = '') => io.stdout.write(`${text}\n`);
  const err = (text: string) => io.stderr.write(`${text}\n`);
  return {
    intro: () => {},
    ask: async () => undefined,
    answers: (header, summary) => {
      out(header);
      out(summary.replace(/^/gm, '  '));
    },
    warn: (text) => err(`${pc.yellow('warning')} ${text}`),
    confirm: async () => true,
    pickChange: async () => undefined,
    command: (line) => out(`Same project without prompts: ${line}`),
    task: async (_title, work, done) => {
      const result = await work();
      out(done(result));
      return result;
    },
    note: (kind, text) => err(`${pc.yellow(kind)} ${text}`),
    outro: (next) => out(`Done. Next:\n${next.map((line) => `  ${line}`).join('\n')}`),
    print: (text) => out(text),
  };
}
