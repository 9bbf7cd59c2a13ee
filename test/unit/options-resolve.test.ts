import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ANSWER_FLAGS } from '../../src/cli/args.ts';
import { PRESET_KEYS, parsePreset, type Preset } from '../../src/options/preset.ts';
import { buildOptions, checkAnswer, completeAnswers, defaultAnswer, RULES, settle } from '../../src/answer-rules.ts';
import { languageOf } from '../../src/options/answers.ts';
import { ANSWER_ORDER } from '../../src/options/resolve.ts';
import { GATES, type AnswerKey, type Answers } from '../../src/options/types.ts';
import { UsageError, checkImage } from '../../src/options/validate.ts';
import { VERSIONS } from '../../src/versions.ts';

const FILE = '/teams/foo/preset.json';
const preset = (document: object): Preset => parsePreset(document, FILE);
const CWD = '/srv/work';

/** flag > preset > default, all the way to complete answers (what main does without a TTY). */
function resolveAll(flags: Partial<Record<AnswerKey, string>>, from?: Preset): Answers {
  const settled = settle(flags, from);
  return completeAnswers({ ...settled.suggested, ...settled.fixed }, CWD);
}

function usageError(run: () => unknown): UsageError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof UsageError, `expected a UsageError, got ${String(error)}`);
    return error;
  }
  assert.fail('no error');
}

test('every answer has a place in ANSWER_ORDER, once, and a flag (or the positional directory)', () => {
  const complete = resolveAll({ directory: 'billing-api' });
  assert.deepEqual([...ANSWER_ORDER].sort(), Object.keys(complete).sort());
  assert.equal(new Set(ANSWER_ORDER).size, ANSWER_ORDER.length);
  assert.deepEqual(['directory', ...Object.keys(ANSWER_FLAGS)].sort(), [...ANSWER_ORDER].sort());
  for (const key of PRESET_KEYS) assert.ok((ANSWER_ORDER as readonly string[]).includes(key), key);
  // An answer that depends on another comes after it.
  const at = (key: AnswerKey) => ANSWER_ORDER.indexOf(key as never);
  assert.ok(at('directory') < at('name') && at('language') < at('manager') && at('language') < at('runtimeVersion'));
  assert.ok(at('certBundle') < at('certPath'));
  assert.ok(at('registry') < at('syntax'), 'the frontend default follows the registry');
});

test('built-in defaults: the contract table', () => {
  const answers = resolveAll({});
  assert.deepEqual(answers, {
    directory: 'my-service',
    name: 'my-service',
    language: 'python',
    manager: 'pipenv',
    runtimeVersion: '3.13',
    registry: null,
    builderImage: null,
    runtimeImage: null,
    syntax: 'docker/dockerfile:1',
    certBundle: null,
    certPath: '/certs/',
    indexUrl: null,
    gates: [...GATES],
    ci: 'github',
    maintainer: null,
    devcontainer: true,
    preCommit: true,
  });
});

test('a flag wins over the preset, which wins over the default', () => {
  const team = preset({ defaults: { manager: 'poetry', ci: 'gitlab', gates: ['test'] } });
  const answers = resolveAll({ directory: 'svc', manager: 'uv' }, team);
  assert.equal(answers.manager, 'uv', 'flag over preset');
  assert.equal(answers.ci, 'gitlab', 'preset over default');
  assert.deepEqual(answers.gates, ['test'], 'preset over default');
  assert.equal(answers.runtimeVersion, '3.13', 'default where neither says anything');
});

test('an unlocked preset value is a suggestion (prompt default), a flag or locked value is fixed', () => {
  const team = preset({ defaults: { manager: 'poetry', registry: 'registry.example.com/base' }, locked: ['registry'] });
  const { fixed, suggested } = settle({ ci: 'none' }, team);
  assert.deepEqual(suggested, { manager: 'poetry' });
  assert.deepEqual(fixed, { registry: 'registry.example.com/base', ci: 'none' });
});

test('values are normalized on the way in, from flags and presets alike', () => {
  const team = preset({ defaults: { certPath: '/etc/ssl/certs', registry: 'registry.example.com/base/', gates: 'test,typecheck' } });
  const answers = resolveAll({}, team);
  assert.equal(answers.certPath, '/etc/ssl/certs/');
  assert.equal(answers.registry, 'registry.example.com/base');
  assert.deepEqual(answers.gates, ['typecheck', 'test']);
  const nulls = resolveAll({ registry: 'none', certBundle: 'none', indexUrl: 'public', maintainer: '' }, preset({ defaults: { registry: 'r.example.com' } }));
  assert.equal(nulls.registry, null);
  assert.equal(nulls.certBundle, null);
  assert.equal(nulls.indexUrl, null);
  assert.equal(nulls.maintainer, null);
});

test('a locked key with the same flag value (after normalization) is accepted', () => {
  const team = preset({
    defaults: { registry: 'registry.example.com/base', gates: ['typecheck', 'format', 'test'], certPath: '/certs/' },
    locked: ['registry', 'gates', 'certPath'],
  });
  const { fixed } = settle({ registry: 'registry.example.com/base/', gates: 'test,format,typecheck', certPath: '/certs' }, team);
  assert.equal(fixed.registry, 'registry.example.com/base');
  assert.deepEqual(fixed.gates, ['typecheck', 'format', 'test']);
  assert.equal(fixed.certPath, '/certs/');
});

test('a flag that contradicts a locked key is a usage error naming the flag, the preset file and the key', () => {
  const team = preset({ defaults: { registry: 'registry.example.com/base', certBundle: null }, locked: ['registry', 'certBundle'] });
  for (const [flags, flag, key] of [
    [{ registry: 'other.example.com/base' }, '--registry', 'registry'],
    [{ registry: 'none' }, '--registry', 'registry'],
    [{ certBundle: 'registry.example.com/base/ca-bundle:20220405' }, '--cert-bundle', 'certBundle'],
  ] as const) {
    const error = usageError(() => settle(flags, team));
    assert.equal(error.flag, flag);
    assert.ok(error.message.startsWith(`${flag}: `), error.message);
    assert.ok(error.message.includes(FILE), error.message);
    assert.ok(error.message.includes(`"${key}"`), error.message);
  }
});

test('a locked preset value not given by flag is fixed even when the flag for another key is set', () => {
  const team = preset({ defaults: { ci: 'gitlab' }, locked: ['ci'] });
  assert.equal(resolveAll({ manager: 'uv' }, team).ci, 'gitlab');
});

test('an invalid flag or preset value names its flag or preset key', () => {
  const flagError = usageError(() => settle({ indexUrl: 'http://nexus.example.com/simple' }, undefined));
  assert.ok(flagError.message.startsWith('--index-url: '), flagError.message);
  const presetError = usageError(() => settle({}, preset({ defaults: { indexUrl: 'http://nexus.example.com/simple' } })));
  assert.ok(presetError.message.startsWith(`preset ${FILE}: defaults.indexUrl: `), presetError.message);
  assert.match(presetError.message, /Example: /);
  const directoryError = usageError(() => settle({ directory: '../outside' }, undefined));
  assert.ok(directoryError.message.startsWith('[directory]: '), directoryError.message);
});

test('an invalid preset value is an error even when a flag overrides it', () => {
  // The preset is checked on its own: a broken team file should not hide behind a flag.
  const error = usageError(() => settle({ registry: 'r.example.com' }, preset({ defaults: { registry: 'bad registry' } })));
  assert.ok(error.message.includes(FILE));
});

test('the service name defaults to the directory basename', () => {
  assert.equal(resolveAll({ directory: 'services/billing-api' }).name, 'billing-api');
  assert.equal(resolveAll({ directory: 'billing-api/' }).name, 'billing-api');
  assert.equal(resolveAll({ directory: '/tmp/x/payments' }).name, 'payments');
  assert.equal(completeAnswers({ directory: '.' }, '/home/dev/orders-api').name, 'orders-api');
  assert.equal(resolveAll({ directory: 'Billing_API', name: 'billing-api' }).name, 'billing-api', 'an explicit name needs no valid basename');
});

test('a directory name that is not a DNS label is made one: lowercase, other characters as "-"', () => {
  assert.equal(resolveAll({ directory: 'Billing_API' }).name, 'billing-api');
  assert.equal(resolveAll({ directory: 'services/My.Service' }).name, 'my-service');
  assert.equal(resolveAll({ directory: 'api-' }).name, 'api');
  assert.equal(resolveAll({ directory: '__Orders__API__' }).name, 'orders-api');
  assert.equal(completeAnswers({ directory: '.' }, '/home/dev/My_Service').name, 'my-service');
  assert.equal(resolveAll({ directory: `a${'b'.repeat(80)}` }).name, `a${'b'.repeat(62)}`);
});

test('a directory name that cannot make a DNS label: the error says so and suggests --name', () => {
  for (const directory of ['123-api', '___', 'services/42']) {
    const error = usageError(() => resolveAll({ directory }));
    assert.equal(error.flag, '--name');
    assert.ok(error.message.includes(directory.split('/').pop()!), error.message);
    assert.match(error.message, /Example: --name /);
  }
  const dot = usageError(() => completeAnswers({ directory: '.' }, '/home/dev/2024'));
  assert.ok(dot.message.includes('2024'));
});

test('defaults are fresh values: mutating one resolution does not leak into the next', () => {
  const first = resolveAll({});
  first.gates.pop();
  assert.deepEqual(resolveAll({}).gates, [...GATES]);
  const gates = defaultAnswer('gates', {}, CWD);
  gates.length = 0;
  assert.deepEqual(defaultAnswer('gates', {}, CWD), [...GATES]);
});

test('checkAnswer validates manager and python against the chosen language', () => {
  assert.equal(checkAnswer('manager', 'poetry', '--manager', { language: 'python' }), 'poetry');
  assert.throws(() => checkAnswer('manager', 'npm', '--manager', { language: 'python' }), UsageError);
  assert.throws(() => checkAnswer('runtimeVersion', '3.10', '--python', { language: 'python' }), /--python: "3.10" is not supported/);
});

const python = languageOf(RULES.languages, 'python');

function optionsFor(flags: Partial<Record<AnswerKey, string>>, versions: Record<string, string> = {}) {
  return buildOptions(resolveAll({ directory: 'svc', ...flags }), versions, '9.9.9');
}

test('buildOptions: public images for python 3.13 and 3.11 carry the version and the matching distroless release', () => {
  for (const [version, debian] of [
    ['3.13', 'debian13'],
    ['3.11', 'debian12'],
  ] as const) {
    const { images } = optionsFor({ runtimeVersion: version });
    assert.ok(images.builder.includes(version), images.builder);
    assert.ok(images.runtime.includes(`python3-${debian}`), images.runtime);
    assert.ok(images.runtime.startsWith('gcr.io/distroless/'), images.runtime);
    for (const image of [images.builder, images.runtime]) assert.doesNotThrow(() => checkImage(image, '--x', 'x'), image);
  }
  assert.notEqual(optionsFor({ runtimeVersion: '3.13' }).images.builder, optionsFor({ runtimeVersion: '3.11' }).images.builder);
});

test('buildOptions: a registry prefixes both base images', () => {
  for (const registry of ['registry.example.com/base', 'localhost:5000', '[::1]:5000/mirror/base']) {
    for (const version of ['3.13', '3.11']) {
      const { images } = optionsFor({ registry, runtimeVersion: version });
      const publicImages = optionsFor({ runtimeVersion: version }).images;
      assert.ok(images.builder.startsWith(`${registry}/`), images.builder);
      assert.ok(images.runtime.startsWith(`${registry}/`), images.runtime);
      assert.ok(images.builder.includes(version), images.builder);
      assert.notEqual(images.builder, publicImages.builder);
      for (const image of [images.builder, images.runtime]) assert.doesNotThrow(() => checkImage(image, '--x', 'x'), image);
    }
  }
  assert.deepEqual(optionsFor({ registry: 'r.example.com', runtimeVersion: '3.11' }).images, python.images('r.example.com', '3.11'));
});

test('buildOptions: image overrides replace only their own image', () => {
  const builder = 'registry.example.com/team/python:3.13-custom';
  const runtime = `registry.example.com/team/runtime:1@sha256:${'cd'.repeat(32)}`;
  const computed = optionsFor({ registry: 'registry.example.com/base' }).images;
  assert.deepEqual(optionsFor({ registry: 'registry.example.com/base', builderImage: builder }).images, { builder, runtime: computed.runtime });
  assert.deepEqual(optionsFor({ registry: 'registry.example.com/base', runtimeImage: runtime }).images, { builder: computed.builder, runtime });
  const fromPreset = buildOptions(resolveAll({ directory: 'svc' }, preset({ defaults: { runtimeImage: runtime } })), {}, '1.0.0');
  assert.equal(fromPreset.images.runtime, runtime);
});

test('buildOptions: version overrides replace their tool only, and never the shared table', () => {
  const before = structuredClone(VERSIONS);
  const options = optionsFor({}, { black: '25.1.0', pipenv: '2024.0.1' });
  assert.equal(options.versions.black, '25.1.0');
  assert.equal(options.versions.pipenv, '2024.0.1');
  for (const tool of Object.keys(VERSIONS).filter((tool) => tool !== 'black' && tool !== 'pipenv')) {
    assert.equal(options.versions[tool], VERSIONS[tool as keyof typeof VERSIONS], tool);
  }
  assert.deepEqual(VERSIONS, before);
  assert.deepEqual(optionsFor({}).versions, { ...VERSIONS });
  assert.equal(optionsFor({}).generatorVersion, '9.9.9');
});

test('buildOptions keeps every answer as resolved', () => {
  const answers = resolveAll({ directory: 'svc', manager: 'poetry', ci: 'gitlab', maintainer: 'Team Foo <foo@example.com>' });
  const options = buildOptions(answers, {}, '1.0.0');
  for (const key of ANSWER_ORDER) assert.deepEqual(options[key], answers[key], key);
});

test('syntax: the public frontend, the one mirrored in the registry, or none; a flag or preset sets it', () => {
  assert.equal(resolveAll({}).syntax, 'docker/dockerfile:1');
  assert.equal(resolveAll({ registry: 'registry.example.com/base' }).syntax, 'registry.example.com/base/docker/dockerfile:1');
  assert.equal(resolveAll({ registry: 'localhost:5000' }).syntax, 'localhost:5000/docker/dockerfile:1');
  // The registry from a preset moves the default as well; --registry none brings back the public one.
  const team = preset({ defaults: { registry: 'registry.example.com/base' } });
  assert.equal(resolveAll({}, team).syntax, 'registry.example.com/base/docker/dockerfile:1');
  assert.equal(resolveAll({ registry: 'none' }, team).syntax, 'docker/dockerfile:1');
  assert.equal(resolveAll({ syntax: 'none' }, team).syntax, null);
  const pinned = `registry.example.com/base/docker/dockerfile:1.9@sha256:${'ab'.repeat(32)}`;
  assert.equal(resolveAll({ syntax: pinned }).syntax, pinned);
  assert.equal(resolveAll({}, preset({ defaults: { syntax: null } })).syntax, null, 'null in a preset means none');
  assert.equal(resolveAll({}, preset({ defaults: { syntax: 'mirror.example.com/docker/dockerfile:1.9' } })).syntax, 'mirror.example.com/docker/dockerfile:1.9');
  const locked = preset({ defaults: { syntax: 'none' }, locked: ['syntax'] });
  assert.match(usageError(() => settle({ syntax: 'docker/dockerfile:1' }, locked)).message, /^--syntax: .*locks "syntax"/);
});

test('a preset value the wizard never asks for (syntax, base image overrides) is used as it is, with or without a TTY', () => {
  const builder = 'registry.example.com/team/python:3.13-custom';
  const team = preset({ defaults: { syntax: 'none', builderImage: builder, manager: 'poetry' } });
  const { fixed, suggested } = settle({}, team);
  assert.deepEqual(fixed, { builderImage: builder, syntax: null });
  assert.deepEqual(suggested, { manager: 'poetry' });
  assert.equal(settle({ syntax: 'docker/dockerfile:1' }, team).fixed.syntax, 'docker/dockerfile:1', 'a flag still wins over an unlocked preset value');
});

test('syntax: hostile or drifting values are refused, naming the flag or the preset key', () => {
  for (const bad of ['docker/dockerfile', 'docker/dockerfile:latest', 'docker/dockerfile:1\nRUN id', 'docker/dockerfile:1 ', '', '$(id)/x:1', 'Docker/Dockerfile:1', 'docker/dockerfile:1"']) {
    assert.match(usageError(() => settle({ syntax: bad }, undefined)).message, /^--syntax: .* Example: --syntax registry\.example\.com\/base\/docker\/dockerfile:1$/, bad);
    assert.match(usageError(() => settle({}, preset({ defaults: { syntax: bad } }))).message, /^preset \/teams\/foo\/preset\.json: defaults\.syntax: /, bad);
  }
});

test("an unlocked preset value for another language than the flag's is a suggestion that does not apply; a locked one is an error", () => {
  const python = preset({ defaults: { manager: 'poetry', runtimeVersion: '3.11', gates: ['bdd', 'test'] } });
  const { fixed, suggested } = settle({ language: 'go' }, python);
  assert.deepEqual(fixed, { language: 'go' });
  assert.deepEqual(suggested, {}, 'the Python manager, version and gates are dropped');
  assert.deepEqual(resolveAll({ directory: 'svc', language: 'go' }, python).manager, 'modules');
  const locked = preset({ defaults: { manager: 'poetry' }, locked: ['manager'] });
  assert.match(usageError(() => settle({ language: 'go' }, locked)).message, /^preset \/teams\/foo\/preset\.json: defaults\.manager: "poetry" is not one of modules/);
  // A value that fits no answers of the preset's own is still refused, whatever the flags.
  assert.match(usageError(() => settle({ language: 'go' }, preset({ defaults: { manager: 'conda' } }))).message, /defaults\.manager: "conda"/);
});

test('options are frozen; pinning digests returns new options and leaves the given ones as they were', async () => {
  const { withPinned } = await import('../../src/options/resolve.ts');
  const options = optionsFor({ certBundle: 'registry.example.com/base/ca-bundle:20220405' });
  for (const part of [options, options.images, options.versions, options.gates]) assert.ok(Object.isFrozen(part));
  assert.throws(() => {
    (options.images as { builder: string }).builder = 'x:1';
  }, TypeError);
  const digest = `@sha256:${'ab'.repeat(32)}`;
  const pinned = withPinned(options, { [options.images.builder]: options.images.builder + digest, [options.certBundle!]: options.certBundle + digest });
  assert.equal(pinned.images.builder, options.images.builder + digest);
  assert.equal(pinned.images.runtime, options.images.runtime, 'unpinned stays as it was');
  assert.equal(pinned.certBundle, `${options.certBundle}${digest}`);
  assert.ok(!options.images.builder.includes('@'), 'the given options are untouched');
  assert.ok(Object.isFrozen(pinned) && Object.isFrozen(pinned.images));
});

test("a preset value's error shows the example as the preset's JSON member, a flag's after the flag", () => {
  assert.match(usageError(() => settle({}, preset({ defaults: { registry: 'bad host' } }))).message, /Example: "registry": "registry\.example\.com:5000\/base"$/);
  assert.match(usageError(() => settle({}, preset({ defaults: { maintainer: 'x$y' } }))).message, /Example: "maintainer": "Team Foo <foo@example\.com>"$/);
  assert.match(usageError(() => settle({ registry: 'bad host' }, undefined)).message, /Example: --registry registry\.example\.com:5000\/base$/);
});
