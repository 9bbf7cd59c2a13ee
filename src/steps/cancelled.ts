/** Esc, Ctrl-C or No at a prompt, or a signal while a step waits: the run stops, undone, exit 130 (128+N for a signal). */
export class Cancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'Cancelled';
  }
}
