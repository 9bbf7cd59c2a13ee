// Team presets through --preset and HARDENED_SERVICE_PRESET: defaults, locks, version overrides,
// and broken preset files refused cleanly.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { assertBuilt, binDir, cliEnv, runCli, show, tempDir } from '../helpers/cli.ts';

before(assertBuilt);

const CERT_BUNDLE = 'registry.example.com/base/ca-bundle:20220405';

const PRESET = {
  $schema: './node_modules/create-hardened-service/schema/preset.schema.json',
  defaults: {
    registry: 'registry.example.com/base',
    certBundle: CERT_BUNDLE,
    certPath: '/certs/',
    indexUrl: 'https://nexus.example.com/pypi/simple',
    manager: 'poetry',
    gates: ['typecheck', 'format', 'test'],
    ci: 'gitlab',
    maintainer: 'Team Foo <foo@example.com>',
  },
  locked: ['registry', 'certBundle'],
  versions: { pipenv: '2024.0.1', black: '25.1.0' },
};

function writePreset(dir: string, content: unknown, name = 'team-preset.json'): string {
  const file = join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return file;
}

const record = (dir: string) => JSON.parse(readFileSync(join(dir, '.hardened-service.json'), 'utf8'));

for (const via of ['--preset', 'HARDENED_SERVICE_PRESET'] as const) {
  test(`a preset via ${via} supplies the defaults and the tool versions`, async () => {
    const cwd = tempDir();
    const file = writePreset(cwd, PRESET);
    const args = ['svc', '--no-git', '--no-lock', ...(via === '--preset' ? ['--preset', file] : [])];
    const env = cliEnv(binDir(), via === 'HARDENED_SERVICE_PRESET' ? { HARDENED_SERVICE_PRESET: file } : {});
    const result = await runCli(args, { cwd, env });
    assert.equal(result.exitCode, 0, show(result));
    assert.ok(result.stdout.includes(file), `the run names the preset it used\n${result.stdout}`);
    const { answers, versions } = record(join(cwd, 'svc'));
    assert.equal(answers.manager, 'poetry');
    assert.equal(answers.registry, 'registry.example.com/base');
    assert.ok(answers.certBundle.startsWith(CERT_BUNDLE), answers.certBundle);
    assert.equal(answers.indexUrl, 'https://nexus.example.com/pypi/simple');
    assert.deepEqual(answers.gates, ['typecheck', 'format', 'test']);
    assert.equal(answers.ci, 'gitlab');
    assert.equal(answers.maintainer, 'Team Foo <foo@example.com>');
    assert.equal(versions.pipenv, '2024.0.1');
    assert.equal(versions.black, '25.1.0');
  });
}

test('a relative HARDENED_SERVICE_PRESET resolves against the working directory', async () => {
  const cwd = tempDir();
  writePreset(cwd, PRESET);
  const result = await runCli(['svc', '--no-git', '--no-lock'], { cwd, env: cliEnv(binDir(), { HARDENED_SERVICE_PRESET: 'team-preset.json' }) });
  assert.equal(result.exitCode, 0, show(result));
  assert.equal(record(join(cwd, 'svc')).answers.manager, 'poetry');
});

test('flags win over unlocked preset values', async () => {
  const cwd = tempDir();
  const file = writePreset(cwd, PRESET);
  const result = await runCli(['svc', '--no-git', '--no-lock', '--preset', file, '--manager', 'uv', '--ci', 'none', '--gates', 'lint'], {
    cwd,
    env: cliEnv(binDir()),
  });
  assert.equal(result.exitCode, 0, show(result));
  const { answers } = record(join(cwd, 'svc'));
  assert.equal(answers.manager, 'uv');
  assert.equal(answers.ci, 'none');
  assert.deepEqual(answers.gates, ['lint']);
  assert.equal(answers.registry, 'registry.example.com/base', 'the rest still from the preset');
});

test('--preset wins over HARDENED_SERVICE_PRESET', async () => {
  const cwd = tempDir();
  const fromEnv = writePreset(cwd, { defaults: { manager: 'uv' } }, 'env.json');
  const fromFlag = writePreset(cwd, { defaults: { manager: 'pip-tools' } }, 'flag.json');
  const result = await runCli(['svc', '--no-git', '--no-lock', '--preset', fromFlag], { cwd, env: cliEnv(binDir(), { HARDENED_SERVICE_PRESET: fromEnv }) });
  assert.equal(result.exitCode, 0, show(result));
  assert.equal(record(join(cwd, 'svc')).answers.manager, 'pip-tools');
});

test('a flag equal to a locked value is accepted', async () => {
  const cwd = tempDir();
  const file = writePreset(cwd, PRESET);
  const result = await runCli(['svc', '--no-git', '--no-lock', '--preset', file, '--registry', 'registry.example.com/base'], { cwd, env: cliEnv(binDir()) });
  assert.equal(result.exitCode, 0, show(result));
});

for (const [flag, value, key] of [
  ['--registry', 'registry.other.com/base', 'registry'],
  ['--registry', 'none', 'registry'],
  ['--cert-bundle', 'none', 'certBundle'],
] as const) {
  test(`a locked key contradicted by ${flag} ${value}: exit 2 naming the preset file and the key`, async () => {
    const cwd = tempDir();
    const file = writePreset(cwd, PRESET);
    const before = readdirSync(cwd);
    for (const env of [cliEnv(binDir()), cliEnv(binDir(), { HARDENED_SERVICE_PRESET: file })]) {
      const args = ['svc', '--no-git', '--no-lock', flag, value, ...(env.HARDENED_SERVICE_PRESET ? [] : ['--preset', file])];
      const result = await runCli(args, { cwd, env });
      assert.equal(result.exitCode, 2, show(result));
      assert.ok(result.stderr.includes(file), `names the preset file\n${result.stderr}`);
      assert.ok(result.stderr.includes(`"${key}"`), `names the key\n${result.stderr}`);
      assert.match(result.stderr, /lock/i, 'says the key is locked');
      assert.ok(result.stderr.includes(flag), `names the flag\n${result.stderr}`);
      assert.deepEqual(readdirSync(cwd), before, 'nothing written');
    }
  });
}

const BROKEN: [string, string, RegExp][] = [
  ['invalid JSON', '{ "defaults": { "manager": "poetry", } ', /not valid JSON/],
  ['not an object', '["poetry"]', /JSON object/],
  ['an unknown top-level key', JSON.stringify({ defaults: {}, lock: ['registry'] }), /"lock"/],
  ['an unknown answer key', JSON.stringify({ defaults: { directory: 'x' } }), /defaults\.directory/],
  ['a hostile default', JSON.stringify({ defaults: { maintainer: 'Team $(id)' } }), /maintainer/],
  ['a lock without a value', JSON.stringify({ defaults: {}, locked: ['registry'] }), /registry/],
  ['an unknown pinned tool', JSON.stringify({ versions: { leftpad: '1.0.0' } }), /versions\.leftpad/],
  ['a hostile tool version', JSON.stringify({ versions: { black: '25.1.0\nRUN id' } }), /versions\.black/],
];

for (const [what, content, names] of BROKEN) {
  test(`a preset with ${what}: exit 2, a message naming the file, no stack trace`, async () => {
    const cwd = tempDir();
    const file = writePreset(cwd, content);
    const result = await runCli(['svc', '--no-git', '--no-lock', '--preset', file], { cwd, env: cliEnv(binDir()) });
    assert.equal(result.exitCode, 2, show(result));
    assert.ok(result.stderr.includes(file), `names the file\n${result.stderr}`);
    assert.match(result.stderr, names);
    assert.doesNotMatch(result.stderr, /^\s+at /m, 'no stack trace');
    assert.deepEqual(readdirSync(cwd), ['team-preset.json'], 'nothing written');
  });
}

test('a preset file that does not exist: exit 2 naming --preset with an example', async () => {
  const cwd = tempDir();
  const result = await runCli(['svc', '--preset', 'missing.json'], { cwd, env: cliEnv(binDir()) });
  assert.equal(result.exitCode, 2, show(result));
  assert.match(result.stderr, /--preset/);
  assert.match(result.stderr, /missing\.json/);
  assert.match(result.stderr, /Example:/);
  assert.deepEqual(readdirSync(cwd), []);
});

// A numeric tag above 65535 (the contract's own `…/ca-bundle:20220405`) is a tag, not a port.
test('the documented cert bundle example (a date tag) is accepted by flag and by preset', async () => {
  const cwd = tempDir();
  const bundle = 'registry.example.com/base/ca-bundle:20220405';
  const viaFlag = await runCli(['--dry-run', 'svc', '--cert-bundle', bundle], { cwd, env: cliEnv(binDir()) });
  assert.equal(viaFlag.exitCode, 0, show(viaFlag));
  const file = writePreset(cwd, { defaults: { certBundle: bundle } });
  const viaPreset = await runCli(['--dry-run', 'svc', '--preset', file], { cwd, env: cliEnv(binDir()) });
  assert.equal(viaPreset.exitCode, 0, show(viaPreset));
});

// Issue 9: `--preset /dev/zero` grew to 13 GB and never ended; a FIFO blocked for ever.
test('a preset that is a FIFO, a device, a directory or too large: exit 2 at once, naming the path and why', async () => {
  const cwd = tempDir();
  execFileSync('mkfifo', [join(cwd, 'preset.fifo')]);
  mkdirSync(join(cwd, 'presets'));
  writeFileSync(join(cwd, 'huge.json'), `{"description": "${'x'.repeat(2 * 1024 * 1024)}"}`);
  symlinkSync('/dev/zero', join(cwd, 'zero.json'));
  const cases: [string[], NodeJS.ProcessEnv, string, RegExp][] = [
    [['--preset', 'preset.fifo'], {}, '--preset', /preset\.fifo: it is a FIFO \(named pipe\)/],
    [['--preset', '/dev/zero'], {}, '--preset', /\/dev\/zero: it is a device/],
    [['--preset', 'zero.json'], {}, '--preset', /zero\.json: it is a device/],
    [['--preset', 'presets'], {}, '--preset', /presets: it is a directory/],
    [['--preset', 'huge.json'], {}, '--preset', /huge\.json: it is larger than 1048576 bytes/],
    [[], { HARDENED_SERVICE_PRESET: '/dev/zero' }, 'HARDENED_SERVICE_PRESET', /\/dev\/zero: it is a device/],
    [[], { HARDENED_SERVICE_PRESET: join(cwd, 'preset.fifo') }, 'HARDENED_SERVICE_PRESET', /preset\.fifo: it is a FIFO/],
  ];
  for (const [args, extra, source, why] of cases) {
    const start = Date.now();
    const result = await runCli(['svc', '--no-git', '--no-lock', ...args], { cwd, env: cliEnv(binDir(), extra as Record<string, string>), timeoutMs: 10_000 });
    const label = `${args.join(' ') || JSON.stringify(extra)}`;
    assert.equal(result.exitCode, 2, `${label}\n${show(result)}`);
    assert.ok(result.stderr.startsWith(`error ${source}: cannot read the preset `), `${label}: names ${source}\n${result.stderr}`);
    assert.match(result.stderr, why, label);
    assert.match(result.stderr, /Example: --preset/, label);
    assert.ok(Date.now() - start < 5_000, `${label}: took ${Date.now() - start} ms`);
  }
  assert.deepEqual(readdirSync(cwd).sort(), ['huge.json', 'preset.fifo', 'presets', 'zero.json']);
});

test('a malformed preset\'s JSON error never echoes control characters from the file', async () => {
  const cwd = tempDir();
  writeFileSync(join(cwd, 'bad.json'), '{"defaults": \u001b]0;owned\u0007\u001b[2J }');
  const result = await runCli(['svc', '--preset', 'bad.json'], { cwd, env: cliEnv(binDir()) });
  assert.equal(result.exitCode, 2, show(result));
  assert.match(result.stderr, /not valid JSON/);
  assert.doesNotMatch(result.stderr, /[\u0000-\u0009\u000b-\u001f\u007f]/, JSON.stringify(result.stderr));
});
