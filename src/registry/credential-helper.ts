/**
 * `docker-credential-<name> get`: the server address on stdin, `{"Username","Secret"}` on stdout
 * (docker-credential-helpers' protocol). Run with an argument array, no shell, a time-out and a cap
 * on its output; what it prints is never shown, since it is a secret.
 */
import { spawn } from 'node:child_process';
import { RegistryError } from './errors.ts';
import type { Secret } from './docker-config.ts';

const MAX_OUTPUT = 64 * 1024;

export async function helperSecret(helper: string, serverAddress: string, signal: AbortSignal, timeoutMs: number): Promise<Secret | undefined> {
  const program = `docker-credential-${helper}`;
  const { code, stdout, failure } = await new Promise<{ code: number | null; stdout: string; failure?: NodeJS.ErrnoException }>((resolve) => {
    const child = spawn(program, ['get'], { stdio: ['pipe', 'pipe', 'ignore'], signal, killSignal: 'SIGKILL' });
    // Our own timer, not spawn's `timeout`: that one outlives a helper that never started (ENOENT).
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (out.length > MAX_OUTPUT) child.kill('SIGKILL');
    });
    child.stdin.on('error', () => {}); // a helper that exits without reading stdin
    child.stdin.end(serverAddress);
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve({ code: null, stdout: '', failure: error });
    });
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      resolve({ code: exitCode, stdout: out });
    });
  });
  if (failure?.code === 'ENOENT') throw new RegistryError('auth', `${program} is not on PATH (the Docker config names it as a credential helper)`);
  if (signal.aborted) throw new RegistryError((signal.reason as Error | undefined)?.name === 'TimeoutError' ? 'timeout' : 'cancelled', `${program} get did not finish in time`);
  if (failure) throw new RegistryError('auth', `${program} get could not run (${failure.code ?? failure.name})`);
  // The helpers' own words for "nothing stored for that server".
  if (code !== 0 && /credentials not found/i.test(stdout)) return undefined;
  if (code !== 0) throw new RegistryError('auth', `${program} get failed (exit ${code ?? 'killed: too slow or too much output'})`);
  let answer: { Username?: unknown; Secret?: unknown };
  try {
    answer = JSON.parse(stdout) as typeof answer;
  } catch {
    throw new RegistryError('auth', `${program} get printed something that is not the helper protocol's JSON`);
  }
  if (typeof answer.Secret !== 'string' || answer.Secret === '') return undefined;
  if (answer.Username === '<token>') return { kind: 'identity-token', token: answer.Secret };
  return { kind: 'basic', username: typeof answer.Username === 'string' ? answer.Username : '', password: answer.Secret };
}
