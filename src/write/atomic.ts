import { closeSync, constants, linkSync, lstatSync, mkdirSync, openSync, readdirSync, renameSync, rmdirSync, rmSync, statSync, unlinkSync, writeFileSync, type Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { FileMap } from './files.ts';
import { isStaleStaging, makeStaging, removeStaleStaging } from './staging.ts';

// Synchronous file calls: a project is a few dozen small files, and each asynchronous call would
// cost a thread-pool round trip (and node:fs/promises, with the stream and readline modules it
// loads, a few ms of start-up). The functions stay async: between files they give the event loop a
// turn (nextTurn), so a signal still stops a write at the next file.

/** One turn of the event loop: signal handlers and timers run, then the caller goes on. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface WriteHooks {
  /** Called before each file is written into the staging directory (tests inject failures here). */
  beforeFile?: (path: string) => void | Promise<void>;
  /** Called before each file is placed into an existing target (tests change the tree here). */
  beforePlace?: (path: string) => void | Promise<void>;
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

/** A path of the project that is already taken in the target, and how. */
export interface Conflict {
  path: string;
  what: 'exists' | 'not a directory' | 'symbolic link';
}

/** A path inside the target changed into a symbolic link (or a file) after the conflict check. */
export class UnsafePath extends Error {
  readonly code = 'ELOOP';
  constructor(readonly path: string) {
    super(`refused to write through ${path}: it became a symbolic link or a file after the check`);
    this.name = 'UnsafePath';
  }
}

/** Entries already in the target directory ([] when it does not exist); a killed run's staging directory is not one. */
export async function existingEntries(target: string): Promise<string[]> {
  try {
    return readdirSync(target).filter((entry) => !isStaleStaging(entry, basename(target))).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') return [basename(target)];
    throw error;
  }
}

/** Where a walk down a path with no link followed stopped, and why (see walkNoFollow). */
export type Walk =
  /** Nothing at `at` (the path or a directory on its way). */
  | { kind: 'missing'; at: string }
  /** A symbolic link at `at` (the path itself or a directory on its way), not followed. */
  | { kind: 'link'; at: string }
  /** Something other than a directory at `at`, on the way to the path. */
  | { kind: 'not a directory'; at: string }
  /** The path itself, not a link, with its lstat. */
  | { kind: 'found'; at: string; info: Stats };

/**
 * Walk `path` ('/'-separated, relative) down from `root` one component at a time with lstat,
 * following no link: the first component that is missing, a link or not a directory stops it. The
 * root itself may be a link. Errors other than ENOENT (ENOTDIR when the tree changed under the
 * walk) are thrown.
 */
export async function walkNoFollow(root: string, path: string): Promise<Walk> {
  const parts = path.split('/');
  for (let i = 1; i <= parts.length; i++) {
    const at = parts.slice(0, i).join('/');
    let info: Stats;
    try {
      info = lstatSync(join(root, at));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing', at };
      throw error;
    }
    if (info.isSymbolicLink()) return { kind: 'link', at };
    if (i === parts.length) return { kind: 'found', at, info };
    if (!info.isDirectory()) return { kind: 'not a directory', at };
  }
  throw new Error(`walkNoFollow: empty path under ${root}`);
}

const CONFLICT: Record<Walk['kind'], Conflict['what'] | undefined> = {
  missing: undefined,
  link: 'symbolic link',
  'not a directory': 'not a directory',
  found: 'exists',
};

/**
 * Paths of the project that are already taken in the target: an existing entry (it would be
 * overwritten), a non-directory where a directory is needed, or a symbolic link anywhere on the way
 * (dangling or not: a write would follow it out of the target). The target itself may be a link.
 */
export async function findConflicts(target: string, paths: Iterable<string>): Promise<Conflict[]> {
  let info: Stats | null | undefined;
  try {
    info = statSync(target);
  } catch (error) {
    info = (error as NodeJS.ErrnoException).code === 'ENOTDIR' ? null : undefined;
  }
  if (info === null || (info && !info.isDirectory())) return [{ path: '.', what: 'not a directory' }];
  const conflicts = new Map<string, Conflict>();
  for (const path of paths) {
    const walk = await walkNoFollow(target, path);
    const what = CONFLICT[walk.kind];
    if (what) conflicts.set(walk.at, { path: walk.at, what });
  }
  return [...conflicts.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function mkdirs(root: string, dir: string, created: string[]): void {
  if (dir === '.' || dir === '') return;
  mkdirs(root, dirname(dir), created);
  try {
    mkdirSync(join(root, dir));
    created.push(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

/**
 * Make `dir` (relative) inside `root`, checking at write time that every component is a real
 * directory: the tree may have changed since findConflicts, and mkdir and link follow links.
 */
export async function mkdirsNoFollow(root: string, dir: string, created: string[]): Promise<void> {
  if (dir === '.' || dir === '') return;
  const parts = dir.split('/');
  for (let i = 1; i <= parts.length; i++) {
    const rel = parts.slice(0, i).join('/');
    try {
      mkdirSync(join(root, rel));
      created.push(rel);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (!lstatSync(join(root, rel)).isDirectory()) throw new UnsafePath(rel);
  }
}

/** Whether every directory from `root` down to `dir` (relative) is a real directory, not a link. */
export async function realDirectories(root: string, dir: string): Promise<boolean> {
  if (dir === '.' || dir === '') return true;
  const parts = dir.split('/');
  for (let i = 1; i <= parts.length; i++) {
    let info: Stats;
    try {
      info = lstatSync(join(root, parts.slice(0, i).join('/')));
    } catch {
      return false;
    }
    if (!info.isDirectory()) return false;
  }
  return true;
}

// O_EXCL already refuses an existing last component, links included; O_NOFOLLOW says so twice.
const CREATE_NEW = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

/** Write a file that must not exist yet (CREATE_NEW), mode 0644 before the umask. */
function writeNewFile(path: string, content: string): void {
  const fd = openSync(path, CREATE_NEW, 0o644);
  try {
    writeFileSync(fd, content);
  } finally {
    closeSync(fd);
  }
}

/** `path`'s stat, or undefined when it cannot be had (missing, or not reachable). */
function statsOf(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** Hard-link a finished file into place (link never follows a link at `to`); across filesystems write it anew. */
function place(from: string, to: string, content: string): void {
  try {
    linkSync(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    writeNewFile(to, content);
  }
}

/** Write every file into the (fresh, private to this run) staging directory. */
async function fill(staging: string, files: FileMap, hooks: WriteHooks): Promise<void> {
  const dirs: string[] = [];
  for (const [path, content] of files) {
    if (hooks.signal?.aborted) throw hooks.signal.reason ?? new Error('aborted');
    await hooks.beforeFile?.(path);
    mkdirs(staging, dirname(path), dirs);
    writeNewFile(join(staging, path), content);
    await nextTurn();
  }
  if (hooks.signal?.aborted) throw hooks.signal.reason ?? new Error('aborted');
}

/**
 * Write the project atomically. A new directory is staged beside it and renamed into place when
 * complete. Into an existing directory (empty, `.`, a mount point, or --force) the project is staged
 * inside it (so a directory whose parent is not writable works), then its files go in one by one,
 * never over an existing path nor through a symbolic link, and are undone on any failure.
 * Staging directories that killed runs left behind are removed first.
 */
export async function writeProject(target: string, files: FileMap, hooks: WriteHooks = {}): Promise<Written> {
  const name = basename(target);
  if (!statsOf(target)) return writeNew(target, name, files, hooks);

  removeStaleStaging(target, name);
  const staging = makeStaging(target, name);
  const created: string[] = [];
  const undo = async (extra: string[] = []) => {
    // Never delete through a link that appeared since: only below real directories of the target.
    for (const path of extra) {
      if (!(await realDirectories(target, dirname(path)))) continue;
      try {
        rmSync(join(target, path), { recursive: true, force: true });
      } catch {
        // left for the user: the run's error says what failed
      }
    }
    for (const path of [...created].reverse()) {
      if (!(await realDirectories(target, dirname(path)))) continue;
      try {
        unlinkSync(join(target, path));
      } catch {
        try {
          rmdirSync(join(target, path));
        } catch {
          // a directory the user has put files in since: kept
        }
      }
    }
  };
  try {
    await fill(staging, files, hooks);
    // An existing directory keeps its inode, so a shell inside it (`.`) and a mount point stay valid.
    for (const [path, content] of files) {
      if (hooks.signal?.aborted) throw hooks.signal.reason ?? new Error('aborted');
      await hooks.beforePlace?.(path);
      await mkdirsNoFollow(target, dirname(path), created);
      place(join(staging, path), join(target, path), content);
      created.push(path);
      await nextTurn();
    }
  } catch (error) {
    await undo();
    throw error;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return { target, createdTarget: false, created, undo };
}

/** A directory that does not exist yet: staged beside it, then one rename puts the whole project in place. */
async function writeNew(target: string, name: string, files: FileMap, hooks: WriteHooks): Promise<Written> {
  const parent = dirname(target);
  const createdParents: string[] = [];
  const cleanupParents = async () => {
    for (const dir of [...createdParents].reverse()) {
      try {
        rmdirSync(join('/', dir));
      } catch {
        // not empty (someone else's files) or gone: kept
      }
    }
  };
  let staging: string | undefined;
  try {
    mkdirs('/', parent.slice(1), createdParents);
    removeStaleStaging(parent, name);
    staging = makeStaging(parent, name);
    await fill(staging, files, hooks);
    renameSync(staging, target);
  } catch (error) {
    if (staging) rmSync(staging, { recursive: true, force: true });
    await cleanupParents();
    throw error;
  }
  return {
    target,
    createdTarget: true,
    created: [],
    undo: async () => {
      rmSync(target, { recursive: true, force: true });
      await cleanupParents();
    },
  };
}
