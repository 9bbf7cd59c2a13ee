// The prompt loop and the change at the confirmation (src/steps/prompt.ts) through the UI port, with
// a person's answers scripted: which questions come, in which order, and what is settled again.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RULES, settle } from '../../src/answer-rules.ts';
import { parsePreset } from '../../src/options/preset.ts';
import type { AnswerKey } from '../../src/options/types.ts';
import { changeAnswer, changeable, promptAnswers, type PromptInput } from '../../src/steps/prompt.ts';
import { plainUi } from '../../src/ui/plain.ts';
import { CANCEL, type Question, type Ui } from '../../src/ui/port.ts';

/** A UI whose person gives `replies` in order (a reply is what they pick or type); it records every question. */
function scripted(replies: (string | string[] | typeof CANCEL)[]): Ui & { asked: Question[] } {
  const asked: Question[] = [];
  const plain = plainUi({ stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: {} });
  return {
    ...plain,
    asked,
    intro: () => {},
    async ask(question) {
      asked.push(question);
      if (replies.length === 0) throw new Error(`unexpected question: ${question.message}`);
      const reply = replies.shift()!;
      if (question.kind === 'text' && typeof reply === 'string') {
        const problem = question.validate(reply);
        if (problem) throw new Error(`${question.message} refused ${reply}: ${problem}`);
      }
      return reply;
    },
  };
}

const CWD = '/srv/work';
const input = (ui: Ui, flags: Partial<Record<AnswerKey, string>> = {}, preset?: object): PromptInput => ({
  rules: RULES,
  settled: settle(flags, preset ? parsePreset(preset, 'team.json') : undefined),
  ui,
  cwd: CWD,
  force: false,
});
const messages = (ui: { asked: Question[] }) => ui.asked.map((question) => question.message);

test('the loop asks in table order, skips what is fixed, what does not apply and what has one answer', async () => {
  const ui = scripted(['svc', 'svc', 'go', '1.26', '', '', '', ['test'], 'none', '']);
  const given = await promptAnswers(input(ui));
  assert.deepEqual(messages(ui), [
    'Where should the service go?', 'Service name?', 'Language?', 'Go version?', 'Internal registry for base images?',
    'CA certificate bundle image?', 'Go module proxy (GOPROXY)?', 'Quality gates the build must pass?', 'CI pipeline?', 'Maintainer label?',
  ]);
  assert.deepEqual(given, {
    directory: 'svc', name: 'svc', language: 'go', manager: 'modules', runtimeVersion: '1.26', registry: null, certBundle: null,
    indexUrl: null, gates: ['test'], ci: 'none', maintainer: null,
  });
});

test('a flag narrows the choices of what it reads: --manager poetry leaves Python, which is then not asked', async () => {
  const ui = scripted(['svc', 'svc', '3.13', '', '', '', ['test'], 'none', '']);
  const given = await promptAnswers(input(ui, { manager: 'poetry' }));
  assert.ok(!messages(ui).includes('Language?'), messages(ui).join(' | '));
  assert.equal(given.language, 'python');
});

test("a UI with nobody to ask keeps the preset's suggestions and leaves the rest to the defaults", async () => {
  const nobody = { ...scripted([]), ask: async () => undefined };
  const given = await promptAnswers(input(nobody, { directory: 'svc' }, { defaults: { manager: 'uv', ci: 'gitlab' } }));
  assert.deepEqual(given, { directory: 'svc', manager: 'uv', ci: 'gitlab' });
});

test('changing the language asks again what no longer fits (version, gates) and keeps what does (the mirror, the name)', async () => {
  const first = scripted(['svc', 'orders', 'python', 'poetry', '3.11', '', '', 'https://nexus.example.com/simple', ['test', 'bdd'], 'none', '']);
  const before = await promptAnswers(input(first));
  const ui = scripted(['go', '1.27', ['lint', 'test']]);
  const after = await changeAnswer('language', before, input(ui));
  assert.deepEqual(messages(ui), ['Language?', 'Go version?', 'Quality gates the build must pass?']);
  assert.deepEqual([after.language, after.manager, after.runtimeVersion, after.gates], ['go', 'modules', '1.27', ['lint', 'test']]);
  assert.equal(after.name, 'orders');
  assert.equal(after.indexUrl, 'https://nexus.example.com/simple');
  assert.equal(before.language, 'python', 'the answers given are not changed in place');
});

test('giving a CA bundle at the change asks for its directory; the frontend follows a changed registry', async () => {
  const flags = { directory: 'svc', name: 'svc', language: 'python', manager: 'uv', runtimeVersion: '3.13', indexUrl: 'none', gates: 'test', ci: 'none', maintainer: 'none' };
  const first = scripted(['', '']);
  const before = await promptAnswers(input(first, flags));
  assert.deepEqual(messages(first), ['Internal registry for base images?', 'CA certificate bundle image?']);
  const bundle = scripted(['registry.example.com/base/ca-bundle:20220405', '/etc/ca/']);
  const withBundle = await changeAnswer('certBundle', before, input(bundle, flags));
  assert.deepEqual(messages(bundle), ['CA certificate bundle image?', 'Directory of the .crt files inside that image?']);
  assert.equal(withBundle.certPath, '/etc/ca/');
  const registry = await changeAnswer('registry', withBundle, input(scripted(['registry.example.com/base']), flags));
  assert.equal(RULES.complete(registry, CWD).syntax, 'registry.example.com/base/docker/dockerfile:1');
});

test('what may be changed: asked answers with more than one possible value, never one a flag fixed', async () => {
  const flags = { manager: 'poetry', ci: 'none' };
  const ui = scripted(['svc', 'svc', '3.13', '', '', '', ['test'], '']);
  const given = await promptAnswers(input(ui, flags));
  const keys = changeable(given, RULES.complete(given, CWD), input(ui, flags)).map((choice) => choice.value);
  assert.deepEqual(keys, ['directory', 'name', 'runtimeVersion', 'registry', 'certBundle', 'indexUrl', 'gates', 'maintainer']);
});

test('Esc at a question is a cancel', async () => {
  await assert.rejects(promptAnswers(input(scripted([CANCEL]))), { name: 'Cancelled' });
});
