import { ANSWERS, flagValue, offFlag } from './answers.ts';
import type { Preset } from './preset.ts';
import type { AnswerRules } from './resolve.ts';
import type { Answers } from './types.ts';

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function attempt<T>(work: () => T): T | undefined {
  try {
    return work();
  } catch {
    return undefined;
  }
}

/**
 * The arguments that make the same answers again without prompts: the directory, the preset when
 * one was used, --yes, then a flag for each answer that differs from what the preset and the
 * defaults would give after the answers before it (so a language's own defaults follow it).
 */
export function equivalentArgs(rules: AnswerRules, answers: Answers, preset: { given: string; preset: Preset } | undefined, cwd: string): string[] {
  const args = [answers.directory, ...(preset ? ['--preset', preset.given] : []), '--yes'];
  for (const spec of ANSWERS) {
    if (spec.key === 'directory') continue;
    const raw = preset?.preset.defaults[spec.key as keyof Preset['defaults']];
    // A preset value that does not fit the answers before it is dropped, as settling drops it.
    let expected = raw === undefined ? undefined : attempt(() => rules.check(spec.key, raw, spec.flag, answers, cwd));
    if (expected === undefined) expected = attempt(() => rules.defaultOf(spec.key, answers, cwd));
    if (same(answers[spec.key], expected)) continue;
    if ('switch' in spec) {
      args.push(answers[spec.key] ? spec.flag : offFlag(spec.flag));
      continue;
    }
    // The contract's own name where it applies: --python for Python's version.
    const flag = spec.alias && answers.language === spec.alias.language ? spec.alias.flag : spec.flag;
    args.push(flag, flagValue(answers[spec.key]));
  }
  return args;
}
