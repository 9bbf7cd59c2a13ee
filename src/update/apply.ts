// The working tree as update reads and writes it: every path checked inside the project with no
// link followed (write/atomic.ts's checks), each file replaced by one rename, and everything put
// back when the run fails or is stopped.
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, open, rename, rmdir, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { mkdirsNoFollow, realDirectories, UnsafePath, walkNoFollow } from '../write/atomic.ts';
import type { Ours } from './plan.ts';

/** Larger files are not merged: a generated file is a few KiB; this keeps a stray blob out. */
export const MAX_MERGE_BYTES = 1024 * 1024;

/** A file of the project as update may use it: no link on the way, a regular file, UTF-8 text under the limit. */
export async function readOurs(target: string, path: string): Promise<Ours> {
  let walk;
  try {
    walk = await walkNoFollow(target, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') return { kind: 'unsafe', why: 'a file is where a directory should be' };
    throw error;
  }
  if (walk.kind === 'missing') return { kind: 'missing' };
  if (walk.kind === 'link') return { kind: 'unsafe', why: walk.at === path ? 'a symbolic link (never written through)' : `${walk.at} is a symbolic link (never written through)` };
  if (walk.kind === 'not a directory') return { kind: 'unsafe', why: `${walk.at} is not a directory` };
  if (!walk.info.isFile()) return { kind: 'unsafe', why: 'not a regular file' };
  if (walk.info.size > MAX_MERGE_BYTES) return { kind: 'unsafe', why: `over ${MAX_MERGE_BYTES / 1024 / 1024} MiB` };
  // O_NOFOLLOW: a link swapped in since the check is refused, not read through.
  const handle = await open(join(target, path), constants.O_RDONLY | constants.O_NOFOLLOW);
  let bytes: Buffer;
  try {
    bytes = await handle.readFile();
  } finally {
    await handle.close();
  }
  if (bytes.includes(0)) return { kind: 'unsafe', why: 'binary' };
  const text = bytes.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(bytes)) return { kind: 'unsafe', why: 'binary (not UTF-8)' };
  return { kind: 'file', text };
}

export interface Change {
  path: string;
  text: string;
  /** What was there when it was read (undefined: nothing); the write is refused if that changed since. */
  was: string | undefined;
}

export interface Applied {
  /** Put back every file as it was, remove the ones added and the directories made for them. */
  undo(): Promise<void>;
}

const tempName = (path: string) => join(dirname(path), `.${basename(path)}.update-${process.pid}-${randomBytes(4).toString('hex')}`);

/** Write `text` beside `full` and rename it over, keeping `mode`. */
async function replace(full: string, text: string, mode: number): Promise<void> {
  const temp = tempName(full);
  await writeFile(temp, text, { flag: 'wx', mode });
  try {
    await rename(temp, full);
  } catch (error) {
    await unlink(temp).catch(() => {});
    throw error;
  }
}

export interface ApplyHooks {
  /** Checked between files: once aborted, the run stops and undoes itself. */
  signal?: AbortSignal;
  /** Called before each file is written (tests inject failures here). */
  beforeFile?: (path: string) => void | Promise<void>;
}

/**
 * Write every change, each by a rename, and return how to undo them all. A failure undoes what was
 * written before it throws; a path that became a link, or a file that changed since it was read,
 * is a failure.
 */
export async function applyChanges(target: string, changes: readonly Change[], hooks: ApplyHooks = {}): Promise<Applied> {
  const done: { path: string; was: string | undefined; mode: number }[] = [];
  const madeDirs: string[] = [];
  const undo = async () => {
    for (const { path, was, mode } of [...done].reverse()) {
      if (!(await realDirectories(target, dirname(path)))) continue;
      const full = join(target, path);
      if (was === undefined) await unlink(full).catch(() => {});
      else await replace(full, was, mode).catch(() => {});
    }
    for (const dir of [...madeDirs].reverse()) await rmdir(join(target, dir)).catch(() => {});
  };
  try {
    for (const change of changes) {
      if (hooks.signal?.aborted) throw hooks.signal.reason ?? new Error('aborted');
      await hooks.beforeFile?.(change.path);
      await mkdirsNoFollow(target, dirname(change.path), madeDirs);
      const full = join(target, change.path);
      const now = await readOurs(target, change.path);
      if (now.kind === 'unsafe') throw new UnsafePath(change.path);
      const current = now.kind === 'file' ? now.text : undefined;
      if (current !== change.was) throw new Error(`${change.path} changed while update ran; nothing was left changed, run update again`);
      const mode = now.kind === 'file' ? (await lstat(full)).mode & 0o7777 : 0o644;
      if (change.was === undefined) {
        // A new file: never over one that appeared meanwhile.
        const temp = tempName(full);
        await writeFile(temp, change.text, { flag: 'wx', mode });
        try {
          await rename(temp, full);
        } catch (error) {
          await unlink(temp).catch(() => {});
          throw error;
        }
      } else await replace(full, change.text, mode);
      done.push({ path: change.path, was: change.was, mode });
    }
    if (hooks.signal?.aborted) throw hooks.signal.reason ?? new Error('aborted');
  } catch (error) {
    await undo();
    throw error;
  }
  return { undo };
}
