// Which files `pin` reads registry credentials from, in which order, and which key in them serves a
// repository (issue 13): containers-auth.json(5), as podman and skopeo read them, then Docker's files.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { authFiles, findCredentials, lookupKeys, matchAuths, normalizeKey, type AuthFile } from '../../src/registry/auth-files.ts';
import type { AuthEntry, Secret } from '../../src/registry/docker-config.ts';
import { RegistryError } from '../../src/registry/errors.ts';
import { locateImage, type ImageLocation } from '../../src/registry/reference.ts';

const dir = mkdtempSync(join(tmpdir(), 'chs-auth-files-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const basic = (username: string, password = 'pw'): AuthEntry => ({ auth: Buffer.from(`${username}:${password}`).toString('base64') });
const user = (found: { secret?: Secret }) => (found.secret?.kind === 'basic' ? found.secret.username : undefined);
const at = (reference: string) => locateImage(reference) as ImageLocation;
const noHelper = async () => undefined;

test('the order per environment: runtime auth.json, config auth.json, Docker config.json, .dockercfg', () => {
  assert.deepEqual(authFiles({ HOME: '/home/u', XDG_RUNTIME_DIR: '/run/user/1000' }, 1000), [
    { path: '/run/user/1000/containers/auth.json', format: 'containers' },
    { path: '/home/u/.config/containers/auth.json', format: 'containers' },
    { path: '/home/u/.docker/config.json', format: 'docker' },
    { path: '/home/u/.dockercfg', format: 'dockercfg' },
  ]);
  // No XDG_RUNTIME_DIR: the tools' per-user directory under /run/containers; XDG_CONFIG_HOME moves the second.
  assert.deepEqual(authFiles({ HOME: '/home/u', XDG_CONFIG_HOME: '/cfg' }, 1000).map((f) => f.path), [
    '/run/containers/1000/auth.json',
    '/cfg/containers/auth.json',
    '/home/u/.docker/config.json',
    '/home/u/.dockercfg',
  ]);
});

test('REGISTRY_AUTH_FILE: that file only (before DOCKER_CONFIG); DOCKER_CONFIG: its config.json only, as docker reads it', () => {
  const env = { HOME: '/home/u', XDG_RUNTIME_DIR: '/run/user/0' };
  assert.deepEqual(authFiles({ ...env, REGISTRY_AUTH_FILE: '/etc/team/auth.json' }), [{ path: '/etc/team/auth.json', format: 'containers' }]);
  assert.deepEqual(authFiles({ ...env, DOCKER_CONFIG: '/etc/dc' }), [{ path: '/etc/dc/config.json', format: 'docker' }]);
  assert.deepEqual(authFiles({ ...env, DOCKER_CONFIG: '/etc/dc', REGISTRY_AUTH_FILE: '/a.json' }), [{ path: '/a.json', format: 'containers' }]);
});

test('keys: most specific first; Docker spellings name the host alone; Docker Hub folded', () => {
  assert.deepEqual(lookupKeys('r.example.com:5000', 'team/app/api'), ['r.example.com:5000/team/app/api', 'r.example.com:5000/team/app', 'r.example.com:5000/team', 'r.example.com:5000']);
  assert.equal(normalizeKey('https://index.docker.io/v1/'), 'registry-1.docker.io');
  assert.equal(normalizeKey('docker.io/library'), 'registry-1.docker.io/library');
  assert.equal(normalizeKey('http://r.example.com/v2/'), 'r.example.com', 'a scheme: the legacy form, its path is no namespace');
  assert.equal(normalizeKey('R.example.com/team'), 'r.example.com/team');
});

test('matchAuths: the most specific key wins whatever order the file lists them in', () => {
  // Listed host first: a matcher that takes the first key listed would answer "host-wide".
  const auths = { 'r.example.com': basic('host-wide'), 'r.example.com/team': basic('team'), 'r.example.com/team/app': basic('app') };
  assert.deepEqual(matchAuths(auths, 'r.example.com', 'team/app'), { key: 'r.example.com/team/app', secret: { kind: 'basic', username: 'app', password: 'pw' } });
  assert.equal((matchAuths(auths, 'r.example.com', 'team/other') as { key: string }).key, 'r.example.com/team');
  assert.equal((matchAuths(auths, 'r.example.com', 'teamx/app') as { key: string }).key, 'r.example.com', 'namespaces match whole components');
  assert.deepEqual(matchAuths(auths, 'other.example.com', 'team/app'), { empty: [] });
});

test('matchAuths: empty entries are passed over to the next key, and reported when none serves', () => {
  const auths = { 'r.example.com': basic('host-wide'), 'r.example.com/team/app': {} };
  assert.equal((matchAuths(auths, 'r.example.com', 'team/app') as { key: string }).key, 'r.example.com');
  assert.deepEqual(matchAuths({ 'r.example.com/team': {}, 'https://r.example.com/v1/': { auth: '' } }, 'r.example.com', 'team/app'), {
    empty: ['r.example.com/team', 'https://r.example.com/v1/'],
  });
  assert.equal((matchAuths({ 'docker.io': basic('hub') }, 'registry-1.docker.io', 'library/python') as { key: string }).key, 'docker.io');
});

/** Files in a fresh directory: name -> content (an object is written as JSON). */
function files(contents: Record<string, object | string>): (name: string, format: AuthFile['format']) => AuthFile {
  const root = mkdtempSync(join(dir, 'case-'));
  for (const [name, content] of Object.entries(contents)) {
    mkdirSync(join(root, name, '..'), { recursive: true });
    writeFileSync(join(root, name), typeof content === 'string' ? content : JSON.stringify(content));
  }
  return (name, format) => ({ path: join(root, name), format });
}

test('findCredentials: the first file holding a credential for the repository serves, and says which', async () => {
  const f = files({
    'run/auth.json': { auths: { 'r.example.com/other': basic('other') } },
    'config/auth.json': { auths: { 'r.example.com/team': basic('podman') } },
    'docker/config.json': { auths: { 'r.example.com/team/app': basic('docker') } },
  });
  const order = [f('missing/auth.json', 'containers'), f('run/auth.json', 'containers'), f('config/auth.json', 'containers'), f('docker/config.json', 'docker')];
  const found = await findCredentials(at('r.example.com/team/app:1'), order, noHelper);
  assert.equal(user(found), 'podman', 'an earlier file wins over a more specific key in a later one');
  assert.equal(found.file, order[2]!.path);
  assert.equal(found.who, `auths "r.example.com/team" in ${order[2]!.path}`);
});

test('findCredentials: a file with only empty entries is passed over; credsStore counts only in Docker\'s file', async () => {
  const f = files({
    'auth.json': { auths: { 'r.example.com': {} }, credsStore: 'never-run' },
    'config.json': { auths: { 'r.example.com': basic('docker') } },
  });
  const ran: string[] = [];
  const helper = async (name: string) => (ran.push(name), undefined);
  const found = await findCredentials(at('r.example.com/app:1'), [f('auth.json', 'containers'), f('config.json', 'docker')], helper);
  assert.equal(user(found), 'docker');
  assert.deepEqual(ran, [], "auth.json's credsStore is not Docker's");
});

test('findCredentials: credHelpers in any file, credsStore in Docker\'s, each asked for the host\'s key', async () => {
  const f = files({ 'auth.json': { credHelpers: { 'r.example.com': 'pass' } }, 'config.json': { credsStore: 'desktop' } });
  const asked: string[] = [];
  const helper = async (name: string, address: string): Promise<Secret | undefined> => {
    asked.push(`${name} ${address}`);
    return name === 'desktop' ? { kind: 'basic', username: 'from-store', password: 'x' } : undefined;
  };
  const found = await findCredentials(at('r.example.com/app:1'), [f('auth.json', 'containers'), f('config.json', 'docker')], helper);
  assert.deepEqual(asked, ['pass r.example.com', 'desktop r.example.com']);
  assert.equal(user(found), 'from-store');
  assert.match(found.who, /^credential helper docker-credential-desktop \(.*config\.json\)$/);
});

test('findCredentials: the legacy .dockercfg keeps its entries at the top level', async () => {
  const f = files({ '.dockercfg': { 'https://r.example.com': { ...basic('legacy'), email: 'a@example.com' } } });
  assert.equal(user(await findCredentials(at('r.example.com/app:1'), [f('.dockercfg', 'dockercfg')], noHelper)), 'legacy');
});

test('findCredentials: none found: every file looked in and why it did not serve', async () => {
  const f = files({
    'auth.json': { auths: { 'r.example.com/app': {} } },
    'config.json': { auths: { 'other.example.com': basic('x') }, credHelpers: { 'r.example.com': 'pass' } },
  });
  const order = [f('none.json', 'containers'), f('auth.json', 'containers'), f('config.json', 'docker')];
  const found = await findCredentials(at('r.example.com/app:1'), order, noHelper);
  assert.equal(found.secret, undefined);
  assert.equal(
    found.who,
    `no credentials were found in ${order[0]!.path} (does not exist), ${order[1]!.path} ("r.example.com/app" is empty), ` +
      `${order[2]!.path} (docker-credential-pass has no credentials for r.example.com; no entry for r.example.com/app or a namespace of it)`,
  );
});

test('findCredentials: a malformed file is an error naming it, as for podman', async () => {
  const f = files({ 'auth.json': '{ not json' });
  await assert.rejects(findCredentials(at('r.example.com/app:1'), [f('auth.json', 'containers')], noHelper), (e: unknown) => e instanceof RegistryError && /auth\.json is not valid JSON/.test(e.message));
});
