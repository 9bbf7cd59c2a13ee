// The answers table (src/options/answers.ts) against itself, the languages and docs/developing.md: every
// entry whole, ordered so that an answer reads only earlier ones, and worded for people.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { RULES } from '../../src/answer-rules.ts';
import { LANGUAGES } from '../../src/languages/index.ts';
import { ANSWERS, ANSWER_ORDER, dependentsOf, flagValue, type AnswerContext } from '../../src/options/answers.ts';
import type { Answers } from '../../src/options/types.ts';
import { UsageError } from '../../src/options/validate.ts';
import { ROOT, shellWords } from '../helpers/cli.ts';

const context = (answers: Partial<Answers>): AnswerContext => ({ languages: LANGUAGES, answers, cwd: '/srv/billing-api' });
// The answers of each language, complete: what every rule below is checked against.
const EACH = LANGUAGES.map((language) => RULES.complete({ directory: 'billing-api', language: language.value }, '/srv'));
const CAMEL_KEYS = ANSWER_ORDER.filter((key) => /[A-Z]/.test(key));

test('one entry per answer, once, in ANSWER_ORDER; flags and aliases are unique', () => {
  assert.deepEqual(ANSWERS.map((spec) => spec.key), [...ANSWER_ORDER]);
  assert.equal(new Set(ANSWER_ORDER).size, ANSWER_ORDER.length);
  const flags = ANSWERS.flatMap((spec) => [spec.flag, ...(spec.alias ? [spec.alias.flag] : [])]);
  assert.equal(new Set(flags).size, flags.length, flags.join(' '));
  for (const flag of flags) assert.match(flag, /^(--[a-z][a-z-]*|\[directory\])$/);
});

test('an answer reads only answers before it (dependsOn), and the dependents follow transitively', () => {
  for (const [index, spec] of ANSWERS.entries()) {
    for (const earlier of spec.dependsOn ?? []) assert.ok(ANSWER_ORDER.indexOf(earlier) < index, `${spec.key} reads ${earlier}, which comes later`);
  }
  assert.deepEqual(dependentsOf('language'), ['manager', 'runtimeVersion', 'builderImage', 'runtimeImage', 'indexUrl', 'gates']);
  assert.deepEqual(dependentsOf('registry'), ['syntax']);
  assert.deepEqual(dependentsOf('certBundle'), ['certPath']);
  assert.deepEqual(dependentsOf('ci'), []);
});

test('each example, as a shell reads it, passes its own check; each default of each language passes too', () => {
  for (const spec of ANSWERS) {
    const [example] = shellWords(spec.example);
    assert.doesNotThrow(() => RULES.check(spec.key, example!, spec.flag, {}), `${spec.key} example ${spec.example}`);
  }
  for (const answers of EACH) {
    for (const spec of ANSWERS) {
      const value = answers[spec.key];
      assert.deepEqual(RULES.check(spec.key, flagValue(value), spec.flag, answers), value, `${answers.language} ${spec.key}`);
    }
  }
});

test('every prompt of every language: a message and a hint, choices to pick from, a placeholder that passes', () => {
  for (const answers of EACH) {
    const ctx = context(answers);
    for (const spec of ANSWERS) {
      const prompt = spec.prompt;
      if (prompt.kind === 'none') continue;
      assert.match(prompt.message(ctx), /\?$/, `${spec.key}: a question`);
      assert.ok(prompt.hint.length > 0, spec.key);
      if (prompt.kind === 'text') {
        const placeholder = prompt.placeholder?.(ctx);
        if (placeholder) assert.doesNotThrow(() => RULES.check(spec.key, placeholder, spec.flag, answers), `${answers.language} ${spec.key} placeholder ${placeholder}`);
      } else {
        const choices = prompt.choices(ctx);
        assert.ok(choices.length > 0, `${answers.language} ${spec.key}`);
        for (const choice of choices) assert.doesNotThrow(() => RULES.check(spec.key, choice.value, spec.flag, answers), `${answers.language} ${spec.key} ${choice.value}`);
      }
    }
  }
});

test("the mirror prompt and its errors show the chosen language's own example (Go: a GOPROXY)", () => {
  const indexUrl = ANSWERS.find((spec) => spec.key === 'indexUrl')!;
  for (const language of LANGUAGES) {
    const ctx = context({ language: language.value });
    assert.ok(indexUrl.prompt.kind === 'text');
    assert.equal(indexUrl.prompt.placeholder?.(ctx), language.mirror.example);
    assert.equal(indexUrl.prompt.message(ctx), `${language.mirror.label}?`);
    assert.throws(() => RULES.check('indexUrl', 'http://mirror.example.com/', '--index-url', { language: language.value }), (error: Error) => error.message.endsWith(`Example: --index-url ${language.mirror.example}`));
  }
});

test('human wording: no camelCase preset key in a prompt, a hint, a summary label, a help line or a flag error', () => {
  const leaks = (text: string) => CAMEL_KEYS.filter((key) => text.includes(key));
  for (const answers of EACH) {
    const ctx = context(answers);
    for (const spec of ANSWERS) {
      const texts = [spec.summary.label(answers), ...spec.help.lines(LANGUAGES)];
      if (spec.prompt.kind !== 'none') texts.push(spec.prompt.message(ctx), spec.prompt.hint);
      for (const text of texts) assert.deepEqual(leaks(text), [], `${spec.key}: ${text}`);
      try {
        RULES.check(spec.key, 'x y\n$(id)', spec.flag, answers);
        assert.fail(`${spec.key} took a hostile value`);
      } catch (error) {
        assert.ok(error instanceof UsageError, String(error));
        assert.ok(error.message.startsWith(`${spec.flag}: `), error.message);
        assert.deepEqual(leaks(error.message), [], error.message);
      }
    }
  }
});

test('no "the article" in what the prompts offer: there is no article in sight', () => {
  for (const answers of EACH) {
    for (const spec of ANSWERS) {
      if (spec.prompt.kind !== 'select' && spec.prompt.kind !== 'multiselect') continue;
      for (const choice of spec.prompt.choices(context(answers))) assert.doesNotMatch(`${choice.label} ${choice.hint ?? ''}`, /article/, `${spec.key} ${choice.value}`);
    }
  }
});

test("docs/developing.md's answers table lists every answer with its flag, in order", () => {
  const section = readFileSync(`${ROOT}/docs/developing.md`, 'utf8');
  const rows = [...section.matchAll(/^([a-zA-Z]+) +(--[a-z-]+|\[directory\]) .* default /gm)].map((match) => [match[1], match[2]]);
  assert.deepEqual(rows, ANSWERS.map((spec) => [spec.key, spec.flag]));
});
