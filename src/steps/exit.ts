/** The exit codes of the contract (design/cli.md); 128+N for a signal comes from tasks/interrupted.ts. */
export const EXIT = { ok: 0, failure: 1, usage: 2, cancelled: 130 } as const;

/** Esc, Ctrl-C or No at a prompt, or a signal while a step waits: the run stops, undone, exit 130 (128+N for a signal). */
export class Cancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'Cancelled';
  }
}
