import { throwIfInterrupted } from './interrupted.ts';
import { run as spawnRun } from './spawn.ts';
import { which } from './which.ts';

export type GitResult = { status: 'committed' } | { status: 'skipped'; reason: string } | { status: 'failed'; message: string };

/** `git init` and an initial commit, unless git is missing or the directory is already in a work tree. */
export async function initGit(cwd: string, version: string, env: NodeJS.ProcessEnv, signal?: AbortSignal): Promise<GitResult> {
  if (!which('git', env.PATH)) return { status: 'skipped', reason: 'git is not installed' };
  const run = (args: string[]) => spawnRun('git', args, { cwd, env, signal, timeoutMs: 60_000 });
  const inside = await run(['rev-parse', '--is-inside-work-tree']).then(
    (result) => result.stdout.trim() === 'true',
    () => false,
  );
  if (inside) return { status: 'skipped', reason: 'already inside a git work tree' };
  try {
    await run(['init', '--quiet']);
    await run(['add', '--all']);
    // Without a configured identity, commit as the generator rather than fail.
    const identity = await run(['config', 'user.email']).then(
      () => [],
      () => ['-c', 'user.name=create-hardened-service', '-c', 'user.email=create-hardened-service@localhost'],
    );
    await run([...identity, 'commit', '--quiet', '--no-verify', '-m', `Initial commit from create-hardened-service ${version}`]);
    return { status: 'committed' };
  } catch (error) {
    throwIfInterrupted(error, 'git');
    return { status: 'failed', message: ((error as { stderr?: string }).stderr || (error as Error).message).trim() };
  }
}
