import * as p from '@clack/prompts';
import { lstatSync } from 'node:fs';
import { join, relative } from 'node:path';
import pc from 'picocolors';
import type { Files, ManagerModule } from '../languages/types.ts';
import type { Options, Switches } from '../options/types.ts';
import { showName } from '../options/validate.ts';
import { initGit } from '../tasks/git.ts';
import { cancelMessage, Interrupted, signalExitCode, type Stop } from '../tasks/interrupted.ts';
import { runLock, type LockResult } from '../tasks/lock.ts';
import { showCommand } from '../tasks/which.ts';
import { writeProject, type Written } from '../write/atomic.ts';
import type { Io } from './main.ts';

export interface TaskInput {
  options: Options;
  manager: ManagerModule;
  target: string;
  files: Files;
  switches: Switches;
  interactive: boolean;
  io: Io;
  /** The run's signal trap: a terminating signal stops the task at hand and undoes everything. */
  stop: Stop;
}

/** A step shown as a spinner with a TTY, as plain lines without one. */
function step(interactive: boolean, io: Io) {
  return async <T>(title: string, work: () => Promise<T>, done: (result: T) => string): Promise<T> => {
    if (!interactive) {
      const result = await work();
      io.stdout.write(`${done(result)}\n`);
      return result;
    }
    const spin = p.spinner({ output: io.stdout });
    spin.start(title);
    // clack's spinner puts stdin in raw mode and calls process.exit(0) on Ctrl-C, skipping the undo.
    // In cooked mode the terminal turns Ctrl-C into SIGINT, which the run's trap handles (exit 130).
    const stdin = io.stdin as NodeJS.ReadStream;
    if (stdin.isTTY && typeof stdin.setRawMode === 'function') stdin.setRawMode(false);
    try {
      const result = await work();
      spin.stop(done(result));
      return result;
    } catch (error) {
      spin.error(title);
      throw error;
    }
  };
}

// lstat: a dangling link counts as there (it is the user's, and undo must leave it alone).
const present = (path: string) => {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
};

function lockAdvice(result: Exclude<LockResult, { status: 'locked' }>, directory: string, manager: ManagerModule): string {
  const why = result.status === 'missing-tool' ? `${result.tool} is not installed here` : `locking failed:\n${result.message}`;
  const lock = manager.lockFiles.join(', ');
  return [
    manager.rendersLock ? `${lock} not refreshed: ${why}` : `no lockfile yet: ${why}`,
    manager.rendersLock
      ? `${lock} as written is complete for the generated code. After adding dependencies, lock on your machine:`
      : 'The Docker build needs the lock. Lock on your machine:',
    `  cd ${directory} && ${result.commands.join(' && ')}`,
    'or inside the builder image:',
    `  cd ${directory} && ${result.inImage}`,
  ].join('\n');
}

/** The user's files that the initial commit left out (git's view: ignored ones are not listed). */
function untrackedNote(untracked: string[]): string {
  const shown = untracked.slice(0, 5).map(showName).join(', ');
  const more = untracked.length > 5 ? ` and ${untracked.length - 5} more` : '';
  return `git: the initial commit holds only the generated files; what was here before stays untracked: ${shown}${more}`;
}

/** Write the project atomically, then lock and git. A terminating signal at any point undoes everything. */
export async function runTasks(input: TaskInput): Promise<number> {
  const { options, manager, target, files, switches, interactive, io, stop } = input;
  const run = step(interactive, io);
  const directory = relative(io.cwd ?? process.cwd(), target) || '.';
  const stopped = (what: string) => {
    if (stop.signal.aborted) throw new Interrupted(what);
  };
  let written: Written | undefined;
  const notes: { kind: 'warning' | 'note'; text: string }[] = [];
  // Paths the lock tool or git may create: undo removes only those that were not there before.
  const extras = [...manager.lockFiles, '.git', '.venv'].filter((path) => !present(join(target, path)));
  // When the Docker build cannot work without a lock that is not there, locking is the first next step.
  let lockFirst: string | undefined;
  try {
    written = await run(
      'Writing files',
      () => writeProject(target, files, { signal: stop.signal }),
      () => `Wrote ${files.size} files to ${directory}`,
    );
    stopped('writing');

    // A manager without a lock file (Maven: the pinned pom is the lock) has no lock step at all.
    const lockable = manager.lockCommands(options).length > 0;
    let locked: string[] = [];
    if (switches.lock && lockable) {
      const result = await run(
        `Locking dependencies with ${manager.label}`,
        () => runLock(manager, options, target, io.env, stop),
        (r) => (r.status === 'locked' ? `Locked: ${r.files.join(', ')}` : `No lockfile (${r.status === 'missing-tool' ? `${r.tool} not installed` : 'lock failed'})`),
      );
      stopped('the lock');
      if (result.status === 'locked') locked = result.files.filter((path) => present(join(target, path)));
      else {
        notes.push({ kind: manager.rendersLock ? 'note' : 'warning', text: lockAdvice(result, directory, manager) });
        // Without the tool here, the builder image is where the lock can be made.
        if (!manager.rendersLock) lockFirst = result.status === 'missing-tool' ? result.inImage : result.commands.join(' && ');
      }
    } else if (lockable) {
      const commands = manager.lockCommands(options).map((command) => showCommand(command.command, command.args, command.env));
      const why = manager.rendersLock ? `${manager.lockFiles.join(', ')} as written is complete; after adding dependencies, lock` : 'the Docker build needs the lock';
      notes.push({ kind: 'note', text: `--no-lock: ${why}. Run: cd ${directory} && ${commands.join(' && ')}` });
      if (!manager.rendersLock) lockFirst = commands.join(' && ');
    }

    if (switches.git) {
      const paths = [...new Set([...files.keys(), ...locked])];
      const result = await run(
        'Creating the git repository',
        () => initGit(target, options.generatorVersion, io.env, { paths, signal: stop.signal, now: stop.now }),
        (r) => (r.status === 'committed' ? 'Initialized git with an initial commit' : r.status === 'skipped' ? `Skipped git: ${r.reason}` : 'git failed'),
      );
      stopped('git');
      if (result.status === 'failed') {
        // Into a directory that held files before, only the generated ones may be added.
        const add = written.createdTarget ? 'git add -A' : showCommand('git', ['add', '--', ...paths]);
        notes.push({ kind: 'warning', text: `git: ${result.message}\n  Run: cd ${directory} && git init && ${add} && git commit -m "Initial commit"` });
      }
      if (result.status === 'committed' && result.untracked.length > 0) notes.push({ kind: 'note', text: untrackedNote(result.untracked) });
    }
  } catch (error) {
    // Undo only once nothing runs any more: the tools are gone when their step has returned.
    await written?.undo(extras);
    if (stop.signal.aborted || error instanceof Interrupted) {
      const signal = stop.received();
      io.stderr.write(`${cancelMessage(signal)}\n`);
      return signalExitCode(signal ?? 'SIGINT');
    }
    throw error;
  }

  for (const { kind, text } of notes) {
    if (interactive) p.log.warn(text, { output: io.stdout });
    else io.stderr.write(`${pc.yellow(kind)} ${text}\n`);
  }
  const next = [
    directory === '.' ? null : `cd ${directory}`,
    lockFirst ? `${lockFirst}     # first: the Docker build needs the lock` : null,
    'docker build --target test .     # run every gate',
    `docker build -t ${options.name} .   # the image (gates included)`,
    `docker run --rm -p 8080:8080 --read-only --cap-drop ALL ${options.name}`,
  ].filter(Boolean);
  if (interactive) p.outro(`Done. Next:\n${next.map((line) => `   ${line}`).join('\n')}`, { output: io.stdout });
  else io.stdout.write(`Done. Next:\n${next.map((line) => `  ${line}`).join('\n')}\n`);
  return 0;
}
