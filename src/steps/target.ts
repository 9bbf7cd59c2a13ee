import { resolve } from 'node:path';
import { existingEntries } from '../write/atomic.ts';
import { refuseTarget } from './settle.ts';

/** The target must be empty, or (--force) able to take the project beside what is there. */
export async function checkTarget(directory: string, cwd: string, force: boolean): Promise<{ target: string; entries: string[] }> {
  refuseTarget(directory, cwd, force);
  const target = resolve(cwd, directory);
  return { target, entries: await existingEntries(target) };
}
