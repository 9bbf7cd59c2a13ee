import { readdirSync, statSync } from 'node:fs';

/**
 * Why the target cannot take the project, or undefined: it (or a parent) is a file, which no
 * --force can help, or, without --force, it is a directory that is not empty. Shared by the
 * command line check and the directory prompt's inline validation.
 */
export function targetProblem(directory: string, target: string, force: boolean): string | undefined {
  let entries: string[];
  try {
    if (!statSync(target).isDirectory()) return `${directory} is a file, not a directory. Example: create-hardened-service billing-api`;
    entries = readdirSync(target).sort();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ENOTDIR') return `${directory} is inside a file, not a directory. Example: create-hardened-service billing-api`;
    throw error;
  }
  if (force || entries.length === 0) return undefined;
  const listed = entries.slice(0, 10).join(', ') + (entries.length > 10 ? `, … (${entries.length} entries)` : '');
  return `${directory} is not empty (${listed}). Choose a new directory, or pass --force to add the service beside those files (nothing is ever overwritten).`;
}
