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
