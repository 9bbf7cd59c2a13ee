import type { Writable } from 'node:stream';
import pc from 'picocolors';
import { EXIT } from '../steps/exit.ts';
import { escapeControls } from '../text/show.ts';
import type { Io } from '../ui/port.ts';
import type { SubcommandName } from './args.ts';

export type { Io };
export { EXIT };

/** Subcommands: each parses its own argv, with its own options and help (one line each). */
const SUBCOMMANDS: Record<SubcommandName, () => Promise<(argv: readonly string[], io: Io) => Promise<number>>> = {
  audit: async () => (await import('./audit.ts')).runAudit,
  pin: async () => (await import('./pin.ts')).runPin,
  update: async () => (await import('./update.ts')).runUpdate,
};

/**
 * Errors writing our own output. A closed pipe (`| head`) or a terminal that went away (SIGHUP:
 * EIO) only means nobody reads any more; without a listener the error would kill the run between
 * writing and the tasks. Any other failure (a full disk: `> /dev/full`) is kept for the end.
 */
function watchOutput(stream: Writable): () => NodeJS.ErrnoException | undefined {
  let failure: NodeJS.ErrnoException | undefined;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && error.code !== 'EIO' && error.code !== 'ERR_STREAM_DESTROYED') failure ??= error;
  });
  return () => failure;
}

/**
 * The whole CLI: returns the exit code; only src/index.ts touches process.exit.
 * Output that cannot be written never changes what happens to the project: a project that was
 * written stays (exit 0, the failure on stderr); where the output was the product (--help,
 * --version, --dry-run) the run fails with exit 1.
 */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const stdoutFailure = watchOutput(io.stdout);
  watchOutput(io.stderr); // a failing stderr has nowhere left to be reported
  const run = { product: false, wrote: undefined as string | undefined };
  const subcommand = Object.hasOwn(SUBCOMMANDS, argv[0] ?? '') ? SUBCOMMANDS[argv[0] as SubcommandName] : undefined;
  // A subcommand's output is its product, like --help's.
  if (subcommand) run.product = true;
  let code = subcommand ? await (await subcommand())(argv.slice(1), io) : await (await import('../steps/run.ts')).runWizard(argv, io, run);
  // A failed write is reported by an event after the call: let pending ones arrive.
  await new Promise((resolve) => setImmediate(resolve));
  const failure = stdoutFailure();
  if (failure) {
    const why = escapeControls(failure.message);
    if (run.wrote !== undefined && code === 0) {
      io.stderr.write(`${pc.yellow('warning')} could not write to standard output (${why}); what it said is lost, but the project was written to ${run.wrote}.\n`);
    } else {
      io.stderr.write(`${pc.red('error')} could not write to standard output (${why}).\n`);
      if (run.product && code === 0) code = EXIT.failure;
    }
  }
  return code;
}
