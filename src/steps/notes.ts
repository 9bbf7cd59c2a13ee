import { lstatSync } from 'node:fs';

/** Advice gathered while the work runs, printed once it is done. */
export interface Note {
  kind: 'warning' | 'note';
  text: string;
}

/** Whether a path exists; lstat: a dangling link counts as there (it is the user's, and undo must leave it alone). */
export function present(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}
