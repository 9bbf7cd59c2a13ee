import type { Gate } from '../options/types.ts';

/**
 * One command of a language's gate RUN (templates/shared/dockerfile/gate-run.ejs writes the RUN).
 * `G` adds a language's own steps to the gates, e.g. Python's one `pytest` for `test` and `bdd`.
 */
export interface GateStep<G extends string = Gate> {
  gate: G;
  command: string;
  /** The absolute cache directory the command keeps between builds (D16), or null. */
  cache: string | null;
  /**
   * Runs in the one background job, started before the other gates and chained with `&&` inside
   * it (the tests, and what they need first); the other gates run in order beside it and the RUN's
   * `wait` returns the job's status before the marker is written. Set on the slowest gates only.
   */
  background?: boolean;
}
