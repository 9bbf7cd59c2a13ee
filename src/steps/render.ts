import { offRegistryWarnings } from '../kit/warnings.ts';
import { languageOf, type Languages } from '../options/answers.ts';
import type { Options } from '../options/types.ts';
import { UsageError } from '../options/validate.ts';
import type { LockPlan } from '../tasks/lock.ts';
import { showName } from '../text/show.ts';
import { findConflicts, type Conflict } from '../write/atomic.ts';
import type { FileMap } from '../write/files.ts';

export interface Rendered {
  files: FileMap;
  /** How the project is locked, or undefined when its manager has no lock step (Maven: the pinned pom is the lock). */
  lock: (LockPlan & { label: string; rendersLock: boolean }) | undefined;
  /** Every file the manager's lock step may write (undone with the project even when the lock is off). */
  lockFiles: readonly string[];
  /** Advice about the answers (an overridden image, one off the registry), printed before writing. */
  warnings: string[];
}

/** One line per path in the way of --force, saying how it is in the way. */
function describeConflict({ path, what }: Conflict, lockFiles: readonly string[]): string {
  const shown = showName(path);
  if (what === 'symbolic link') return `${shown} (a symbolic link: never written through)`;
  if (what === 'not a directory') return `${shown} (not a directory, and the project needs one there)`;
  if (lockFiles.includes(path)) return `${shown} (the lock step would replace it: move it, or pass --no-lock)`;
  return shown;
}

/** Render everything in memory (pure), then make sure no path of it, nor of the lock step, is taken in the target. */
export async function renderFiles(options: Options, languages: Languages, target: string, entries: readonly string[], lockOn: boolean): Promise<Rendered> {
  const { renderProject } = await import('../render/render.ts');
  const language = languageOf(languages, options.language);
  const manager = language.managers.find((candidate) => candidate.value === options.manager);
  if (!manager) throw new Error(`${language.label} has no manager ${options.manager}: answers are checked before they are used`);
  const files = renderProject(options);
  const commands = manager.lockCommands(options);
  const lock = commands.length === 0
    ? undefined
    : { commands, files: manager.lockFiles, inImage: manager.lockInImageCommand(options), label: manager.label, rendersLock: manager.rendersLock ?? false };
  if (entries.length > 0) {
    // The lock step writes its files too: one the user has would be replaced.
    const lockFiles = lockOn && lock ? lock.files : [];
    const conflicts = await findConflicts(target, [...files.keys(), ...lockFiles]);
    if (conflicts.length > 0) {
      throw new UsageError(
        `--force: these paths in ${showName(options.directory)} are in the way (nothing is ever overwritten or written through a symbolic link), so nothing was written:\n  ${conflicts.map((conflict) => describeConflict(conflict, lockFiles)).join('\n  ')}`,
        '--force',
      );
    }
  }
  return { files, lock, lockFiles: manager.lockFiles, warnings: [...language.warnings(options), ...offRegistryWarnings(options)] };
}
