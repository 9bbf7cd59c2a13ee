import * as fs from 'node:fs';
import { join } from 'node:path';

// Synchronous file calls, as in atomic.ts: node:fs/promises costs a few ms of start-up to load.

/**
 * Staging directories are named `.<target name>.tmp-<pid>-<random>`: the pid says which run owns
 * one, so a later run can tell a killed run's leftovers (owner gone) from a live run's.
 */
const STAGING = /^\.(.+)\.tmp-([1-9][0-9]{0,9})-[0-9a-f]{8}$/;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/** Whether `entry` (a name in some directory) is a staging directory of `name` whose owner process is gone. */
export function isStaleStaging(entry: string, name: string): boolean {
  const match = STAGING.exec(entry);
  if (!match || match[1] !== name) return false;
  const pid = Number(match[2]);
  return pid !== process.pid && !alive(pid);
}

/**
 * Remove the stale staging directories of `name` in `dir`: only our own kind (the name pattern, a
 * real directory owned by this user), only when the run that made it is gone. Never fails a run.
 */
export function removeStaleStaging(dir: string, name: string): string[] {
  let entries: string[];
  try {
    entries = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const entry of entries) {
    if (!isStaleStaging(entry, name)) continue;
    try {
      const info = fs.lstatSync(join(dir, entry));
      if (!info.isDirectory() || (process.getuid && info.uid !== process.getuid())) continue;
      fs.rmSync(join(dir, entry), { recursive: true, force: true });
      removed.push(entry);
    } catch {
      // gone already, or not ours to remove
    }
  }
  return removed;
}

/**
 * Make a fresh staging directory for `name` in `dir`. mkdir (not mkdtemp, which forces 0700) gives
 * it the mode every directory the user makes gets, so a project renamed into place follows the umask.
 */
export function makeStaging(dir: string, name: string): string {
  for (let attempt = 0; ; attempt++) {
    // Only a name apart from a sibling's: mkdir fails on a taken one, and the next try takes another
    // (Math.random, not node:crypto, which a generation does not load otherwise).
    const random = Math.floor(Math.random() * 0x1_0000_0000).toString(16).padStart(8, '0');
    const path = join(dir, `.${name}.tmp-${process.pid}-${random}`);
    try {
      fs.mkdirSync(path);
      return path;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 5) throw error;
    }
  }
}
