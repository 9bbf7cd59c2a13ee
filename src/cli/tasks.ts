import * as p from '@clack/prompts';
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import pc from 'picocolors';
import type { Files, ManagerModule } from '../languages/types.ts';
import type { Options, Switches } from '../options/types.ts';
import { initGit } from '../tasks/git.ts';
import { Interrupted } from '../tasks/interrupted.ts';
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
    // In cooked mode the terminal turns Ctrl-C into SIGINT, which runTasks handles (exit 130).
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

/** Write the project atomically, then lock and git. Ctrl-C at any point undoes everything. */
export async function runTasks(input: TaskInput): Promise<number> {
  const { options, manager, target, files, switches, interactive, io } = input;
  const controller = new AbortController();
  const onSigint = () => controller.abort(new Error('cancelled'));
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  const run = step(interactive, io);
  const directory = relative(io.cwd ?? process.cwd(), target) || '.';
  let written: Written | undefined;
  const notes: { kind: 'warning' | 'note'; text: string }[] = [];
  // Paths the lock tool or git may create: undo removes only those that were not there before.
  const extras = [...manager.lockFiles, '.git', '.venv'].filter((path) => !existsSync(join(target, path)));
  try {
    written = await run(
      'Writing files',
      () => writeProject(target, files, { signal: controller.signal }),
      () => `Wrote ${files.size} files to ${directory}`,
    );

    // A manager without a lock file (Maven: the pinned pom is the lock) has no lock step at all.
    const lockable = manager.lockCommands(options).length > 0;
    if (switches.lock && lockable) {
      const result = await run(
        `Locking dependencies with ${manager.label}`,
        () => runLock(manager, options, target, io.env, controller.signal),
        (r) => (r.status === 'locked' ? `Locked: ${r.files.join(', ')}` : `No lockfile (${r.status === 'missing-tool' ? `${r.tool} not installed` : 'lock failed'})`),
      );
      if (controller.signal.aborted) throw new Error('cancelled');
      if (result.status !== 'locked') notes.push({ kind: manager.rendersLock ? 'note' : 'warning', text: lockAdvice(result, directory, manager) });
    } else if (lockable) {
      const commands = manager.lockCommands(options).map((command) => showCommand(command.command, command.args, command.env));
      const why = manager.rendersLock ? `${manager.lockFiles.join(', ')} as written is complete; after adding dependencies, lock` : 'the Docker build needs the lock';
      notes.push({ kind: 'note', text: `--no-lock: ${why}. Run: cd ${directory} && ${commands.join(' && ')}` });
    }

    if (switches.git) {
      const result = await run(
        'Creating the git repository',
        () => initGit(target, options.generatorVersion, io.env, controller.signal),
        (r) => (r.status === 'committed' ? 'Initialized git with an initial commit' : r.status === 'skipped' ? `Skipped git: ${r.reason}` : 'git failed'),
      );
      if (controller.signal.aborted) throw new Error('cancelled');
      if (result.status === 'failed') {
        notes.push({ kind: 'warning', text: `git: ${result.message}\n  Run: cd ${directory} && git init && git add -A && git commit -m "Initial commit"` });
      }
    }
  } catch (error) {
    if (controller.signal.aborted || error instanceof Interrupted) {
      await written?.undo(extras);
      io.stderr.write('Cancelled. Nothing was written.\n');
      return 130;
    }
    await written?.undo(extras);
    throw error;
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }

  for (const { kind, text } of notes) {
    if (interactive) p.log.warn(text, { output: io.stdout });
    else io.stderr.write(`${pc.yellow(kind)} ${text}\n`);
  }
  const next = [
    directory === '.' ? null : `cd ${directory}`,
    'docker build --target test .     # run every gate',
    `docker build -t ${options.name} .   # the image (gates included)`,
    `docker run --rm -p 8080:8080 --read-only --cap-drop ALL ${options.name}`,
  ].filter(Boolean);
  if (interactive) p.outro(`Done. Next:\n${next.map((line) => `   ${line}`).join('\n')}`, { output: io.stdout });
  else io.stdout.write(`Done. Next:\n${next.map((line) => `  ${line}`).join('\n')}\n`);
  return 0;
}
