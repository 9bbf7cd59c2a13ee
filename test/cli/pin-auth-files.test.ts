// `pin` reads the logins podman and docker write, in containers-auth.json(5)'s order (issue 13),
// against docker-registry behind htpasswd over TLS; the auth.json files are written by a real
// `podman login`. Each user's password is known to one file only, so the file that served shows.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { assertBuilt, binDir, cliEnv, realTool, runCli, show, tempDir, type RunResult } from '../helpers/cli.ts';
import { makePki, Pusher, registryMissing, startRegistry, type Pki, type Registry } from './pin-registry.ts';

const skip = registryMissing(['docker-registry', 'openssl', 'htpasswd']);
const skipPodman = skip || (realTool('podman') ? false : 'podman not installed (apt-get install podman)');
const USERS = { podman: 'podman-pass-7', docker: 'docker-pass-8', team: 'team-pass-9' } as const;
let pki: Pki;
let certDir: string;
let registry: Registry;
let digest = '';
const outputs: RunResult[] = [];

before(async () => {
  assertBuilt();
  if (skip) return;
  const dir = tempDir('chs-pin-files');
  pki = makePki(dir, 'files');
  // podman trusts a registry's CA from a directory holding ca.crt.
  certDir = join(dir, 'certs');
  mkdirSync(certDir);
  copyFileSync(pki.caFile, join(certDir, 'ca.crt'));
  const htpasswd = join(dir, 'htpasswd');
  writeFileSync(htpasswd, Object.entries(USERS).map(([user, password]) => execFileSync('htpasswd', ['-Bbn', user, password]).toString()).join(''));
  registry = await startRegistry({ dir, pki, auth: `{htpasswd: {realm: "pin files", path: "${htpasswd}"}}` });
  const pusher = new Pusher(registry.host, pki.ca, `Basic ${Buffer.from(`podman:${USERS.podman}`).toString('base64')}`);
  digest = await pusher.index('base/secure', '1.0', 'secure');
});

after(async () => {
  await registry?.stop();
});

/** A home of its own: HOME, XDG_RUNTIME_DIR and XDG_CONFIG_HOME inside it. */
function home(): { env: Record<string, string>; path: (relative: string) => string } {
  const root = tempDir('chs-pin-home');
  const env = { HOME: root, XDG_RUNTIME_DIR: join(root, 'run'), XDG_CONFIG_HOME: join(root, 'config') };
  mkdirSync(env.XDG_RUNTIME_DIR);
  return { env, path: (relative) => join(root, relative) };
}

/** `podman login` as `user` to `target` (host, or host/namespace), writing where podman writes for `env`. */
function podmanLogin(env: Record<string, string>, target: string, user: keyof typeof USERS, args: string[] = []): void {
  const password = USERS[user];
  const result = spawnSync('podman', ['login', '--cert-dir', certDir, '-u', user, '--password-stdin', ...args, target], {
    input: password,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, ...env },
    timeout: 30_000,
  });
  assert.equal(result.status, 0, `podman login ${target}: ${result.stderr}`);
}

function writeJson(path: string, value: object): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, JSON.stringify(value));
}

async function pin(env: Record<string, string>): Promise<{ result: RunResult; pinned: boolean }> {
  const dir = tempDir('chs-pin-files');
  writeFileSync(join(dir, 'Dockerfile'), `FROM ${registry.host}/base/secure:1.0\n`);
  const result = await runCli(['pin'], { cwd: dir, env: cliEnv(binDir(), { NODE_EXTRA_CA_CERTS: pki.caFile, ...env }) });
  outputs.push(result);
  return { result, pinned: readFileSync(join(dir, 'Dockerfile'), 'utf8') === `FROM ${registry.host}/base/secure:1.0@${digest}\n` };
}

const basic = (user: string, password: string) => ({ auth: Buffer.from(`${user}:${password}`).toString('base64') });

test('podman login: its auth.json serves before Docker\'s config.json, and the note names it', { skip: skipPodman }, async () => {
  const h = home();
  podmanLogin(h.env, registry.host, 'podman');
  const authJson = h.path('run/containers/auth.json');
  assert.ok(existsSync(authJson), 'podman wrote $XDG_RUNTIME_DIR/containers/auth.json');
  // A Docker login with a password that no longer works: never used, since podman's file comes first.
  writeJson(h.path('.docker/config.json'), { auths: { [registry.host]: basic('docker', 'stale') } });
  const { result, pinned } = await pin(h.env);
  assert.equal(result.exitCode, 0, show(result));
  assert.ok(pinned, show(result));
  assert.ok(result.stderr.includes(`note credentials for ${registry.host}/base/secure: auths "${registry.host}" in ${authJson}`), show(result));
});

test('podman login to the repository and to the host: the most specific key serves', { skip: skipPodman }, async () => {
  const h = home();
  // podman checks each login, so both work: the note says which key served (both keys in one file).
  podmanLogin(h.env, registry.host, 'docker');
  podmanLogin(h.env, `${registry.host}/base/secure`, 'team');
  const keys = Object.keys(JSON.parse(readFileSync(h.path('run/containers/auth.json'), 'utf8')).auths);
  assert.deepEqual(keys.sort(), [registry.host, `${registry.host}/base/secure`].sort(), 'both logins are in the file');
  const { result, pinned } = await pin(h.env);
  assert.equal(result.exitCode, 0, show(result));
  assert.ok(pinned);
  assert.ok(result.stderr.includes(`note credentials for ${registry.host}/base/secure: auths "${registry.host}/base/secure" in ${h.path('run/containers/auth.json')}`), show(result));
});

test('REGISTRY_AUTH_FILE: podman login --authfile writes it, and pin reads that file only', { skip: skipPodman }, async () => {
  const h = home();
  const teamFile = h.path('team-auth.json');
  podmanLogin(h.env, `${registry.host}/base`, 'team', ['--authfile', teamFile]);
  // A working login in the default place is not read when REGISTRY_AUTH_FILE names another file.
  podmanLogin(h.env, registry.host, 'podman');
  const only = await pin({ ...h.env, REGISTRY_AUTH_FILE: teamFile });
  assert.equal(only.result.exitCode, 0, show(only.result));
  assert.ok(only.result.stderr.includes(`auths "${registry.host}/base" in ${teamFile}`), show(only.result));
  const elsewhere = await pin({ ...h.env, REGISTRY_AUTH_FILE: h.path('none.json') });
  assert.equal(elsewhere.result.exitCode, 1, show(elsewhere.result));
  assert.ok(elsewhere.result.stderr.includes(`no credentials were found in ${h.path('none.json')} (does not exist): run podman login`), show(elsewhere.result));
});

test('empty entries are passed over to the next file; .dockercfg is read last', { skip }, async () => {
  const h = home();
  writeJson(h.path('run/containers/auth.json'), { auths: { [registry.host]: {} } });
  writeJson(h.path('config/containers/auth.json'), { auths: { [`${registry.host}/base`]: { auth: '' } } });
  writeJson(h.path('.dockercfg'), { [`https://${registry.host}`]: { ...basic('docker', USERS.docker), email: 'ci@example.com' } });
  const { result, pinned } = await pin(h.env);
  assert.equal(result.exitCode, 0, show(result));
  assert.ok(pinned);
  assert.ok(result.stderr.includes(`in ${h.path('.dockercfg')}`), show(result));
});

test('DOCKER_CONFIG: only its config.json, whatever podman wrote', { skip: skipPodman }, async () => {
  const h = home();
  podmanLogin(h.env, registry.host, 'podman');
  writeJson(h.path('dc/config.json'), { auths: { [registry.host]: basic('docker', USERS.docker) } });
  const { result, pinned } = await pin({ ...h.env, DOCKER_CONFIG: h.path('dc') });
  assert.equal(result.exitCode, 0, show(result));
  assert.ok(pinned);
  assert.ok(result.stderr.includes(`auths "${registry.host}" in ${h.path('dc/config.json')}`), show(result));
});

test('none found: every file looked in, why each did not serve, and podman login or docker login', { skip }, async () => {
  const h = home();
  writeJson(h.path('config/containers/auth.json'), { auths: { 'other.example.com': basic('x', 'y') } });
  writeJson(h.path('.docker/config.json'), { auths: { [registry.host]: {} } });
  const { result, pinned } = await pin(h.env);
  assert.equal(result.exitCode, 1, show(result));
  assert.ok(!pinned);
  const listed =
    `no credentials were found in ${h.path('run/containers/auth.json')} (does not exist), ` +
    `${h.path('config/containers/auth.json')} (no entry for ${registry.host}/base/secure or a namespace of it), ` +
    `${h.path('.docker/config.json')} ("${registry.host}" is empty), ${h.path('.dockercfg')} (does not exist): ` +
    `run podman login ${registry.host} or docker login ${registry.host}`;
  assert.ok(result.stderr.includes(listed), show(result));
});

test('no credential ever reaches the output', { skip }, () => {
  assert.ok(outputs.length >= 2, `${outputs.length} runs`);
  for (const result of outputs) {
    for (const password of Object.values(USERS)) assert.ok(!result.stdout.includes(password) && !result.stderr.includes(password), `a secret was printed:\n${show(result)}`);
  }
});
