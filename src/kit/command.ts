import type { Command } from '../ecosystems/index.ts';
import { showCommand as shellWords } from '../tasks/which.ts';

export type { Command };

/**
 * A command as a person types it, its environment first (`GOPROXY=… go mod tidy`): the one printer
 * behind README lines, Dockerfile comments and the lock task's advice (tasks/which.ts quotes).
 */
export function showCommand(command: Command): string {
  return shellWords(command.command, command.args, command.env);
}

/** Commands run one after the other, as one line. */
export function showCommands(commands: readonly Command[]): string {
  return commands.map(showCommand).join(' && ');
}
