// Every external step of the suite goes through `run`: argument arrays, a timeout, a step name, and
// on failure an error that says which step failed with the tail of its output.
import { execa } from 'execa';

export interface RunOptions {
  /** Milliseconds before the step is killed. */
  timeout: number;
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** Return the result instead of throwing when the command exits non-zero. */
  allowFail?: boolean;
  /** Also stream the output to ours. */
  loud?: boolean;
}

export interface RunResult {
  exitCode: number;
  /** stdout and stderr interleaved. */
  output: string;
  stdout: string;
  ms: number;
  timedOut: boolean;
}

export class StepError extends Error {
  constructor(
    readonly step: string,
    readonly result: RunResult,
  ) {
    const why = result.timedOut ? `timed out after ${result.ms} ms` : `exited ${result.exitCode}`;
    super(`step "${step}" ${why}:\n${tail(result.output, 40)}`);
  }
}

export function tail(text: string, lines: number): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

export async function run(step: string, command: string, args: string[], options: RunOptions): Promise<RunResult> {
  const started = Date.now();
  const child = execa(command, args, {
    cwd: options.cwd,
    env: options.env,
    extendEnv: true,
    stdin: 'ignore',
    all: true,
    reject: false,
    timeout: options.timeout,
    killSignal: 'SIGKILL',
    maxBuffer: 256 * 1024 * 1024,
  });
  // Long steps (provisioning, builds) show their progress, indented as TAP comments.
  if (options.loud) child.all?.on('data', (chunk: Buffer) => process.stdout.write(chunk.toString().replace(/^(?=.)/gm, '  # ')));
  const done = await child;
  const result: RunResult = {
    exitCode: done.exitCode ?? -1,
    output: done.all ?? '',
    stdout: done.stdout ?? '',
    ms: Date.now() - started,
    timedOut: Boolean(done.timedOut),
  };
  if (result.timedOut || (result.exitCode !== 0 && !options.allowFail)) throw new StepError(step, result);
  return result;
}
