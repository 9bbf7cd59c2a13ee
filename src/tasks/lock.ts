import { escapeControls, showCommand } from '../text/show.ts';
import { throwIfInterrupted } from './interrupted.ts';
import { run } from './spawn.ts';
import { which } from './which.ts';

/** A command spawned with an argument array (never a shell string). */
export interface Command {
  command: string;
  args: readonly string[];
  env?: Readonly<Record<string, string>>;
}

/** What locking a project takes: the commands, in order, the files they write, and the builder-image alternative. */
export interface LockPlan {
  commands: readonly Command[];
  files: readonly string[];
  /** A one-line shell command that locks inside the builder image (printed, never run). */
  inImage: string;
}

export type LockResult =
  | { status: 'locked'; files: string[] }
  | { status: 'missing-tool'; tool: string; commands: string[]; inImage: string }
  | { status: 'failed'; message: string; commands: string[]; inImage: string };

/** Run a lock plan's commands in the project (argument arrays, each with its own environment on top of `env`). */
export async function runLock(
  plan: LockPlan,
  cwd: string,
  env: NodeJS.ProcessEnv,
  stop: { signal?: AbortSignal; now?: AbortSignal } = {},
): Promise<LockResult> {
  const shown = plan.commands.map((command) => showCommand(command.command, command.args, command.env));
  const missing = plan.commands.find((command) => !which(command.command, env.PATH));
  if (missing) return { status: 'missing-tool', tool: missing.command, commands: shown, inImage: plan.inImage };
  for (const command of plan.commands) {
    try {
      await run(command.command, command.args, { cwd, env: { ...env, ...command.env }, timeoutMs: 10 * 60_000, ...stop });
    } catch (error) {
      throwIfInterrupted(error, command.command);
      const output = ((error as { output?: string }).output || (error as Error).message).trim().split('\n');
      // A tool's output may quote anything (a package's name or metadata): shown escaped.
      const message = output.slice(-3).map(escapeControls).join('\n');
      return { status: 'failed', message, commands: shown, inImage: plan.inImage };
    }
  }
  return { status: 'locked', files: [...plan.files] };
}
