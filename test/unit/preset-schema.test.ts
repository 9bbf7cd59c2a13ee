import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { checkAnswer, completeAnswers, settle } from '../../src/answer-rules.ts';
import { LANGUAGES } from '../../src/languages/index.ts';
import { PRESET_ALIASES, PRESET_KEYS, parsePreset } from '../../src/options/preset.ts';
import { presetSchema } from '../../src/options/schema.ts';
import { CI_KINDS, GATES } from '../../src/options/types.ts';
import * as check from '../../src/options/validate.ts';
import { VERSIONS } from '../../src/versions.ts';
import { TEAM_PRESET } from '../helpers/presets.ts';

// The schema is generated (src/options/schema.ts, written by the build): these tests hold the
// generator to the code it documents, and run sample presets through a real JSON-schema validator.

type Json = Record<string, any>;
const schema = presetSchema(LANGUAGES, VERSIONS) as Json;
const defaults = schema.properties.defaults as Json;
const validate = new Ajv2020({ strict: true, strictTypes: false, strictRequired: false, allErrors: true }).compile(schema);

/** Example presets: each must be accepted by parsePreset, by settle and by the schema. */
const EXAMPLES: Record<string, Json> = {
  'the brief': TEAM_PRESET,
  'public images, nulls and a gate string': {
    description: 'Open-source services: public images, no CA bundle',
    defaults: { registry: null, certBundle: 'none', indexUrl: 'public', gates: 'test, lint', maintainer: null, language: 'python' },
    locked: ['registry'],
  },
  'a local registry with digests': {
    defaults: {
      registry: 'localhost:5000/base',
      builderImage: `localhost:5000/base/python:3.11-slim-bookworm@sha256:${'0f'.repeat(32)}`,
      runtimeImage: `localhost:5000/base/distroless/python3-debian12@sha256:${'1e'.repeat(32)}`,
      python: '3.11',
      manager: 'uv',
      ci: 'none',
      indexUrl: 'https://[::1]:8443/simple/',
      certPath: '/etc/ssl/certs',
    },
    locked: ['python', 'manager', 'ci'],
    versions: Object.fromEntries(Object.keys(VERSIONS).map((tool) => [tool, '1.0.0'])),
  },
  'a Go team': { defaults: { language: 'go', runtimeVersion: '1.26', gates: ['test', 'lint'], indexUrl: 'https://nexus.example.com/repository/go-proxy/' }, locked: ['language'] },
  'a Java team': { defaults: { language: 'java', manager: 'maven', gates: 'test', runtimeVersion: '17' } },
  empty: {},
  'extends: a lock may rest on a base value': { extends: ['@acme/hardened-preset@^1', './team.json'], defaults: { ci: 'none' }, locked: ['ci'] },
  'extends one URL': { extends: 'https://presets.example.com/team.json#sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=' },
};

/** Presets the code refuses: the schema must refuse each too (an editor flags it before a run does). */
const REFUSED: Record<string, Json> = {
  'an empty extends list': { extends: [] },
  'extends a number': { extends: 3 },
  'an unknown top-level key': { defaults: {}, lock: ['registry'] },
  'an unknown answer key': { defaults: { directory: 'x' } },
  'a hostile maintainer': { defaults: { maintainer: 'Team $(id)' } },
  'a lock without a value': { defaults: {}, locked: ['registry'] },
  'an unknown pinned tool': { versions: { leftpad: '1.0.0' } },
  'a hostile tool version': { versions: { black: '25.1.0\nRUN id' } },
  'a manager of another language': { defaults: { language: 'go', manager: 'poetry' } },
  'a Node.js manager without a language (Python is the default)': { defaults: { manager: 'npm' } },
  'a gate Java does not offer': { defaults: { language: 'java', gates: ['lint'] } },
  'a Go version for Python': { defaults: { runtimeVersion: '1.27' } },
  'the latest tag': { defaults: { builderImage: 'python:latest' } },
  'credentials in the index URL': { defaults: { indexUrl: 'https://u:p@nexus.example.com/simple' } },
};

function strings(node: Json | undefined, key: 'enum' | 'const'): string[] {
  if (!node) return [];
  const own = key === 'enum' ? (node.enum ?? []) : node.const === undefined ? [] : [node.const];
  return [...own, ...(node.anyOf ?? []).flatMap((branch: Json) => strings(branch, key))];
}

/** The string branches of a property: enums/consts and pattern (+ maxLength) branches. */
function acceptsString(property: Json, value: string): boolean {
  if ([...strings(property, 'enum'), ...strings(property, 'const')].includes(value)) return true;
  const branches = [property, ...(property.anyOf ?? [])].filter((branch: Json) => typeof branch.pattern === 'string');
  return branches.some(
    (branch: Json) => new RegExp(branch.pattern, 'u').test(value) && (branch.maxLength === undefined || [...value].length <= branch.maxLength),
  );
}

test('the schema is draft 2020-12 JSON, closed at every level, and shipped in the package (built, not kept in git)', () => {
  assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
  assert.equal(schema.type, 'object');
  for (const node of [schema, defaults, schema.properties.versions]) assert.equal(node.additionalProperties, false);
  assert.deepEqual(Object.keys(schema.properties).sort(), ['$schema', 'defaults', 'description', 'extends', 'locked', 'versions']);
  assert.ok(typeof schema.description === 'string' && schema.description.length > 0);
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { files: string[] };
  assert.ok(pkg.files.includes('schema'), 'package.json "files" ships schema/');
  const ignored = readFileSync(new URL('../../.gitignore', import.meta.url), 'utf8').split('\n');
  assert.ok(ignored.includes('schema/preset.schema.json'), 'generated, so ignored by git');
});

test('the build writes exactly what the generator makes', (t) => {
  const built = new URL('../../schema/preset.schema.json', import.meta.url);
  if (!existsSync(built)) return t.skip('not built yet: npm run build writes schema/preset.schema.json');
  assert.deepEqual(JSON.parse(readFileSync(built, 'utf8')), schema, 'npm run build writes it again');
});

test('defaults lists exactly the preset keys, each documented with its flag', () => {
  assert.deepEqual(Object.keys(defaults.properties), [...PRESET_KEYS, ...Object.keys(PRESET_ALIASES)]);
  for (const key of PRESET_KEYS) {
    const flag = `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    assert.ok(String(defaults.properties[key].description).startsWith(flag), `${key} description names ${flag}`);
  }
});

test('locked lists exactly the preset keys, without repeats, and each needs a default', () => {
  assert.deepEqual(schema.properties.locked.items.enum, [...PRESET_KEYS, ...Object.keys(PRESET_ALIASES)]);
  assert.equal(schema.properties.locked.uniqueItems, true);
  const required = (schema.allOf as Json[]).filter((rule) => !isLanguageRule(rule)).map((rule) => [rule.if.properties.locked.contains.const, rule.then.properties.defaults.required]);
  assert.deepEqual(required, [...PRESET_KEYS, ...Object.keys(PRESET_ALIASES)].map((key) => [key, [key]]));
});

test('versions lists exactly the pinned tools, with the version pattern of the code', () => {
  assert.deepEqual(Object.keys(schema.properties.versions.properties), Object.keys(VERSIONS));
  for (const [tool, property] of Object.entries(schema.properties.versions.properties as Json)) {
    for (const version of ['2024.0.1', '1.0.0rc1', '0.13.8+local', 'latest', '>=1', '1 0', '', `1${'0'.repeat(41)}`]) {
      let valid = true;
      try {
        check.checkToolVersion(version, tool);
      } catch {
        valid = false;
      }
      assert.equal(acceptsString(property, version), valid, `versions.${tool} ${JSON.stringify(version)}`);
    }
  }
});

const isLanguageRule = (rule: Json) => rule.if?.properties?.defaults !== undefined;
const union = (pick: (l: (typeof LANGUAGES)[number]) => { value: string }[] | readonly { value: string }[]) => [...new Set(LANGUAGES.flatMap((l) => pick(l).map((c) => c.value)))];

test('enums match the code: gates, ci, language, manager and runtimeVersion (the union over languages)', () => {
  const gates = defaults.properties.gates as Json;
  assert.deepEqual(gates.anyOf.find((branch: Json) => branch.type === 'array').items.enum, [...GATES]);
  assert.deepEqual(defaults.properties.ci.enum, [...CI_KINDS]);
  assert.deepEqual(defaults.properties.language.enum, LANGUAGES.map((l) => l.value));
  assert.deepEqual(defaults.properties.manager.enum, union((l) => l.managers));
  assert.deepEqual(defaults.properties.runtimeVersion.enum, union((l) => l.runtimeVersions));
  assert.deepEqual(defaults.properties.python.enum, union((l) => (l.value === 'python' ? l.runtimeVersions : [])));
});

test('one rule per language narrows manager, runtimeVersion and gates to what that language offers', () => {
  const rules = (schema.allOf as Json[]).filter(isLanguageRule);
  assert.deepEqual(rules.map((rule) => rule.if.properties.defaults.properties.language.const), LANGUAGES.map((l) => l.value));
  for (const [index, language] of LANGUAGES.entries()) {
    const narrowed = rules[index]!.then.properties.defaults.properties;
    assert.deepEqual(narrowed.manager.enum, language.managers.map((m) => m.value), language.value);
    assert.deepEqual(narrowed.runtimeVersion.enum, language.runtimeVersions.map((v) => v.value), language.value);
    assert.deepEqual(narrowed.gates.anyOf[0].items.enum, language.gates.map((g) => g.value), language.value);
    // The first language's rule also holds when a preset names none.
    assert.equal(rules[index]!.if.properties.defaults.required === undefined, index === 0, language.value);
    // The rules' gate patterns accept exactly what the code accepts for that language.
    const pattern = new RegExp(narrowed.gates.anyOf[1].pattern, 'u');
    for (const sample of [...GATES, 'test,lint', 'fuzz']) {
      let valid = true;
      try {
        checkAnswer('gates', sample, 'gates', { language: language.value });
      } catch {
        valid = false;
      }
      assert.equal(pattern.test(sample), valid, `${language.value} gates ${sample}`);
    }
  }
});

/** Sample values per key: the schema's string branches must accept exactly what the code accepts. */
const SAMPLES: Partial<Record<(typeof PRESET_KEYS)[number], string[]>> = {
  registry: [
    'none', 'registry.example.com/base', 'registry.example.com/base/', 'localhost:5000/base', '127.0.0.1:5000', '[::1]:5000/base',
    'registry.example.com:65535', 'registry.example.com:65536', 'registry.example.com:0', 'registry.example.com:05000',
    'http://registry.example.com', 'registry.example.com/Base', 'registry.example.com//base', '-bad.example.com', 'a b',
    `${`${'a'.repeat(60)}.`.repeat(4)}com`, `${`${'a'.repeat(60)}.`.repeat(5)}com`, 'r.example.com/base\n', '',
  ],
  builderImage: [
    'none', '', 'python:3.13-slim-trixie', 'localhost:5000/python:3.13', '[::1]:5000/python:3.13', `python@sha256:${'ab'.repeat(32)}`,
    `python:3.13@sha256:${'ab'.repeat(32)}`, 'python', 'python:latest', `python:latest@sha256:${'ab'.repeat(32)}`, 'python:latest-slim',
    'registry.example.com/base/ca-bundle:20220405', 'registry.example.com:70000/python:1', 'Python:3.13', 'python:3.13 ',
    `r.example.com/${'a'.repeat(240)}:1`, `r.example.com/${'a'.repeat(460)}:1`,
  ],
  syntax: [
    'none', 'docker/dockerfile:1', 'registry.example.com/base/docker/dockerfile:1', `docker/dockerfile:1.9@sha256:${'ab'.repeat(32)}`,
    'localhost:5000/docker/dockerfile:1', 'docker/dockerfile', 'docker/dockerfile:latest', '', 'docker/dockerfile:1\n', 'Docker/dockerfile:1',
  ],
  certBundle: ['none', 'registry.example.com/base/ca-bundle:20220405', 'registry.example.com/base/ca-bundle', 'ca-bundle:latest', ''],
  certPath: ['/certs/', '/certs', '/', '/etc/ssl/certs', '/a..b/', 'certs', '/certs/../etc', '/./x', '/..', '//certs', '/c d', `/${'c'.repeat(199)}`, `/${'c'.repeat(200)}`],
  indexUrl: [
    'none', 'public', 'https://nexus.example.com/pypi/simple', 'https://nexus.example.com:8443/simple/', 'https://[::1]:8443/simple',
    'https://pypi.org', 'http://nexus.example.com/simple', 'https:nexus.example.com/simple', 'https://u:p@nexus.example.com/simple',
    'https://nexus.example.com/simple?x=1', 'https://nexus.example.com/simple#f', 'https://nexus.example.com:0/simple',
    'https://nexus.example.com:70000/simple', 'https://nexus.example.com/a/../b', 'https://nexus.example.com/./b', 'https://n_x.example.com/',
  ],
  gates: ['test', 'typecheck,test', ' test , lint ', 'test,test', 'fuzz', '', ',', 'test,', 'TEST', 'test\n'],
  maintainer: [
    'none', '', 'Team Foo <foo@example.com>', 'Équipe Données (data)', ' Team', 'Team ', 'Team;Foo', 'Team\u2028Foo', 'x'.repeat(200), 'x'.repeat(201),
    'Jose\u0301 Garci\u0301a', 'देवनागरी टीम <t@example.com>', '\u0301Team', 'Team 1\u20e3', 'Team\u200b',
  ],
  ci: ['github', 'gitlab', 'none', 'jenkins', 'GitHub'],
  manager: ['pipenv', 'poetry', 'uv', 'pip-tools', 'pip', 'conda'],
  runtimeVersion: ['3.13', '3.11', '3.12', '3', '3.13.1'],
  language: ['python', 'go', 'Python'],
};

test('the schema patterns accept exactly what the validators accept, on sample values', () => {
  for (const [key, values] of Object.entries(SAMPLES)) {
    const property = defaults.properties[key] as Json;
    for (const value of values) {
      let valid = true;
      try {
        checkAnswer(key as (typeof PRESET_KEYS)[number], value, `defaults.${key}`, {});
      } catch (error) {
        assert.ok(error instanceof check.UsageError, String(error));
        valid = false;
      }
      assert.equal(acceptsString(property, value), valid, `defaults.${key} ${JSON.stringify(value)}: code says ${valid ? 'valid' : 'invalid'}`);
    }
  }
});

test('every pattern compiles as a unicode regular expression (what editors use)', () => {
  const patterns: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) if (key === 'pattern') patterns.push(value as string);
      Object.values(node).forEach(walk);
    }
  };
  walk(schema);
  assert.ok(patterns.length >= 10, `found ${patterns.length} patterns`);
  for (const pattern of patterns) {
    assert.ok(pattern.startsWith('^') && pattern.endsWith('$'), `anchored: ${pattern}`);
    assert.doesNotThrow(() => new RegExp(pattern, 'u'), pattern);
  }
});

for (const [name, example] of Object.entries(EXAMPLES)) {
  test(`example preset "${name}" is accepted by parsePreset, settle and the schema's key lists`, () => {
    const preset = parsePreset(example, `${name}.json`);
    const settled = settle({}, preset);
    const answers = completeAnswers({ directory: 'billing-api', ...settled.suggested, ...settled.fixed }, '/tmp');
    assert.equal(answers.name, 'billing-api');
    for (const key of preset.locked) assert.ok(key in settled.fixed, `${key} locked`);
    assert.deepEqual(Object.keys(example).filter((key) => !(key in schema.properties)), []);
    for (const [key, value] of Object.entries((example.defaults ?? {}) as Json)) {
      const property = defaults.properties[key] as Json;
      assert.ok(property, `defaults.${key} in the schema`);
      if (typeof value === 'string') assert.ok(acceptsString(property, value), `schema accepts defaults.${key} ${JSON.stringify(value)}`);
    }
    assert.ok(validate(example), `the schema accepts it: ${JSON.stringify(validate.errors)}`);
  });
}

for (const [name, example] of Object.entries(REFUSED)) {
  test(`a preset with ${name} is refused by the code and by the schema`, () => {
    assert.throws(() => settle({}, parsePreset(example, `${name}.json`)), check.UsageError);
    assert.equal(validate(example), false, 'the schema refuses it');
  });
}
