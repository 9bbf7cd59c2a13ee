import { constants } from 'node:fs';
import { chmod, copyFile, link, mkdir, mkdtemp, readdir, rename, rm, rmdir, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Files } from '../languages/types.ts';

export interface WriteHooks {
  /** Called before each file is written into the temporary directory (tests inject failures here). */
  beforeFile?: (path: string) => void | Promise<void>;
  /** Checked between files: once aborted, the write stops and undoes itself. */
  signal?: AbortSignal;
}

export interface Written {
  /** The project directory. */
  target: string;
  /** Whether this run created the directory (else it merged into an existing one with --force). */
  createdTarget: boolean;
  /** Paths this run created inside an existing directory (for undo). */
  created: string[];
  /** Remove what this run wrote, and nothing else. */
  undo(extra?: string[]): Promise<void>;
}

/** Entries already in the target directory ([] when it does not exist). */
export async function existingEntries(target: string): Promise<string[]> {
  try {
    return (await readdir(target)).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') return [basename(target)];
    throw error;
  }
}

/** Files of the project that already exist in the target (they would be overwritten). */
export async function findConflicts(target: string, files: Files): Promise<string[]> {
  // The target itself (or one of its parents) being a file is the first place a directory is needed.
  const info = await stat(target).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOTDIR' ? null : undefined));
  if (info === null || (info && !info.isDirectory())) return ['.'];
  const conflicts: string[] = [];
  for (const path of files.keys()) {
    const parts = path.split('/');
    // A file where we need a directory is a conflict too.
    for (let i = 1; i <= parts.length; i++) {
      const prefix = parts.slice(0, i).join('/');
      try {
        const info = await stat(join(target, prefix));
        if (i === parts.length || !info.isDirectory()) {
          conflicts.push(prefix);
          break;
        }
      } catch {
        break;
      }
    }
  }
  return [...new Set(conflicts)].sort();
}

async function mkdirs(root: string, dir: string, created: string[]): Promise<void> {
  if (dir === '.' || dir === '') return;
  await mkdirs(root, dirname(dir), created);
  try {
    await mkdir(join(root, dir));
    created.push(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

/** Hard-link a finished file into place; across filesystems (a mount point) copy it instead. */
async function place(from: string, to: string): Promise<void> {
  try {
    await link(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    await copyFile(from, to, constants.COPYFILE_EXCL);
  }
}

/**
 * Write the project atomically: every file goes to a temporary directory beside the target, which
 * is renamed into place when complete. Into an existing directory (empty, `.`, a mount point, or
 * --force), files go in one by one, never over an existing path, and are undone on any failure.
 */
export async function writeProject(target: string, files: Files, hooks: WriteHooks = {}): Promise<Written> {
  const parent = dirname(target);
  const createdParents: string[] = [];
  await mkdirs('/', parent.slice(1), createdParents);
  const temp = await mkdtemp(join(parent, `.${basename(target)}.tmp-`));
  // mkdtemp makes it private (0700); the project directory gets the usual mode.
  await chmod(temp, 0o755);
  const cleanupParents = async () => {
    for (const dir of createdParents.reverse()) await rmdir(join('/', dir)).catch(() => {});
  };
  try {
    const tempDirs: string[] = [];
    for (const [path, content] of files) {
      if (hooks.signal?.aborted) throw hooks.signal.reason ?? new Error('aborted');
      await hooks.beforeFile?.(path);
      await mkdirs(temp, dirname(path), tempDirs);
      await writeFile(join(temp, path), content, { flag: 'wx', mode: 0o644 });
    }
    if (hooks.signal?.aborted) throw hooks.signal.reason ?? new Error('aborted');
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    await cleanupParents();
    throw error;
  }

  const existing = await stat(target).catch(() => undefined);
  if (!existing) {
    // A new directory: one rename puts the whole project in place.
    try {
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { recursive: true, force: true });
      await cleanupParents();
      throw error;
    }
    return {
      target,
      createdTarget: true,
      created: [],
      undo: async () => {
        await rm(target, { recursive: true, force: true });
        await cleanupParents();
      },
    };
  }

  // An existing directory (empty, or --force) keeps its inode, so a shell inside it (`.`) and a
  // mount point stay valid: files go in one by one and never overwrite (link and COPYFILE_EXCL
  // fail on an existing path); any failure removes what this run put there.
  const created: string[] = [];
  const undo = async (extra: string[] = []) => {
    for (const path of extra) await rm(join(target, path), { recursive: true, force: true }).catch(() => {});
    for (const path of [...created].reverse()) {
      await unlink(join(target, path)).catch(() => rmdir(join(target, path)).catch(() => {}));
    }
  };
  try {
    for (const path of files.keys()) {
      if (hooks.signal?.aborted) throw hooks.signal.reason ?? new Error('aborted');
      await mkdirs(target, dirname(path), created);
      await place(join(temp, path), join(target, path));
      created.push(path);
    }
  } catch (error) {
    await undo();
    throw error;
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
  return { target, createdTarget: false, created, undo };
}
