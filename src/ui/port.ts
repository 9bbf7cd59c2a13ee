// What the run's steps need from whoever is at the other end: a person at a terminal (terminal.ts,
// clack) or a log (plain.ts: no TTY, --yes). Steps call the port and never ask which one it is.
import type { Readable, Writable } from 'node:stream';

/** Esc or Ctrl-C at a prompt. */
export const CANCEL = Symbol('cancel');
export type Cancel = typeof CANCEL;

export interface Io {
  stdin: Readable & { isTTY?: boolean };
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable;
  env: NodeJS.ProcessEnv;
  cwd?: string;
}

export interface Choice {
  value: string;
  label: string;
  hint?: string;
}

/** One question, worded and checked by the answers table. */
export type Question =
  | {
      kind: 'text';
      message: string;
      hint: string;
      placeholder?: string;
      initialValue?: string;
      /** What an empty answer stands for (shown as the placeholder). */
      defaultValue?: string;
      /** The inline message for a value that cannot be taken, or undefined. */
      validate: (raw: string) => string | undefined;
    }
  | { kind: 'select'; message: string; hint: string; choices: readonly Choice[]; initialValue?: string }
  | { kind: 'multiselect'; message: string; hint: string; choices: readonly Choice[]; initialValues: readonly string[] };

export interface Ui {
  /** The first words of an interactive run. */
  intro(): void;
  /** Ask one question. A UI with nobody to ask answers undefined: what was suggested stands. */
  ask(question: Question): Promise<string | string[] | undefined | Cancel>;
  /** The settled answers, as a log (a terminal shows them at the confirmation instead). */
  answers(header: string, summary: string): void;
  warn(text: string): void;
  /** The final yes; nobody to ask means yes. */
  confirm(summary: string): Promise<boolean | Cancel>;
  /** After a No: the answer to change, or undefined to stop. */
  pickChange(choices: readonly Choice[]): Promise<string | undefined | Cancel>;
  /** The command line that makes the same project again without prompts. */
  command(line: string): void;
  /** A step of work after writing: a spinner, or a line when done. */
  task<T>(title: string, work: () => Promise<T>, done: (result: T) => string): Promise<T>;
  /** Advice after the work (a lock tool missing, git failing). */
  note(kind: 'warning' | 'note', text: string): void;
  outro(next: readonly string[]): void;
  /** Text that is the product itself (the --dry-run tree). */
  print(text: string): void;
}
