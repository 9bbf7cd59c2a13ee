// `pin` against docker-registry behind htpasswd (Basic) authentication: credentials from the Docker
// config file's `auths`, from a credential helper (`credHelpers`, `credsStore`), and the errors
// when they are missing or wrong. No credential may ever reach the output.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { assertBuilt, binDir, cliEnv, runCli, show, tempDir, type BinOptions, type RunResult } from '../helpers/cli.ts';
import { makePki, Pusher, registryMissing, startRegistry, type Pki, type Registry } from './pin-registry.ts';

const skip = registryMissing(['docker-registry', 'openssl', 'htpasswd']);
const USER = 'ci-reader';
const PASSWORD = 'S3cret-pin-password';
const HELPER_PASSWORD = 'helper-only-secret-42';
let pki: Pki;
let registry: Registry;
let digest = '';
const wizardDigests = { builder: '', runtime: '', frontend: '' };
/** Every run's output, checked at the end for anything secret. */
const outputs: RunResult[] = [];

before(async () => {
  assertBuilt();
  if (skip) return;
  const dir = tempDir('chs-pin-auth');
  pki = makePki(dir, 'auth');
  // bcrypt, the only hash docker-registry's htpasswd accepts; two users, one only the helper knows.
  const htpasswd = join(dir, 'htpasswd');
  writeFileSync(htpasswd, execFileSync('htpasswd', ['-Bbn', USER, PASSWORD]).toString() + execFileSync('htpasswd', ['-Bbn', 'helper-user', HELPER_PASSWORD]).toString());
  registry = await startRegistry({ dir, pki, auth: `{htpasswd: {realm: "pin test", path: "${htpasswd}"}}` });
  const pusher = new Pusher(registry.host, pki.ca, `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`);
  digest = await pusher.index('base/secure', '1.0', 'secure');
  wizardDigests.builder = await pusher.index('base/python', '3.13-slim-trixie', 'builder');
  wizardDigests.runtime = await pusher.image('base/distroless/python3-debian13', 'nonroot', 'runtime');
  // With --registry the wizard pins the mirrored Dockerfile frontend too.
  wizardDigests.frontend = await pusher.image('base/docker/dockerfile', '1', 'frontend');
});

after(async () => {
  await registry?.stop();
});

/** Run pin in a fresh project with DOCKER_CONFIG holding `config` (none when undefined). */
async function pin(config: object | undefined, bin: BinOptions = {}, args: string[] = []): Promise<{ result: RunResult; dir: string; text: string }> {
  const dir = tempDir('chs-pin-auth');
  const text = `FROM ${registry.host}/base/secure:1.0 AS app\n`;
  writeFileSync(join(dir, 'Dockerfile'), text);
  const dockerConfig = join(dir, '.docker-config');
  mkdirSync(dockerConfig);
  if (config) writeFileSync(join(dockerConfig, 'config.json'), JSON.stringify(config));
  const result = await runCli(['pin', ...args], { cwd: dir, env: cliEnv(binDir(bin), { NODE_EXTRA_CA_CERTS: pki.caFile, DOCKER_CONFIG: dockerConfig }) });
  outputs.push(result);
  return { result, dir, text };
}

const pinnedText = () => `FROM ${registry.host}/base/secure:1.0@${digest} AS app\n`;

/** A docker-credential-test that logs how it was called and answers for the registry's host only. */
function helper(log: string, answer: { Username: string; Secret: string } | 'none'): string {
  return `
const fs = require('node:fs');
const stdin = fs.readFileSync(0, 'utf8');
const parent = fs.readFileSync('/proc/' + process.ppid + '/cmdline', 'utf8').split('\\0')[0];
fs.appendFileSync(${JSON.stringify(log)}, JSON.stringify({ argv: process.argv.slice(2), stdin, parent }) + '\\n');
const answer = ${JSON.stringify(answer)};
if (answer === 'none' || stdin !== ${JSON.stringify(registry.host)}) {
  process.stdout.write('credentials not found in native keychain\\n');
  process.exit(1);
}
process.stdout.write(JSON.stringify({ ServerURL: stdin, ...answer }));`;
}

test('without credentials: a clear error naming the registry, where credentials were looked for, and podman or docker login', { skip }, async () => {
  const { result, dir, text } = await pin(undefined);
  assert.equal(result.exitCode, 1, show(result));
  assert.match(
    result.stderr,
    new RegExp(
      `${registry.host} wants a user name and password for base/secure, and no credentials were found in .*\\.docker-config/config\\.json \\(does not exist\\): ` +
        `run podman login ${registry.host} or docker login ${registry.host}`,
    ),
    show(result),
  );
  assert.equal(readFileSync(join(dir, 'Dockerfile'), 'utf8'), text);
});

test('credentials from auths: base64 `auth`, or username and password, under any spelling of the host key', { skip }, async () => {
  const auth = Buffer.from(`${USER}:${PASSWORD}`).toString('base64');
  for (const config of [
    { auths: { [registry.host]: { auth } } },
    { auths: { [`https://${registry.host}/v1/`]: { username: USER, password: PASSWORD } } },
  ]) {
    const { result, dir } = await pin(config);
    assert.equal(result.exitCode, 0, show(result));
    assert.equal(readFileSync(join(dir, 'Dockerfile'), 'utf8'), pinnedText());
    // A note names the file the credential came from.
    assert.match(result.stderr, new RegExp(`note credentials for ${registry.host}/base/secure: auths "[^"]+" in .*\\.docker-config/config\\.json`), show(result));
  }
  const check = await pin({ auths: { [registry.host]: { auth } } }, {}, ['--check']);
  assert.equal(check.result.exitCode, 1, 'the fresh Dockerfile is unpinned');
  assert.match(check.result.stdout, /not pinned to a digest/);
});

test('wrong credentials: a clear error naming where they came from, never the credentials; nothing written', { skip }, async () => {
  const { result, dir, text } = await pin({ auths: { [registry.host]: { auth: Buffer.from(`${USER}:wrong-${PASSWORD}`).toString('base64') } } });
  assert.equal(result.exitCode, 1, show(result));
  assert.match(result.stderr, new RegExp(`${registry.host} refused access to base/secure \\(401\\) with the credentials from auths "${registry.host}" in .*config\\.json`), show(result));
  assert.equal(readFileSync(join(dir, 'Dockerfile'), 'utf8'), text);
});

test('credentials from a credential helper (credHelpers, then credsStore): run as `get` with the host on stdin, no shell', { skip }, async () => {
  const log = join(tempDir('chs-pin-helper'), 'calls.jsonl');
  const fakes = { 'docker-credential-test': helper(log, { Username: 'helper-user', Secret: HELPER_PASSWORD }) };
  for (const config of [{ credHelpers: { [registry.host]: 'test' } }, { credsStore: 'test', auths: { [registry.host]: {} } }]) {
    const { result, dir } = await pin(config, { fakes }, []);
    assert.equal(result.exitCode, 0, show(result));
    assert.equal(readFileSync(join(dir, 'Dockerfile'), 'utf8'), pinnedText());
  }
  const calls = readFileSync(log, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { argv: string[]; stdin: string; parent: string });
  assert.equal(calls.length, 2, 'once per run, not once per request');
  for (const call of calls) {
    assert.deepEqual(call.argv, ['get']);
    assert.equal(call.stdin, registry.host);
    assert.equal(call.parent, process.execPath, 'spawned by the CLI itself, not through a shell');
  }
});

test('a helper with nothing stored, or missing from PATH: clear errors', { skip }, async () => {
  const log = join(tempDir('chs-pin-helper'), 'calls.jsonl');
  const empty = await pin({ credHelpers: { [registry.host]: 'test' } }, { fakes: { 'docker-credential-test': helper(log, 'none') } });
  assert.equal(empty.result.exitCode, 1, show(empty.result));
  assert.match(empty.result.stderr, new RegExp(`wants a user name and password for base/secure, and no credentials were found in .*config\\.json \\(docker-credential-test has no credentials for ${registry.host}; no entry for ${registry.host}/base/secure or a namespace of it\\): run podman login`), show(empty.result));

  const missing = await pin({ credsStore: 'missing' });
  assert.equal(missing.result.exitCode, 1, show(missing.result));
  assert.match(missing.result.stderr, /docker-credential-missing is not on PATH \(the Docker config names it as a credential helper\)/, show(missing.result));
});

test("the wizard's digest pinning uses the same client: the Docker config's credentials pin the base images", { skip }, async () => {
  const dir = tempDir('chs-pin-wizard');
  const dockerConfig = join(dir, '.docker');
  mkdirSync(dockerConfig);
  writeFileSync(join(dockerConfig, 'config.json'), JSON.stringify({ auths: { [registry.host]: { auth: Buffer.from(`${USER}:${PASSWORD}`).toString('base64') } } }));
  const args = ['svc', '--yes', '--dry-run', '--registry', `${registry.host}/base`];
  const withConfig = await runCli(args, { cwd: dir, env: cliEnv(binDir(), { NODE_EXTRA_CA_CERTS: pki.caFile, DOCKER_CONFIG: dockerConfig }), timeoutMs: 30_000 });
  outputs.push(withConfig);
  assert.equal(withConfig.exitCode, 0, show(withConfig));
  assert.ok(withConfig.stdout.includes(`${registry.host}/base/python:3.13-slim-trixie@${wizardDigests.builder}`), show(withConfig));
  assert.ok(withConfig.stdout.includes(`${registry.host}/base/distroless/python3-debian13:nonroot@${wizardDigests.runtime}`), show(withConfig));
  assert.ok(withConfig.stdout.includes(`${registry.host}/base/docker/dockerfile:1@${wizardDigests.frontend}`), show(withConfig));
  assert.doesNotMatch(withConfig.stderr, /only tags could be pinned/, show(withConfig));

  const without = await runCli(args, { cwd: dir, env: cliEnv(binDir(), { NODE_EXTRA_CA_CERTS: pki.caFile }), timeoutMs: 30_000 });
  outputs.push(without);
  assert.equal(without.exitCode, 0, show(without));
  assert.match(without.stderr, /only tags could be pinned \(no digest\) for: .*wants a user name and password for base\/python, and no credentials were found in .*\/run\/containers\/auth\.json \(does not exist\), .*\.dockercfg \(does not exist\)/, show(without));
});

test('no credential ever reaches the output', { skip }, () => {
  assert.ok(outputs.length >= 8, `${outputs.length} runs`);
  const secrets = [PASSWORD, HELPER_PASSWORD, Buffer.from(`${USER}:${PASSWORD}`).toString('base64'), Buffer.from(`helper-user:${HELPER_PASSWORD}`).toString('base64')];
  for (const result of outputs) {
    for (const secret of secrets) {
      assert.ok(!result.stdout.includes(secret) && !result.stderr.includes(secret), `a secret was printed:\n${show(result)}`);
    }
  }
});
