/**
 * The signals that end a run, with their numbers: each one undoes the run and exits 128+N
 * (SIGHUP 129: the terminal or SSH session closed; SIGINT 130: Ctrl-C; SIGQUIT 131: Ctrl-\;
 * SIGTERM 143: a CI job cancelled, `kill`).
 */
export const TERMINATING_SIGNALS = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGTERM: 15 } as const;
export type TerminatingSignal = keyof typeof TERMINATING_SIGNALS;

export const signalExitCode = (signal: TerminatingSignal): number => 128 + TERMINATING_SIGNALS[signal];

/** What a cancelled run says last (Ctrl-C, Esc and No at the prompt are plain cancels). */
export const cancelMessage = (signal: TerminatingSignal = 'SIGINT'): string =>
  `Cancelled${signal === 'SIGINT' ? '' : ` by ${signal}`}. Nothing was written.`;

/** A spawned tool died of Ctrl-C (SIGINT) or SIGTERM: the user cancelled, it did not fail. */
export class Interrupted extends Error {
  constructor(command: string) {
    super(`${command} was interrupted`);
    this.name = 'Interrupted';
  }
}

/**
 * A terminal sends Ctrl-C to the whole process group, so the tool may die before our own SIGINT
 * handler runs: its exit signal is what tells a cancel from a failure.
 */
export function throwIfInterrupted(error: unknown, command: string): void {
  // Our own time-out kills with SIGTERM too: that is a failure, not the user cancelling.
  if ((error as { timedOut?: boolean }).timedOut) return;
  const signal = (error as { signal?: string }).signal;
  if (signal === 'SIGINT' || signal === 'SIGTERM' || (error as { isCanceled?: boolean }).isCanceled) throw new Interrupted(command);
}

/** How a run learns that it must stop. */
export interface Stop {
  /** Aborted by the first terminating signal: stop, let children end (a short grace), undo. */
  readonly signal: AbortSignal;
  /** Aborted by a second one: kill children at once, wait for nothing. */
  readonly now: AbortSignal;
  /** The first signal received, if any. */
  received(): TerminatingSignal | undefined;
  /** Stop listening (the default actions apply again). */
  release(): void;
}

/**
 * Catch every terminating signal for the length of a run. Listening replaces Node's default
 * (die at once, leaving a half-written project and children still running) with an orderly stop.
 */
export function trapSignals(target: Pick<NodeJS.Process, 'on' | 'off'> = process): Stop {
  const first = new AbortController();
  const second = new AbortController();
  let received: TerminatingSignal | undefined;
  const handlers = (Object.keys(TERMINATING_SIGNALS) as TerminatingSignal[]).map((name) => {
    const handler = () => {
      if (!received) {
        received = name;
        first.abort(new Interrupted(`the run (${name})`));
      } else second.abort(new Interrupted(`the run (${name} again)`));
    };
    target.on(name, handler);
    return [name, handler] as const;
  });
  return {
    signal: first.signal,
    now: second.signal,
    received: () => received,
    release: () => {
      for (const [name, handler] of handlers) target.off(name, handler);
    },
  };
}
