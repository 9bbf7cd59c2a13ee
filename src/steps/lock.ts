import { join } from 'node:path';
import { Interrupted, type Stop } from '../tasks/interrupted.ts';
import type { LockPlan, LockResult } from '../tasks/lock.ts';
import { showCommand } from '../text/show.ts';
import type { Ui } from '../ui/port.ts';
import { present, type Note } from './notes.ts';

export type Lockable = LockPlan & { label: string; rendersLock: boolean };

export interface Locked {
  /** Lock files written, for the initial commit. */
  files: string[];
  notes: Note[];
  /** When the Docker build cannot work without a lock that is not there, locking is the first next step. */
  first: string | undefined;
}

function lockAdvice(result: Exclude<LockResult, { status: 'locked' }>, directory: string, lock: Lockable): string {
  const why = result.status === 'missing-tool' ? `${result.tool} is not installed here` : `locking failed:\n${result.message}`;
  const files = lock.files.join(', ');
  return [
    lock.rendersLock ? `${files} not refreshed: ${why}` : `no lockfile yet: ${why}`,
    lock.rendersLock
      ? `${files} as written is complete for the generated code. After adding dependencies, lock on your machine:`
      : 'The Docker build needs the lock. Lock on your machine:',
    `  cd ${directory} && ${result.commands.join(' && ')}`,
    'or inside the builder image:',
    `  cd ${directory} && ${result.inImage}`,
  ].join('\n');
}

/** The lock commands as one shell line (`pipenv lock && …`), as next steps and update print them. */
export function lockCommandLine(lock: Lockable): string {
  return lock.commands.map((command) => showCommand(command.command, command.args, command.env)).join(' && ');
}

/** Lock with the manager's tool where it is installed; where it is not (or --no-lock), say how to lock. */
export async function lockProject(ui: Ui, lock: Lockable | undefined, on: boolean, target: string, directory: string, env: NodeJS.ProcessEnv, stop: Stop): Promise<Locked> {
  // A manager without a lock file (Maven: the pinned pom is the lock) has no lock step at all.
  if (!lock) return { files: [], notes: [], first: undefined };
  if (!on) {
    const commands = lockCommandLine(lock);
    const why = lock.rendersLock ? `${lock.files.join(', ')} as written is complete; after adding dependencies, lock` : 'the Docker build needs the lock';
    return {
      files: [],
      notes: [{ kind: 'note', text: `--no-lock: ${why}. Run: cd ${directory} && ${commands}` }],
      first: lock.rendersLock ? undefined : commands,
    };
  }
  // Spawning (node:child_process) is loaded only when a lock runs.
  const { runLock } = await import('../tasks/lock.ts');
  const result = await ui.task(
    `Locking dependencies with ${lock.label}`,
    () => runLock(lock, target, env, stop),
    (r) => (r.status === 'locked' ? `Locked: ${r.files.join(', ')}` : `No lockfile (${r.status === 'missing-tool' ? `${r.tool} not installed` : 'lock failed'})`),
  );
  if (stop.signal.aborted) throw new Interrupted('the lock');
  if (result.status === 'locked') return { files: result.files.filter((path) => present(join(target, path))), notes: [], first: undefined };
  return {
    files: [],
    notes: [{ kind: lock.rendersLock ? 'note' : 'warning', text: lockAdvice(result, directory, lock) }],
    // Without the tool here, the builder image is where the lock can be made.
    first: lock.rendersLock ? undefined : result.status === 'missing-tool' ? result.inImage : result.commands.join(' && '),
  };
}
