// Presets a platform team publishes: an npm package from a loopback registry stand-in (through the
// child's npm and npm_config_registry), an https URL on a local TLS server with a test CA,
// integrity good and bad, `extends` across a file, a package and a URL, a cycle, and the record.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { assertBuilt, binDir, cliEnv, files, runCli, show, tempDir } from '../helpers/cli.ts';
import { httpsFiles, npmRegistry, sha256Hex, sri, type Served } from '../helpers/preset-servers.ts';
import { makePki, registryMissing, type Pki } from './pin-registry.ts';

before(assertBuilt);

const record = (dir: string) => JSON.parse(readFileSync(join(dir, '.hardened-service.json'), 'utf8'));

// The URL base: locks the registry; extends a sibling by a relative URL.
const ROOT_JSON = JSON.stringify({ defaults: { maintainer: 'Platform <platform@example.com>', ci: 'gitlab' } });
const BASE_JSON = JSON.stringify({ extends: './root.json', defaults: { registry: 'registry.example.com/base', manager: 'uv' }, locked: ['registry'] });
const LOOP_A = JSON.stringify({ extends: './loop-b.json' });
const LOOP_B = JSON.stringify({ extends: './loop-a.json' });

const skip = registryMissing(['openssl']);

describe('published presets', { skip }, () => {
  let pki: Pki;
  let web: Served;
  let npm: Served;
  // The package's preset extends the URL base with its integrity: filled in once the server runs.
  let packagePreset: string;

  before(async () => {
    pki = makePki(tempDir('chs-pki'), 'preset');
    web = await httpsFiles(pki, { '/root.json': ROOT_JSON, '/base.json': BASE_JSON, '/loop-a.json': LOOP_A, '/loop-b.json': LOOP_B });
    packagePreset = JSON.stringify({ extends: `${web.url}base.json#${sri(BASE_JSON)}`, defaults: { gates: ['test', 'lint'], manager: 'poetry' } });
    npm = await npmRegistry([
      { name: '@acme/hardened-preset', version: '1.0.0', files: { 'preset.json': { defaults: { manager: 'pipenv' } } } },
      { name: '@acme/hardened-preset', version: '1.2.0', files: { 'preset.json': packagePreset } },
      { name: 'named-preset', version: '2.0.0', files: { 'presets/team.json': { extends: './common.json', defaults: { ci: 'none' } }, 'presets/common.json': { defaults: { manager: 'uv' } } }, manifest: { hardenedServicePreset: 'presets/team.json' } },
      { name: 'escaping-preset', version: '1.0.0', files: { 'preset.json': { extends: '../../etc/passwd.json' } } },
    ]);
  });
  after(async () => {
    await web?.close();
    await npm?.close();
  });

  /** npm and node on PATH, npm pointed at the stand-in, the test CA trusted through Node's own variable. */
  const env = (extra: Record<string, string> = {}) =>
    cliEnv(binDir({ real: ['node', 'npm'] }), { npm_config_registry: npm.url, NODE_EXTRA_CA_CERTS: pki.caFile, ...extra });

  test('an npm package at a range: npm pack through the npm configuration; its preset extends an https URL with integrity, which extends a relative URL', async () => {
    const cwd = tempDir();
    const result = await runCli(['svc', '--no-git', '--no-lock', '--preset', '@acme/hardened-preset@^1'], { cwd, env: env(), timeoutMs: 90_000 });
    assert.equal(result.exitCode, 0, show(result));
    const { preset, answers } = record(join(cwd, 'svc'));
    assert.deepEqual(preset, { source: '@acme/hardened-preset@^1', version: '1.2.0', sha256: sha256Hex(packagePreset) });
    assert.equal(answers.manager, 'poetry', 'the package wins over the URL base it extends');
    assert.deepEqual(answers.gates, ['lint', 'test']);
    assert.equal(answers.registry, 'registry.example.com/base', 'from the URL base');
    assert.equal(answers.ci, 'gitlab', 'from the URL base of the URL base');
    assert.ok(npm.requests.includes('/@acme/hardened-preset'), `the packument was asked for: ${npm.requests.join(', ')}`);
    assert.ok(web.requests.includes('/base.json') && web.requests.includes('/root.json'), web.requests.join(', '));
  });

  test('a bare package name (no such file here) gets the latest; package.json names the preset file, which extends its own sibling', async () => {
    const cwd = tempDir();
    const result = await runCli(['svc', '--no-git', '--no-lock', '--preset', 'named-preset'], { cwd, env: env(), timeoutMs: 90_000 });
    assert.equal(result.exitCode, 0, show(result));
    const { preset, answers } = record(join(cwd, 'svc'));
    assert.equal(preset.source, 'named-preset');
    assert.equal(preset.version, '2.0.0');
    assert.equal(answers.manager, 'uv');
    assert.equal(answers.ci, 'none');
  });

  test('a file extends a package and a URL; a base lock holds against a flag, naming the preset that locked it', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'team.json'), JSON.stringify({ extends: ['@acme/hardened-preset@1.0.0', `${web.url}base.json`], defaults: { maintainer: 'Team Foo <foo@example.com>' } }));
    const ok = await runCli(['svc', '--no-git', '--no-lock', '--preset', './team.json'], { cwd, env: env(), timeoutMs: 90_000 });
    assert.equal(ok.exitCode, 0, show(ok));
    const { preset, answers } = record(join(cwd, 'svc'));
    assert.equal(preset.source, '../team.json', 'a file is recorded relative to the project');
    assert.equal(preset.version, undefined);
    assert.equal(answers.manager, 'uv', 'the later base (the URL) wins over the earlier (the package at 1.0.0: pipenv)');
    assert.equal(answers.maintainer, 'Team Foo <foo@example.com>', 'the file wins over both');

    const locked = await runCli(['svc2', '--no-git', '--no-lock', '--preset', './team.json', '--registry', 'none'], { cwd, env: env(), timeoutMs: 90_000 });
    assert.equal(locked.exitCode, 2, show(locked));
    assert.match(locked.stderr, new RegExp(`contradicts the preset ${web.url}base.json, which locks "registry"`));
    assert.ok(!existsSync(join(cwd, 'svc2')));
  });

  test('an https URL: recorded with its integrity; a wrong digest is exit 2 naming the URL and both digests', async () => {
    const cwd = tempDir();
    const good = `${web.url}base.json#${sri(BASE_JSON, 'sha384')}`;
    const ok = await runCli(['svc', '--no-git', '--no-lock', '--preset', good], { cwd, env: env(), timeoutMs: 60_000 });
    assert.equal(ok.exitCode, 0, show(ok));
    assert.deepEqual(record(join(cwd, 'svc')).preset, { source: good, sha256: sha256Hex(BASE_JSON) });

    const wrong = sri('something else');
    const bad = await runCli(['svc2', '--no-git', '--no-lock', '--preset', `${web.url}base.json#${wrong}`], { cwd, env: env(), timeoutMs: 60_000 });
    assert.equal(bad.exitCode, 2, show(bad));
    assert.ok(bad.stderr.includes(`${web.url}base.json`), bad.stderr);
    assert.ok(bad.stderr.includes(`expected ${wrong}`) && bad.stderr.includes(`got ${sri(BASE_JSON)}`), bad.stderr);
    assert.deepEqual(files(cwd).filter((path) => path.startsWith('svc2')), []);
  });

  test('the CA: without the test CA the TLS server is refused; SSL_CERT_FILE trusts it as NODE_EXTRA_CA_CERTS does', async () => {
    const cwd = tempDir();
    const untrusted = await runCli(['svc', '--no-git', '--no-lock', '--preset', `${web.url}base.json`], { cwd, env: env({ NODE_EXTRA_CA_CERTS: '' }), timeoutMs: 60_000 });
    assert.equal(untrusted.exitCode, 2, show(untrusted));
    assert.match(untrusted.stderr, /cannot fetch the preset https:\/\/127\.0\.0\.1:\d+\/base\.json: .*TLS certificate not trusted/);
    const trusted = await runCli(['svc', '--no-git', '--no-lock', '--preset', `${web.url}base.json`], { cwd, env: env({ NODE_EXTRA_CA_CERTS: '', SSL_CERT_FILE: pki.caFile }), timeoutMs: 60_000 });
    assert.equal(trusted.exitCode, 0, show(trusted));
  });

  test('a cycle across URLs is refused naming the chain; a missing package and a missing URL name the source; nothing written', async () => {
    const cwd = tempDir();
    const cycle = await runCli(['svc', '--no-git', '--no-lock', '--preset', `${web.url}loop-a.json`], { cwd, env: env(), timeoutMs: 60_000 });
    assert.equal(cycle.exitCode, 2, show(cycle));
    assert.ok(cycle.stderr.includes(`${web.url}loop-a.json -> ${web.url}loop-b.json -> ${web.url}loop-a.json: extends itself`), cycle.stderr);

    const missing = await runCli(['svc', '--no-git', '--no-lock', '--preset', '@acme/no-such-preset'], { cwd, env: env(), timeoutMs: 90_000 });
    assert.equal(missing.exitCode, 2, show(missing));
    assert.match(missing.stderr, /cannot get the preset package @acme\/no-such-preset: npm pack @acme\/no-such-preset failed: .*404/);

    const gone = await runCli(['svc', '--no-git', '--no-lock', '--preset', `${web.url}gone.json`], { cwd, env: env(), timeoutMs: 60_000 });
    assert.equal(gone.exitCode, 2, show(gone));
    assert.ok(gone.stderr.includes(`cannot fetch the preset ${web.url}gone.json: the server answered 404`), gone.stderr);

    const escaping = await runCli(['svc', '--no-git', '--no-lock', '--preset', 'escaping-preset@1.0.0'], { cwd, env: env(), timeoutMs: 90_000 });
    assert.equal(escaping.exitCode, 2, show(escaping));
    assert.match(escaping.stderr, /"\.\.\/\.\.\/etc\/passwd\.json" leaves the package escaping-preset@1\.0\.0/);
    assert.deepEqual(files(cwd), []);
  });
});

test('bad specs: http://, credentials in the URL, a git spec and a malformed integrity are exit 2 with an example, before any network', async () => {
  const cwd = tempDir();
  const cases: [string, RegExp][] = [
    ['http://presets.example.com/team.json', /plain http: presets are fetched over https only.*Example: --preset https:\/\//],
    ['https://user:secret@presets.example.com/team.json', /holds credentials/],
    ['@acme/hardened-preset@github:acme/preset', /not a version, range or tag/],
    ['https://presets.example.com/team.json#sha256-short', /not an integrity digest/],
    ['ftp://presets.example.com/team.json', /must be https/],
  ];
  for (const [spec, expected] of cases) {
    const result = await runCli(['svc', '--no-git', '--no-lock', '--preset', spec], { cwd, env: cliEnv(binDir()) });
    assert.equal(result.exitCode, 2, `${spec}\n${show(result)}`);
    assert.match(result.stderr, expected, spec);
    assert.doesNotMatch(result.stderr, /secret/);
  }
  assert.deepEqual(files(cwd), []);
});
