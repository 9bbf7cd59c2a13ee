import { ANSWERS, answerSpec, dependentsOf, flagValue, type Answer, type AnswerContext } from '../options/answers.ts';
import type { AnswerRules, Settled } from '../options/resolve.ts';
import type { AnswerKey, Answers } from '../options/types.ts';
import { CANCEL, type Choice, type Question, type Ui } from '../ui/port.ts';
import { Cancelled } from './exit.ts';
import { standing, textQuestion } from './first.ts';

type Given = Partial<Answers>;

export interface PromptInput {
  rules: AnswerRules;
  settled: Settled;
  ui: Ui;
  cwd: string;
  force: boolean;
}

function set(target: Given, key: AnswerKey, value: unknown): void {
  (target as Record<string, unknown>)[key] = value;
}

/** Whether `value` for `key` still passes its check with `answers`. */
function passes(rules: AnswerRules, key: AnswerKey, value: unknown, answers: Given, cwd: string): boolean {
  try {
    rules.check(key, flagValue(value), answerSpec(key).flag, answers, cwd);
    return true;
  } catch {
    return false;
  }
}

/** The choices of a question that leave every answer fixed by a flag or a lock valid (--manager poetry leaves Python). */
function choicesOf<K extends AnswerKey>(spec: Answer<K>, answers: Given, input: PromptInput): readonly Choice[] {
  if (spec.prompt.kind !== 'select' && spec.prompt.kind !== 'multiselect') return [];
  const ctx: AnswerContext = { languages: input.rules.languages, answers, cwd: input.cwd };
  const fixed = dependentsOf(spec.key).filter((key) => input.settled.fixed[key] !== undefined);
  return spec.prompt.choices(ctx).filter((choice) =>
    fixed.every((key) => passes(input.rules, key, input.settled.fixed[key], { ...answers, [spec.key]: choice.value }, input.cwd)),
  );
}

/**
 * Ask one answer, given the answers before it; `current` is what stands (a preset's suggestion, or
 * the answer being changed). Returns what stands when nothing is asked (a UI with nobody to ask, a
 * question that does not apply); a question with one possible answer takes it without asking.
 */
async function ask<K extends AnswerKey>(spec: Answer<K>, answers: Given, current: Answers[K] | undefined, input: PromptInput): Promise<Answers[K] | undefined> {
  const { rules, cwd } = input;
  const prompt = spec.prompt;
  if (prompt.kind === 'none' || (spec.when && !spec.when(answers))) return current;
  const ctx: AnswerContext = { languages: rules.languages, answers, cwd };
  const check = (raw: string) => rules.check(spec.key, raw, spec.flag, answers, cwd);
  if (prompt.kind === 'text') {
    const question = textQuestion(spec, ctx, current, check, input.force);
    const typed = await input.ui.ask(question);
    if (typed === CANCEL) throw new Cancelled();
    if (typed === undefined) return current;
    const raw = String(typed);
    if (raw === '' && prompt.empty === 'none') return null as Answers[K];
    return check(raw || (question.defaultValue ?? ''));
  }
  const choices = choicesOf(spec, answers, input);
  // A question with one possible answer is not asked (Go has one manager, Java one gate).
  if (choices.length === 1) return check(choices[0]!.value);
  const value = standing(spec, ctx, current);
  const message = prompt.message(ctx);
  const question: Question =
    prompt.kind === 'select'
      ? { kind: 'select', message, hint: prompt.hint, choices, initialValue: value === undefined ? undefined : flagValue(value) }
      : { kind: 'multiselect', message, hint: prompt.hint, choices, initialValues: Array.isArray(value) ? value : [] };
  const picked = await input.ui.ask(question);
  if (picked === CANCEL) throw new Cancelled();
  if (picked === undefined) return current;
  return check(Array.isArray(picked) ? picked.join(',') : picked);
}

/** Ask every answer not fixed by a flag or a lock, in table order, each seeing the answers before it (clack's group()). */
export async function promptAnswers(input: PromptInput): Promise<Given> {
  input.ui.intro();
  const given: Given = { ...input.settled.fixed };
  for (const spec of ANSWERS) {
    if (input.settled.fixed[spec.key] !== undefined) continue;
    const value = await ask(spec as Answer<AnswerKey>, given, input.settled.suggested[spec.key], input);
    if (value !== undefined) set(given, spec.key, value);
  }
  return given;
}

/** The answers a person may change at the confirmation: asked ones with more than one possible value. */
export function changeable(given: Given, shown: Answers, input: PromptInput): Choice[] {
  return ANSWERS.filter((spec) => {
    if (spec.prompt.kind === 'none' || input.settled.fixed[spec.key] !== undefined) return false;
    if (spec.when && !spec.when(given)) return false;
    return spec.prompt.kind === 'text' || choicesOf(spec as Answer<AnswerKey>, given, input).length > 1;
  }).map((spec) => ({ value: spec.key, label: spec.summary.label(shown), hint: flagValue(shown[spec.key]) }));
}

/**
 * Change one answer with its own prompt and check, then settle again the later answers that read it:
 * one that still passes stays, one that no longer does (a Python manager after choosing Go) is asked again.
 */
export async function changeAnswer(key: AnswerKey, given: Given, input: PromptInput): Promise<Given> {
  const next: Given = { ...given };
  set(next, key, await ask(answerSpec(key), next, given[key], input));
  for (const later of dependentsOf(key)) {
    if (input.settled.fixed[later] !== undefined) continue;
    const spec = answerSpec(later);
    const current = next[later];
    if (spec.prompt.kind === 'none' || (spec.when && !spec.when(next))) continue;
    if (current !== undefined && passes(input.rules, later, current, next, input.cwd)) continue;
    delete next[later];
    const value = await ask(spec, next, undefined, input);
    if (value !== undefined) set(next, later, value);
  }
  return next;
}
