import type { AnswerRules } from '../options/resolve.ts';
import type { Answers, Options } from '../options/types.ts';

export interface Completed {
  /** Every answer: what was given, then the defaults. */
  answers: Answers;
  /** The options rendering needs, frozen: base images computed, tool versions with the preset's overrides. */
  options: Options;
}

export function completeOptions(rules: AnswerRules, given: Partial<Answers>, cwd: string, versions: Readonly<Record<string, string>>, generatorVersion: string): Completed {
  const answers = rules.complete(given, cwd);
  return { answers, options: rules.build(answers, versions, generatorVersion) };
}
