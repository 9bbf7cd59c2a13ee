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

/**
 * buildah and podman re-execute themselves from a sealed in-memory copy of their own binary
 * (containers/storage's unshare); under load the kernel can refuse that seal with EBUSY, and the
 * tool dies before the step's command ran at all. Only that failure is tried again: any other
 * failure, a product failure included, is final.
 */
export const TRANSIENT_BEFORE_START = /Close_Fd sealing memfd copy: Device or resource busy/;
export const ATTEMPTS = 3;

export async function run(step: string, command: string, args: string[], options: RunOptions): Promise<RunResult> {
  for (let attempt = 1; ; attempt++) {
    const result = await runOnce(command, args, options);
    const failed = result.timedOut || result.exitCode !== 0;
    if (failed && attempt < ATTEMPTS && TRANSIENT_BEFORE_START.test(result.output)) {
      process.stdout.write(`# step "${step}": ${command} failed before it started (memfd seal EBUSY); attempt ${attempt + 1} of ${ATTEMPTS}\n`);
      continue;
    }
    if (result.timedOut || (result.exitCode !== 0 && !options.allowFail)) throw new StepError(step, result);
    return result;
  }
}

async function runOnce(command: string, args: string[], options: RunOptions): Promise<RunResult> {
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
  return {
    exitCode: done.exitCode ?? -1,
    output: done.all ?? '',
    stdout: done.stdout ?? '',
    ms: Date.now() - started,
    timedOut: Boolean(done.timedOut),
  };
}
