// The git that update needs, always with argument arrays: where the project sits in its
// repository, whether the tree is clean, three-way merges (merge-file), diffs and the generation
// commit in history. Quick plumbing commands, run synchronously.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const MAX_OUTPUT = 64 * 1024 * 1024;

export interface GitRun {
  status: number | null;
  stdout: Buffer;
  stderr: string;
}

export function git(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): GitRun {
  const result = spawnSync('git', args, { cwd, env: { ...env, LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0' }, maxBuffer: MAX_OUTPUT, stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr.toString('utf8') };
}

/** The work tree's top and the project's path inside it (`''` at the top, else ending in `/`), or undefined outside a work tree. */
export function workTree(dir: string, env: NodeJS.ProcessEnv): { top: string; prefix: string } | undefined {
  let result: GitRun;
  try {
    result = git(['rev-parse', '--show-toplevel', '--show-prefix'], dir, env);
  } catch {
    return undefined;
  }
  if (result.status !== 0) return undefined;
  const [top, prefix = ''] = result.stdout.toString('utf8').split('\n');
  return top ? { top, prefix } : undefined;
}

/** Paths under `dir` that differ from HEAD or are untracked (ignored files are not counted). */
export function uncommitted(dir: string, env: NodeJS.ProcessEnv): string[] {
  const result = git(['status', '--porcelain=v1', '-z', '--untracked-files=all', '--', '.'], dir, env);
  if (result.status !== 0) throw new Error(`git status failed: ${result.stderr.trim()}`);
  return result.stdout.toString('utf8').split('\0').filter(Boolean).map((line) => line.slice(3));
}

export interface Labels {
  ours: string;
  base: string;
  theirs: string;
}

/** `git merge-file -p`: the merged text and how many conflicts it marked. */
export function mergeFile(ours: string, base: string, theirs: string, labels: Labels, env: NodeJS.ProcessEnv): { text: string; conflicts: number } {
  const dir = mkdtempSync(join(tmpdir(), 'chs-merge-'));
  try {
    const paths = { ours: join(dir, 'ours'), base: join(dir, 'base'), theirs: join(dir, 'theirs') };
    writeFileSync(paths.ours, ours);
    writeFileSync(paths.base, base);
    writeFileSync(paths.theirs, theirs);
    const result = git(['merge-file', '-p', '-L', labels.ours, '-L', labels.base, '-L', labels.theirs, paths.ours, paths.base, paths.theirs], dir, env);
    // The exit status is the number of conflicts (capped at 127); a negative one is an error.
    if (result.status === null || result.status > 127) throw new Error(`git merge-file failed: ${result.stderr.trim()}`);
    return { text: result.stdout.toString('utf8'), conflicts: result.status };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A unified diff of one file that `git apply` takes: `before` undefined for a new file, `after`
 * undefined for a removed one. The hunks are git diff --no-index's; the header names `path`.
 */
export function fileDiff(path: string, before: string | undefined, after: string | undefined, env: NodeJS.ProcessEnv): string {
  const dir = mkdtempSync(join(tmpdir(), 'chs-diff-'));
  try {
    writeFileSync(join(dir, 'a'), before ?? '');
    writeFileSync(join(dir, 'b'), after ?? '');
    const result = git(['diff', '--no-index', '--no-color', '--no-ext-diff', '--text', '--', 'a', 'b'], dir, env);
    if (result.status !== 0 && result.status !== 1) throw new Error(`git diff failed: ${result.stderr.trim()}`);
    const text = result.stdout.toString('utf8');
    const hunks = text.slice(Math.max(0, text.indexOf('\n@@') + 1));
    if (!text.includes('\n@@')) return '';
    const header = [`diff --git a/${path} b/${path}`];
    if (before === undefined) header.push('new file mode 100644', '--- /dev/null', `+++ b/${path}`);
    else if (after === undefined) header.push('deleted file mode 100644', `--- a/${path}`, '+++ /dev/null');
    else header.push(`--- a/${path}`, `+++ b/${path}`);
    return `${header.join('\n')}\n${hunks}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The message of the wizard's initial commit (tasks/git.ts writes it). */
export const generationMessage = (version: string): string => `Initial commit from create-hardened-service ${version}`;

/**
 * The commits whose subject is the generation message of `version`, newest first (`git log
 * --grep` matches anywhere in the message; the subject must be exactly it).
 */
export function generationCommits(top: string, version: string, env: NodeJS.ProcessEnv): string[] {
  const message = generationMessage(version);
  const result = git(['log', '--all', '-F', `--grep=${message}`, '--format=%H%x00%s', '-z'], top, env);
  if (result.status !== 0) return [];
  const fields = result.stdout.toString('utf8').split('\0');
  const commits: string[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i + 1] === message) commits.push(fields[i]!.trim());
  return commits;
}

/** A file at a commit, or undefined when it has none there. */
export function showFile(top: string, commit: string, path: string, env: NodeJS.ProcessEnv): Buffer | undefined {
  const result = git(['cat-file', 'blob', `${commit}:${path}`], top, env);
  return result.status === 0 ? result.stdout : undefined;
}

/** The regular files under `prefix` at a commit (links and submodules left out), path relative to the prefix -> blob id. */
export function treeFiles(top: string, commit: string, prefix: string, env: NodeJS.ProcessEnv): Map<string, string> {
  const result = git(['ls-tree', '-r', '-z', '--full-tree', commit, '--', ...(prefix ? [prefix] : [])], top, env);
  if (result.status !== 0) throw new Error(`git ls-tree failed: ${result.stderr.trim()}`);
  const files = new Map<string, string>();
  for (const entry of result.stdout.toString('utf8').split('\0')) {
    const match = /^(\d+) (\w+) ([0-9a-f]+)\t(.*)$/s.exec(entry);
    if (!match || match[2] !== 'blob' || match[1] === '120000') continue;
    files.set(match[4]!.slice(prefix.length), match[3]!);
  }
  return files;
}

export function blob(top: string, id: string, env: NodeJS.ProcessEnv): Buffer {
  const result = git(['cat-file', 'blob', id], top, env);
  if (result.status !== 0) throw new Error(`git cat-file failed: ${result.stderr.trim()}`);
  return result.stdout;
}
