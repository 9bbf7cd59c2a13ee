import { escapeControls } from '../text/show.ts';
import { throwIfInterrupted } from './interrupted.ts';
import { run as spawnRun } from './spawn.ts';
import { which } from './which.ts';

export type GitResult =
  | { status: 'committed'; untracked: string[] }
  | { status: 'skipped'; reason: string }
  | { status: 'failed'; message: string };

export interface GitInput {
  /** Exactly what goes into the initial commit: the generated files and the lock files written. */
  paths: readonly string[];
  signal?: AbortSignal;
  now?: AbortSignal;
}

/**
 * `git init` and an initial commit of `paths` only (never `git add --all`: with --force the user's
 * own files, keys and .env included, are in the directory too), unless git is missing or the
 * directory is already in a work tree. `untracked` lists what the commit left out, as git sees it.
 */
export async function initGit(cwd: string, version: string, env: NodeJS.ProcessEnv, input: GitInput): Promise<GitResult> {
  if (!which('git', env.PATH)) return { status: 'skipped', reason: 'git is not installed' };
  const run = (args: string[]) => spawnRun('git', args, { cwd, env, signal: input.signal, now: input.now, timeoutMs: 60_000 });
  const inside = await run(['rev-parse', '--is-inside-work-tree']).then(
    (result) => result.stdout.trim() === 'true',
    () => false,
  );
  if (inside) return { status: 'skipped', reason: 'already inside a git work tree' };
  try {
    await run(['init', '--quiet']);
    // --force: a user's global excludes (say, *.lock) must not leave a generated file out of the commit.
    // literal pathspecs: a generated name is a file name, never a glob.
    await run(['--literal-pathspecs', 'add', '--force', '--', ...input.paths]);
    // Without a configured identity, commit as the generator rather than fail.
    const identity = await run(['config', 'user.email']).then(
      () => [],
      () => ['-c', 'user.name=create-hardened-service', '-c', 'user.email=create-hardened-service@localhost'],
    );
    await run([...identity, 'commit', '--quiet', '--no-verify', '-m', `Initial commit from create-hardened-service ${version}`]);
    // Only for the closing message: the commit stands even if this listing fails.
    const others = await run(['ls-files', '-z', '--others', '--exclude-standard', '--directory', '--no-empty-directory']).catch(() => ({ stdout: '' }));
    return { status: 'committed', untracked: others.stdout.split('\0').filter(Boolean).sort() };
  } catch (error) {
    throwIfInterrupted(error, 'git');
    const message = ((error as { stderr?: string }).stderr || (error as Error).message).trim();
    return { status: 'failed', message: message.split('\n').map(escapeControls).join('\n') };
  }
}
