// Drive the built CLI through a real pseudo-terminal (node-pty): stdin and stdout are TTYs, so the
// prompts run exactly as a person sees them.
import pty from 'node-pty';
import { BIN } from './cli.ts';

export const KEY = {
  enter: '\r',
  up: '\x1b[A',
  down: '\x1b[B',
  right: '\x1b[C',
  space: ' ',
  backspace: '\x7f',
  ctrlC: '\x03',
  escape: '\x1b',
} as const;

// CSI / OSC sequences and the other escapes a TUI writes; enough to read the screen as text.
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07|\x1b[()][A-Za-z0-9]|\x1b[=>78]/g;
export const plain = (text: string) => text.replace(ANSI, '');

export interface Session {
  /** Everything written to the terminal so far, escapes removed. */
  screen(): string;
  /** Everything written to the terminal so far, escapes included. */
  raw(): string;
  /** Wait until `text` appears in output written after the previous successful wait. */
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<void>;
  /** Type keys (give the terminal a moment, as a person would). */
  type(...keys: string[]): Promise<void>;
  exit: Promise<{ exitCode: number; signal?: number }>;
  kill(): void;
  /** Send a signal to the CLI, as the system does (SIGHUP when the terminal closes). */
  signal(name: NodeJS.Signals): void;
}

export function startPty(args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number; bin?: string }): Session {
  const term = pty.spawn(process.execPath, [options.bin ?? BIN, ...args], {
    name: 'xterm-256color',
    cols: 120,
    rows: 50,
    cwd: options.cwd,
    env: { TERM: 'xterm-256color', ...options.env } as Record<string, string>,
  });
  let raw = '';
  let mark = 0;
  let exited = false;
  const listeners = new Set<() => void>();
  term.onData((data) => {
    raw += data;
    for (const listener of listeners) listener();
  });
  const guard = setTimeout(() => term.kill('SIGKILL'), options.timeoutMs ?? 30_000);
  const exit = new Promise<{ exitCode: number; signal?: number }>((resolve) => {
    term.onExit((event) => {
      exited = true;
      clearTimeout(guard);
      for (const listener of listeners) listener();
      resolve(event);
    });
  });
  const screen = () => plain(raw);
  const waitFor = (text: string | RegExp, timeoutMs = 10_000) =>
    new Promise<void>((resolve, reject) => {
      const found = () => {
        const rest = screen().slice(mark);
        const index = typeof text === 'string' ? rest.indexOf(text) : rest.search(text);
        if (index === -1) return false;
        mark += index + 1;
        return true;
      };
      const done = (error?: Error) => {
        listeners.delete(check);
        clearTimeout(timer);
        if (error) reject(error);
        else resolve();
      };
      const check = () => {
        if (found()) done();
        else if (exited) done(new Error(`the CLI exited before showing ${String(text)}; screen:\n${screen()}`));
      };
      const timer = setTimeout(() => done(new Error(`timed out after ${timeoutMs} ms waiting for ${String(text)}; screen:\n${screen()}`)), timeoutMs);
      listeners.add(check);
      check();
    });
  const type = async (...keys: string[]) => {
    for (const key of keys) {
      term.write(key);
      // Lone Esc is told apart from an escape sequence by a pause (clack waits 50 ms).
      await new Promise((resolve) => setTimeout(resolve, key === KEY.escape ? 150 : 30));
    }
  };
  return { screen, raw: () => raw, waitFor, type, exit, kill: () => term.kill('SIGKILL'), signal: (name) => term.kill(name) };
}
