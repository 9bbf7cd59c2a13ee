import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, test } from 'node:test';
import { main } from '../../src/cli/main.ts';
import { loadPreset, parsePreset, PRESET_MAX_BYTES } from '../../src/options/preset.ts';
import { UsageError } from '../../src/options/validate.ts';
import { VERSIONS } from '../../src/versions.ts';
import { TEAM_PRESET as BRIEF_PRESET } from '../helpers/presets.ts';

const FILE = 'team-preset.json';

const TEAM_PRESET = { ...BRIEF_PRESET, description: 'Team Foo services' };

function rejection(document: unknown): UsageError {
  try {
    parsePreset(document, FILE);
  } catch (error) {
    assert.ok(error instanceof UsageError, `expected a UsageError, got ${String(error)}`);
    return error;
  }
  assert.fail(`accepted ${JSON.stringify(document)}`);
}

test('the full team preset is parsed: values as raw strings, null as "none", gates joined', () => {
  const preset = parsePreset(TEAM_PRESET, FILE);
  assert.equal(preset.file, FILE);
  assert.equal(preset.defaults.registry, 'registry.example.com/base');
  assert.equal(preset.defaults.gates, 'typecheck,format,test');
  assert.deepEqual(preset.locked, ['registry', 'certBundle']);
  assert.deepEqual(preset.versions, { pipenv: '2024.0.1', black: '25.1.0' });
  const nulls = parsePreset({ defaults: { registry: null, certBundle: null, maintainer: null } }, FILE);
  assert.deepEqual(nulls.defaults, { registry: 'none', certBundle: 'none', maintainer: 'none' });
  assert.equal(parsePreset({ defaults: { gates: 'test,lint' } }, FILE).defaults.gates, 'test,lint');
});

test('an empty preset is valid and sets nothing', () => {
  assert.deepEqual(parsePreset({}, FILE), { file: FILE, defaults: {}, locked: [], versions: {} });
});

test('parsePreset does not mutate the document it was given', () => {
  const document = structuredClone(TEAM_PRESET);
  parsePreset(document, FILE);
  assert.deepEqual(document, TEAM_PRESET);
});

const BAD: [string, unknown, RegExp][] = [
  ['a document that is a list', [], /the document must be a JSON object/],
  ['a document that is a string', 'registry', /the document must be a JSON object/],
  ['a document that is null', null, /the document must be a JSON object/],
  ['an unknown top key', { default: {} }, /"default" is not a preset key/],
  ['a misspelt top key', { lock: ['registry'] }, /"lock" is not a preset key/],
  ['defaults that is a list', { defaults: ['poetry'] }, /"defaults" must be an object/],
  ['an unknown answer key', { defaults: { registy: 'registry.example.com' } }, /defaults\.registy is not an answer key/],
  ['a snake_case answer key', { defaults: { index_url: 'https://x.example.com' } }, /defaults\.index_url is not an answer key/],
  ['the per-service name', { defaults: { name: 'billing' } }, /defaults\.name is not an answer key/],
  ['the per-service directory', { defaults: { directory: 'x' } }, /defaults\.directory is not an answer key/],
  ['a number value', { defaults: { python: 3.13 } }, /defaults\.python must be a string or null/],
  ['a boolean value', { defaults: { registry: false } }, /defaults\.registry must be a string or null/],
  ['gates with a number', { defaults: { gates: ['test', 1] } }, /defaults\.gates must be a list of gate names/],
  ['gates as an object', { defaults: { gates: { test: true } } }, /defaults\.gates must be a list of gate names/],
  ['locked that is a string', { defaults: { registry: 'r.example.com' }, locked: 'registry' }, /"locked" must be a list of answer keys/],
  ['locked with a number', { locked: [1] }, /"locked" must be a list of answer keys/],
  ['locked unknown key', { locked: ['regsitry'] }, /locked "regsitry" is not an answer key/],
  ['locked key without a default', { locked: ['registry'] }, /locked "registry" has no value in "defaults"/],
  ['versions that is a list', { versions: ['black'] }, /"versions" must be an object/],
  ['an unknown tool in versions', { versions: { pipenvv: '1.0' } }, /versions\.pipenvv is not a pinned tool/],
  ['an inherited name as a tool', { versions: { toString: '1.0' } }, /versions\.toString is not a pinned tool/],
  ['a prototype name as a tool', JSON.parse('{"versions": {"__proto__": "1.0"}}'), /versions\.__proto__ is not a pinned tool/],
  ['constructor as a tool', { versions: { constructor: '1.0' } }, /versions\.constructor is not a pinned tool/],
  ['a version that is a number', { versions: { black: 25 } }, /versions\.black must be a version string/],
  ['a version range', { versions: { black: '>=25.1' } }, /versions\.black ">=25\.1" is not a plain version number/],
  ['a version with a newline', { versions: { black: '25.1.0\nRUN id' } }, /versions\.black .* is not a plain version number/],
  ['a version with a shell substitution', { versions: { uv: '$(id)' } }, /versions\.uv .* is not a plain version number/],
];

for (const [label, document, expected] of BAD) {
  test(`parsePreset rejects ${label}, naming the file and the key`, () => {
    const error = rejection(document);
    assert.ok(error.message.startsWith(`preset ${FILE}: `), error.message);
    assert.match(error.message, expected);
    assert.equal(error.flag, '--preset');
  });
}

test('an error about a key from the file never writes the key raw to the terminal', () => {
  const hostileKey = '\u001b[2J\u009b31m\u2028x';
  for (const document of [{ [hostileKey]: 1 }, { defaults: { [hostileKey]: 'x' } }, { locked: [hostileKey] }, { versions: { [hostileKey]: '1' } }]) {
    const error = rejection(document);
    assert.doesNotMatch(error.message, /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/, JSON.stringify(error.message));
  }
});

test('an unknown-key message lists the valid keys, so a typo is easy to fix', () => {
  assert.match(rejection({ defaults: { registy: 'x' } }).message, /use language, manager, runtimeVersion, registry,/);
  assert.match(rejection({ versions: { blak: '1' } }).message, new RegExp(`use ${Object.keys(VERSIONS).join(', ')}`));
});

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'preset-test-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('loadPreset reads a file and names it in errors', async () => {
  const good = join(dir, 'good.json');
  await writeFile(good, JSON.stringify(TEAM_PRESET, null, 2));
  assert.equal(loadPreset(good).defaults.manager, 'poetry');
  assert.equal(loadPreset(good).file, good);

  const badKey = join(dir, 'bad-key.json');
  await writeFile(badKey, JSON.stringify({ defaults: { registy: 'x' } }));
  assert.throws(() => loadPreset(badKey), (error: unknown) => error instanceof UsageError && error.message.includes(badKey) && error.message.includes('defaults.registy'));
});

test('loadPreset: not JSON, a missing file and a directory are usage errors naming the file', async () => {
  const notJson = join(dir, 'not-json.json');
  await writeFile(notJson, '{ "defaults": { "manager": "poetry", } ');
  assert.throws(() => loadPreset(notJson), (error: unknown) => error instanceof UsageError && error.message.startsWith(`preset ${notJson}: not valid JSON`));

  const empty = join(dir, 'empty.json');
  await writeFile(empty, '');
  assert.throws(() => loadPreset(empty), (error: unknown) => error instanceof UsageError && error.message.includes(empty));

  const missing = join(dir, 'missing.json');
  assert.throws(
    () => loadPreset(missing),
    (error: unknown) => error instanceof UsageError && error.message.includes(missing) && error.message.includes('does not exist') && /Example: /.test(error.message),
  );

  const directory = join(dir, 'a-directory.json');
  await mkdir(directory);
  assert.throws(() => loadPreset(directory), (error: unknown) => error instanceof UsageError && error.message.includes(directory) && error.message.includes('is a directory'));
});

test('loadPreset reads only a regular file of bounded size, and says why it refused one', async () => {
  const big = join(dir, 'big.json');
  await writeFile(big, `{"description": "${'x'.repeat(PRESET_MAX_BYTES)}"}`);
  const fifo = join(dir, 'preset.fifo');
  execFileSync('mkfifo', [fifo]);
  const cases: [string, RegExp][] = [
    [big, /is larger than 1048576 bytes/],
    [fifo, /is a FIFO/],
    ['/dev/zero', /is a device/],
  ];
  for (const [file, why] of cases) {
    assert.throws(
      () => loadPreset(file),
      (error: unknown) => error instanceof UsageError && error.message.includes(file) && why.test(error.message) && /Example: --preset/.test(error.message),
    );
  }
  assert.throws(() => loadPreset('/dev/zero', 'HARDENED_SERVICE_PRESET'), /^UsageError: HARDENED_SERVICE_PRESET: cannot read the preset \/dev\/zero: it is a device/);
});

test('loadPreset: control characters in the path or in the JSON error\'s quote of the file are escaped', async () => {
  const hostile = join(dir, 'evil\u001b]0;owned\u0007.json');
  await writeFile(hostile, '{"defaults": \u001b[2J\u001b[31m}');
  assert.throws(
    () => loadPreset(hostile),
    (error: unknown) => error instanceof UsageError && !/[\u0000-\u001f\u007f]/.test(error.message) && error.message.includes('\\u001b[2J'),
  );
  assert.throws(
    () => loadPreset(join(dir, 'missing\u001b[2J.json')),
    (error: unknown) => error instanceof UsageError && !/[\u0000-\u001f\u007f]/.test(error.message) && error.message.includes('missing\\u001b[2J.json'),
  );
});

/** Run the CLI in-process without a TTY; returns the exit code and what it printed. */
async function runCli(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk) => (out += chunk));
  stderr.on('data', (chunk) => (err += chunk));
  const code = await main(argv, { stdin: new PassThrough(), stdout, stderr, env: { PATH: process.env.PATH, ...env }, cwd: dir });
  return { code, out, err };
}

test('a bad preset through the CLI: exit 2, the file and key named, no stack trace, nothing written', async () => {
  const cases: [string, string, string][] = [
    ['unknown-top.json', JSON.stringify({ default: {} }), '"default"'],
    ['unknown-answer.json', JSON.stringify({ defaults: { registy: 'r.example.com' } }), 'defaults.registy'],
    ['locked-no-default.json', JSON.stringify({ locked: ['certBundle'] }), 'locked "certBundle"'],
    ['unknown-tool.json', JSON.stringify({ versions: { poetryy: '2.0.0' } }), 'versions.poetryy'],
    ['bad-version.json', JSON.stringify({ versions: { poetry: 'latest' } }), 'versions.poetry'],
    ['invalid-value.json', JSON.stringify({ defaults: { registry: 'http://r.example.com' } }), 'defaults.registry'],
    ['not-json.json', '{', 'not valid JSON'],
    ['does-not-exist.json', '', 'does not exist'],
  ];
  for (const [name, text, key] of cases) {
    if (name !== 'does-not-exist.json') await writeFile(join(dir, name), text);
    const target = `out-${name.replace('.json', '')}`;
    const { code, err } = await runCli([target, '--preset', name, '--no-git', '--no-lock']);
    assert.equal(code, 2, `${name}: ${err}`);
    assert.ok(err.includes(name), `${name}: file named in ${err}`);
    assert.ok(err.includes(key), `${name}: key ${key} named in ${err}`);
    assert.doesNotMatch(err, /^\s+at /m, `${name}: stack trace in ${err}`);
    await assert.rejects(() => import('node:fs/promises').then((fs) => fs.stat(join(dir, target))), { code: 'ENOENT' });
  }
});

test('HARDENED_SERVICE_PRESET is read like --preset, and --preset wins over it', async () => {
  await writeFile(join(dir, 'env-bad.json'), JSON.stringify({ defaults: { registy: 'x' } }));
  await writeFile(join(dir, 'flag-good.json'), JSON.stringify({ defaults: { ci: 'gitlab' } }));
  const fromEnv = await runCli(['out-env', '--dry-run'], { HARDENED_SERVICE_PRESET: 'env-bad.json' });
  assert.equal(fromEnv.code, 2);
  assert.ok(fromEnv.err.includes('env-bad.json'));
  const flagWins = await runCli(['out-env', '--dry-run', '--preset', 'flag-good.json'], { HARDENED_SERVICE_PRESET: 'env-bad.json' });
  assert.equal(flagWins.code, 0, flagWins.err);
  assert.match(flagWins.out, /^\s*ci\s+gitlab$/m);
});

test('on/off answers in a preset: JSON booleans (or their text), locked like any answer; anything else names the key', async () => {
  const { settle } = await import('../../src/answer-rules.ts');
  const preset = parsePreset({ defaults: { devcontainer: false, preCommit: 'true' }, locked: ['devcontainer'] }, 'team.json');
  assert.deepEqual(preset.defaults, { devcontainer: 'false', preCommit: 'true' });
  assert.deepEqual(settle({}, preset).fixed, { devcontainer: false, preCommit: true });
  assert.throws(() => settle({ devcontainer: 'true' }, preset, {}), /--devcontainer: "true" contradicts the preset team\.json, which locks "devcontainer" to false/);
  assert.throws(() => parsePreset({ defaults: { preCommit: 1 } }, 'team.json'), /defaults\.preCommit must be true or false/);
  assert.throws(() => settle({}, parsePreset({ defaults: { preCommit: 'yes' } }, 'team.json')), /defaults\.preCommit: "yes" is not true or false\. Example: "preCommit": false/);
});
