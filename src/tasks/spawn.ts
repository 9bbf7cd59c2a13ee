import { spawn } from 'node:child_process';

export interface SpawnOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Kill the command after this long. */
  timeoutMs?: number;
  /** Abort = stop the command and everything it started; the failure then reports `isCanceled`. */
  signal?: AbortSignal;
  /** Abort = a stop that cannot wait: SIGKILL at once instead of after the grace period. */
  now?: AbortSignal;
  /** How long a stopped command may take to exit after SIGTERM before it gets SIGKILL. */
  graceMs?: number;
}

/** Long enough for a lock tool to remove its temporary files, short enough that nobody waits for it. */
export const KILL_GRACE_MS = 3000;

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
 * tool's resolver subprocesses), not just its first process: SIGTERM first, SIGKILL after the grace
 * period (at once with `now`), and the promise settles only once the command is gone, so nothing
 * it started outlives the run.
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
    const signalGroup = (signal: NodeJS.Signals) => {
      // Never kill(-undefined): a command that failed to start has no group.
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        // already gone
      }
    };
    let stopping = false;
    let killTimer: NodeJS.Timeout | undefined;
    const stop = () => {
      if (stopping) return;
      stopping = true;
      if (options.now?.aborted) return signalGroup('SIGKILL');
      signalGroup('SIGTERM');
      killTimer = setTimeout(() => signalGroup('SIGKILL'), options.graceMs ?? KILL_GRACE_MS);
    };
    let cancelled = false;
    const onAbort = () => ((cancelled = true), stop());
    const onNow = () => stopping && signalGroup('SIGKILL');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    options.now?.addEventListener('abort', onNow, { once: true });
    let timedOut = false;
    const timer = options.timeoutMs ? setTimeout(() => ((timedOut = true), stop()), options.timeoutMs) : undefined;
    let stdout = '';
    let stderr = '';
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => ((stdout += chunk), (output += chunk)));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => ((stderr += chunk), (output += chunk)));
    let spawnError: Error | undefined;
    child.on('error', (error) => (spawnError = error));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      clearTimeout(killTimer);
      options.signal?.removeEventListener('abort', onAbort);
      options.now?.removeEventListener('abort', onNow);
      // A stopped tool's helpers that let go of its pipes and ignore SIGTERM: none may stay behind.
      if (stopping) signalGroup('SIGKILL');
      if (code === 0 && !cancelled) return resolve({ stdout, output });
      if (spawnError && !cancelled) return reject(spawnError);
      reject(new CommandFailed(command, code, signal, output, stderr, cancelled, timedOut));
    });
  });
}
