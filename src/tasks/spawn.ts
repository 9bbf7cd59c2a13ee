import { spawn } from 'node:child_process';

export interface SpawnOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Kill the command after this long. */
  timeoutMs?: number;
  /** Abort = kill the command and everything it started; the failure then reports `isCanceled`. */
  signal?: AbortSignal;
}

/** A command that did not exit 0: its exit code or signal and its interleaved output. */
export class CommandFailed extends Error {
  constructor(
    readonly command: string,
    readonly exitCode: number | null,
    readonly signal: NodeJS.Signals | null,
    readonly output: string,
    readonly stderr: string,
    readonly isCanceled: boolean,
    readonly timedOut = false,
  ) {
    super(`${command} ${timedOut ? 'timed out' : signal ? `was killed by ${signal}` : `exited ${exitCode}`}${output ? `:\n${output.trim()}` : ''}`);
    this.name = 'CommandFailed';
  }
}

/**
 * Run a command with an argument array (never a shell), stdin closed, output collected. It runs in
 * its own process group, so a cancel or time-out stops the tool and whatever it started (a lock
 * tool's resolver subprocesses), not just its first process.
 */
export function run(command: string, args: readonly string[], options: SpawnOptions): Promise<{ stdout: string; output: string }> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) return reject(new CommandFailed(command, null, null, '', '', true));
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      shell: false,
      detached: true,
    });
    const killGroup = () => {
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        // already gone
      }
    };
    let cancelled = false;
    const onAbort = () => ((cancelled = true), killGroup());
    options.signal?.addEventListener('abort', onAbort, { once: true });
    let timedOut = false;
    const timer = options.timeoutMs ? setTimeout(() => ((timedOut = true), killGroup()), options.timeoutMs) : undefined;
    let stdout = '';
    let stderr = '';
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => ((stdout += chunk), (output += chunk)));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => ((stderr += chunk), (output += chunk)));
    let spawnError: Error | undefined;
    child.on('error', (error) => (spawnError = error));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (code === 0 && !cancelled) return resolve({ stdout, output });
      if (spawnError && !cancelled) return reject(spawnError);
      reject(new CommandFailed(command, code, signal, output, stderr, cancelled, timedOut));
    });
  });
}
