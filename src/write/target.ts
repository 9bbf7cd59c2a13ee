import { lstatSync, readdirSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { showName } from '../text/show.ts';
import { isStaleStaging } from './staging.ts';

const EXAMPLE = 'Example: create-hardened-service billing-api';

/**
 * Why the target cannot take the project, or undefined: it (or a parent) is a file, or a link to
 * nothing, which no --force can help, or, without --force, it is a directory that is not empty. A
 * killed run's staging directory does not count (the next write removes it). Shared by the command
 * line check and the directory prompt's inline validation.
 */
export function targetProblem(directory: string, target: string, force: boolean): string | undefined {
  const shown = showName(directory);
  let entries: string[];
  try {
    if (!statSync(target).isDirectory()) return `${shown} is a file, not a directory. ${EXAMPLE}`;
    entries = readdirSync(target)
      .filter((entry) => !isStaleStaging(entry, basename(target)))
      .sort();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      const dangling = (() => {
        try {
          return lstatSync(target).isSymbolicLink();
        } catch {
          return false;
        }
      })();
      return dangling ? `${shown} is a symbolic link to a path that does not exist. ${EXAMPLE}` : undefined;
    }
    if (code === 'ENOTDIR') return `${shown} is inside a file, not a directory. ${EXAMPLE}`;
    throw error;
  }
  if (force || entries.length === 0) return undefined;
  const listed = entries.slice(0, 10).map(showName).join(', ') + (entries.length > 10 ? `, … (${entries.length} entries)` : '');
  return `${shown} is not empty (${listed}). Choose a new directory, or pass --force to add the service beside those files (nothing is ever overwritten).`;
}
