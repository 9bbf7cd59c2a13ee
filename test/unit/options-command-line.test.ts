// The command line printed before writing (issue 13): only what the preset and the defaults would
// not give, each after the answers before it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RULES, settle } from '../../src/answer-rules.ts';
import { equivalentArgs } from '../../src/options/command-line.ts';
import { parsePreset, type Preset } from '../../src/options/preset.ts';
import type { Answers } from '../../src/options/types.ts';

const CWD = '/srv/work';
const team = (document: object) => ({ given: 'team.json', preset: parsePreset(document, '/srv/work/team.json') });

/** What a run settles from these flags and preset, as main does without a TTY. */
function answers(flags: Partial<Record<keyof Answers, string>>, preset?: Preset): Answers {
  const settled = settle(flags, preset);
  return RULES.complete({ ...settled.suggested, ...settled.fixed }, CWD);
}

test('the defaults alone: the directory and --yes', () => {
  assert.deepEqual(equivalentArgs(RULES, answers({ directory: 'svc' }), undefined, CWD), ['svc', '--yes']);
});

test("a language's own defaults follow it: Go's manager, version and gates need no flag", () => {
  assert.deepEqual(equivalentArgs(RULES, answers({ directory: 'svc', language: 'go' }), undefined, CWD), ['svc', '--yes', '--language', 'go']);
  assert.deepEqual(equivalentArgs(RULES, answers({ directory: 'svc', language: 'go', runtimeVersion: '1.26' }), undefined, CWD), [
    'svc', '--yes', '--language', 'go', '--runtime-version', '1.26',
  ]);
  // Python's version under the contract's own name.
  assert.deepEqual(equivalentArgs(RULES, answers({ directory: 'svc', runtimeVersion: '3.11' }), undefined, CWD), ['svc', '--yes', '--python', '3.11']);
});

test('the name follows the directory; one that does not is given', () => {
  assert.deepEqual(equivalentArgs(RULES, answers({ directory: 'services/billing-api' }), undefined, CWD), ['services/billing-api', '--yes']);
  assert.deepEqual(equivalentArgs(RULES, answers({ directory: 'svc', name: 'billing' }), undefined, CWD), ['svc', '--yes', '--name', 'billing']);
});

test('the frontend follows the registry; none and null answers are written as none', () => {
  const mirrored = answers({ directory: 'svc', registry: 'registry.example.com/base' });
  assert.deepEqual(equivalentArgs(RULES, mirrored, undefined, CWD), ['svc', '--yes', '--registry', 'registry.example.com/base']);
  const noLine = answers({ directory: 'svc', registry: 'registry.example.com/base', syntax: 'none' });
  assert.deepEqual(equivalentArgs(RULES, noLine, undefined, CWD).slice(-2), ['--syntax', 'none']);
});

test('with a preset: --preset as given, its values left out, values that differ from it given (none included)', () => {
  const preset = team({ defaults: { registry: 'registry.example.com/base', certBundle: 'registry.example.com/base/ca-bundle:20220405', manager: 'poetry', gates: ['test'] } });
  const fromPreset = answers({ directory: 'svc' }, preset.preset);
  assert.deepEqual(equivalentArgs(RULES, fromPreset, preset, CWD), ['svc', '--preset', 'team.json', '--yes']);
  const changed = answers({ directory: 'svc', manager: 'uv', certBundle: 'none', gates: 'test,lint' }, preset.preset);
  assert.deepEqual(equivalentArgs(RULES, changed, preset, CWD), ['svc', '--preset', 'team.json', '--yes', '--manager', 'uv', '--cert-bundle', 'none', '--gates', 'lint,test']);
});

test("a Python preset's manager and version, with Go chosen at the prompt or by flag: Go's defaults need no flag", () => {
  const preset = team({ defaults: { manager: 'poetry', runtimeVersion: '3.11' } });
  const expected = ['svc', '--preset', 'team.json', '--yes', '--language', 'go'];
  assert.deepEqual(equivalentArgs(RULES, RULES.complete({ directory: 'svc', language: 'go' }, CWD), preset, CWD), expected);
  // And running that gives the same answers: the preset's Python suggestions do not apply to Go.
  assert.deepEqual(answers({ directory: 'svc', language: 'go' }, preset.preset), RULES.complete({ directory: 'svc', language: 'go' }, CWD));
});

test('settling the printed arguments again gives the same answers', () => {
  const preset = team({ defaults: { registry: 'registry.example.com/base', ci: 'gitlab' } });
  const cases: Partial<Record<keyof Answers, string>>[] = [
    { directory: 'a', language: 'node', manager: 'pnpm', runtimeVersion: '22', gates: 'test', maintainer: 'Team Foo <foo@example.com>' },
    { directory: 'b', language: 'java', runtimeVersion: '17', registry: 'none', indexUrl: 'https://nexus.example.com/repository/maven-public/' },
    { directory: 'c', certBundle: 'registry.example.com/base/ca-bundle:20220405', certPath: '/etc/ca', ci: 'none', builderImage: 'python:3.13-slim-trixie' },
  ];
  for (const flags of cases) {
    const first = answers(flags, preset.preset);
    const [directory, ...rest] = equivalentArgs(RULES, first, preset, CWD);
    const again: Partial<Record<keyof Answers, string>> = { directory };
    for (let i = 0; i < rest.length; i++) {
      const flag = rest[i]!;
      if (flag === '--preset') i++;
      else if (flag === '--python') again.runtimeVersion = rest[++i];
      else if (flag.startsWith('--') && flag !== '--yes') again[flag.slice(2).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()) as keyof Answers] = rest[++i];
    }
    assert.deepEqual(answers(again, preset.preset), first, JSON.stringify(flags));
  }
});

test('on/off answers: off is written as --no-x, on only against a preset that turns it off', () => {
  assert.deepEqual(equivalentArgs(RULES, answers({ directory: 'svc', devcontainer: 'false', preCommit: 'false' }), undefined, CWD), [
    'svc', '--yes', '--no-devcontainer', '--no-pre-commit',
  ]);
  const off = team({ defaults: { devcontainer: false } });
  assert.deepEqual(equivalentArgs(RULES, answers({ directory: 'svc' }, off.preset), off, CWD), ['svc', '--preset', 'team.json', '--yes']);
  assert.deepEqual(equivalentArgs(RULES, answers({ directory: 'svc', devcontainer: 'true' }, off.preset), off, CWD), ['svc', '--preset', 'team.json', '--yes', '--devcontainer']);
});
