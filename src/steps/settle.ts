import { resolve } from 'node:path';
import type { Preset } from '../options/preset.ts';
import type { AnswerRules, FlagAliases, Settled } from '../options/resolve.ts';
import type { AnswerKey } from '../options/types.ts';
import { UsageError } from '../options/validate.ts';
import { targetProblem } from '../write/target.ts';

export interface SettleInput {
  rules: AnswerRules;
  flags: Partial<Record<AnswerKey, string>>;
  aliases: FlagAliases;
  preset: Preset | undefined;
  cwd: string;
  force: boolean;
}

/** Flags over the preset, every value checked; a directory from the command line that cannot take the project is refused before anything is asked. */
export function settleAnswers({ rules, flags, aliases, preset, cwd, force }: SettleInput): Settled {
  const settled = rules.settle(flags, preset, aliases);
  const directory = settled.fixed.directory;
  if (directory !== undefined) refuseTarget(directory, cwd, force);
  return settled;
}

/** Refuse a target that cannot take the project (see targetProblem). */
export function refuseTarget(directory: string, cwd: string, force: boolean): void {
  const problem = targetProblem(directory, resolve(cwd, directory), force);
  if (problem) throw new UsageError(`[directory]: ${problem}`);
}
