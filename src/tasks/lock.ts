import type { ManagerModule } from '../languages/types.ts';
import type { Options } from '../options/types.ts';
import { escapeControls } from '../options/validate.ts';
import { throwIfInterrupted } from './interrupted.ts';
import { run } from './spawn.ts';
import { showCommand, which } from './which.ts';

export type LockResult =
  | { status: 'locked'; files: string[] }
  | { status: 'missing-tool'; tool: string; commands: string[]; inImage: string }
  | { status: 'failed'; message: string; commands: string[]; inImage: string };

/** Run the manager's lock commands in the project (argument arrays, index URL passed through). */
export async function runLock(
  manager: ManagerModule,
  options: Options,
  cwd: string,
  env: NodeJS.ProcessEnv,
  stop: { signal?: AbortSignal; now?: AbortSignal } = {},
): Promise<LockResult> {
  const commands = manager.lockCommands(options);
  const shown = commands.map((command) => showCommand(command.command, command.args, command.env));
  const inImage = manager.lockInImageCommand(options);
  const missing = commands.find((command) => !which(command.command, env.PATH));
  if (missing) return { status: 'missing-tool', tool: missing.command, commands: shown, inImage };
  for (const command of commands) {
    try {
      await run(command.command, command.args, { cwd, env: { ...env, ...command.env }, timeoutMs: 10 * 60_000, ...stop });
    } catch (error) {
      throwIfInterrupted(error, command.command);
      const output = ((error as { output?: string }).output || (error as Error).message).trim().split('\n');
      // A tool's output may quote anything (a package's name or metadata): shown escaped.
      const message = output.slice(-3).map(escapeControls).join('\n');
      return { status: 'failed', message, commands: shown, inImage };
    }
  }
  return { status: 'locked', files: manager.lockFiles };
}
