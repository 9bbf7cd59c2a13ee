// `pin` against docker-registry with token authentication, the way Docker Hub, GHCR, Harbor or
// GitLab work: the registry answers 401 with a Bearer challenge naming a token endpoint, and
// accepts only JWTs that endpoint signed. The endpoint here is a small implementation of the
// distribution token specification (anonymous pulls of a public repository; Basic credentials or
// an OAuth2 refresh token for a private one); docker-registry verifies every token it issues.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createPrivateKey, randomUUID, sign, X509Certificate } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { assertBuilt, binDir, cliEnv, runCli, show, tempDir, type RunResult } from '../helpers/cli.ts';
import { makePki, Pusher, registryMissing, startRegistry, type Pki, type Registry } from './pin-registry.ts';

const skip = registryMissing();
const SERVICE = 'pin-test-registry';
const ISSUER = 'pin-test-issuer';
const USER = 'robot';
const PASSWORD = 'token-endpoint-password-7';
const REFRESH = 'refresh-token-for-robot-9';
let pki: Pki;
let registry: Registry;
let tokenServer: Server;
let signer: { key: ReturnType<typeof createPrivateKey>; der: string };
const digests = { public: '', private: '' };
/** What the token endpoint was asked: method, grant, whether Basic credentials came, scope. */
const asked: Array<{ method: string; grant: string; basic: boolean; scope: string }> = [];
const outputs: RunResult[] = [];

interface Access {
  type: 'repository';
  name: string;
  actions: string[];
}

/** A JWT the registry accepts: RS256, the signing certificate in x5c, issuer and audience as configured. */
function token(subject: string, access: Access[]): string {
  const b64 = (value: string | Buffer) => Buffer.from(value).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const header = b64(JSON.stringify({ typ: 'JWT', alg: 'RS256', x5c: [signer.der] }));
  const claims = b64(JSON.stringify({ iss: ISSUER, sub: subject, aud: SERVICE, exp: now + 300, nbf: now - 10, iat: now, jti: randomUUID(), access }));
  return `${header}.${claims}.${b64(sign('sha256', Buffer.from(`${header}.${claims}`), signer.key))}`;
}

/** Pull on base/public for anyone; on base/private only for the robot (password or refresh token). */
function grant(scopes: string[], authenticated: boolean): Access[] {
  return scopes.flatMap((scope) => {
    const [type, name, actions] = scope.split(':');
    if (type !== 'repository' || !name || !actions?.split(',').includes('pull')) return [];
    return name === 'base/public' || (name === 'base/private' && authenticated) ? [{ type: 'repository' as const, name, actions: ['pull'] }] : [];
  });
}

before(async () => {
  assertBuilt();
  if (skip) return;
  const dir = tempDir('chs-pin-token');
  pki = makePki(dir, 'token');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=pin token signer', '-keyout', join(dir, 'signer.key'), '-out', join(dir, 'signer.crt')], { stdio: 'ignore' });
  signer = { key: createPrivateKey(readFileSync(join(dir, 'signer.key'))), der: new X509Certificate(readFileSync(join(dir, 'signer.crt'))).raw.toString('base64') };

  tokenServer = createServer({ key: readFileSync(pki.keyFile), cert: readFileSync(pki.certFile) }, (req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const url = new URL(req.url!, 'https://x');
      const form = new URLSearchParams(req.method === 'POST' ? body : '');
      const params = req.method === 'POST' ? form : url.searchParams;
      const basic = req.headers.authorization?.startsWith('Basic ') ?? false;
      asked.push({ method: req.method!, grant: form.get('grant_type') ?? '', basic, scope: params.getAll('scope').join(' ') });
      let authenticated = false;
      if (req.method === 'POST') {
        if (form.get('grant_type') !== 'refresh_token' || form.get('refresh_token') !== REFRESH) return res.writeHead(401).end('{"error":"invalid_grant"}');
        authenticated = true;
      } else if (basic) {
        const [user, password] = Buffer.from(req.headers.authorization!.slice(6), 'base64').toString().split(/:(.*)/s);
        if (user !== USER || password !== PASSWORD) return res.writeHead(401).end('{"details":"incorrect username or password"}');
        authenticated = true;
      }
      if (params.get('service') !== SERVICE) return res.writeHead(400).end();
      const issued = token(authenticated ? USER : 'anonymous', grant(params.getAll('scope').flatMap((s) => s.split(' ')), authenticated));
      res.setHeader('content-type', 'application/json');
      // Docker Hub sends both names; the OAuth2 form uses access_token.
      res.end(JSON.stringify(req.method === 'POST' ? { access_token: issued, expires_in: 300 } : { token: issued, access_token: issued, expires_in: 300 }));
    });
  });
  await new Promise<void>((resolve) => tokenServer.listen(0, '127.0.0.1', resolve));
  const realm = `https://127.0.0.1:${(tokenServer.address() as AddressInfo).port}/token`;
  registry = await startRegistry({ dir, pki, auth: `{token: {realm: "${realm}", service: "${SERVICE}", issuer: "${ISSUER}", rootcertbundle: "${join(dir, 'signer.crt')}"}}` });
  const push = (name: string): Access => ({ type: 'repository', name, actions: ['pull', 'push'] });
  const pusher = new Pusher(registry.host, pki.ca, `Bearer ${token('pusher', [push('base/public'), push('base/private')])}`);
  digests.public = await pusher.index('base/public', '1', 'public');
  digests.private = await pusher.image('base/private', '1', 'private');
});

after(async () => {
  await registry?.stop();
  tokenServer?.close();
});

async function pin(text: string, config?: object): Promise<{ result: RunResult; dir: string }> {
  const dir = tempDir('chs-pin-token');
  writeFileSync(join(dir, 'Dockerfile'), text);
  const dockerConfig = join(dir, '.docker');
  mkdirSync(dockerConfig);
  if (config) writeFileSync(join(dockerConfig, 'config.json'), JSON.stringify(config));
  const result = await runCli(['pin'], { cwd: dir, env: cliEnv(binDir(), { NODE_EXTRA_CA_CERTS: pki.caFile, DOCKER_CONFIG: dockerConfig }) });
  outputs.push(result);
  return { result, dir };
}

test('a public repository: an anonymous token from the realm the challenge names', { skip }, async () => {
  asked.length = 0;
  const { result, dir } = await pin(`FROM ${registry.host}/base/public:1\n`);
  assert.equal(result.exitCode, 0, show(result));
  assert.equal(readFileSync(join(dir, 'Dockerfile'), 'utf8'), `FROM ${registry.host}/base/public:1@${digests.public}\n`);
  assert.deepEqual(asked, [{ method: 'GET', grant: '', basic: false, scope: 'repository:base/public:pull' }]);
});

test('a private repository without credentials: the anonymous token is refused, with a clear error', { skip }, async () => {
  const { result } = await pin(`FROM ${registry.host}/base/private:1\n`);
  assert.equal(result.exitCode, 1, show(result));
  assert.match(result.stderr, new RegExp(`${registry.host} wants credentials for base/private \\(401\\), and no credentials were found in .*config\\.json \\(does not exist\\): run podman login ${registry.host} or docker login ${registry.host}`), show(result));
});

test('a private repository with a user and password: Basic credentials go to the token endpoint, the token to the registry', { skip }, async () => {
  asked.length = 0;
  const auth = Buffer.from(`${USER}:${PASSWORD}`).toString('base64');
  const { result, dir } = await pin(`FROM ${registry.host}/base/private:1 AS a\nFROM ${registry.host}/base/public:1\n`, { auths: { [registry.host]: { auth } } });
  assert.equal(result.exitCode, 0, show(result));
  assert.equal(readFileSync(join(dir, 'Dockerfile'), 'utf8'), `FROM ${registry.host}/base/private:1@${digests.private} AS a\nFROM ${registry.host}/base/public:1@${digests.public}\n`);
  assert.ok(asked.length === 2 && asked.every((a) => a.method === 'GET' && a.basic), JSON.stringify(asked));

  const wrong = await pin(`FROM ${registry.host}/base/private:1\n`, { auths: { [registry.host]: { username: USER, password: 'not-it' } } });
  assert.equal(wrong.result.exitCode, 1, show(wrong.result));
  assert.match(wrong.result.stderr, new RegExp(`127\\.0\\.0\\.1:\\d+ refused the credentials from auths "${registry.host}" in .*config\\.json \\(401\\)`), show(wrong.result));
});

test('an identity token (docker login with a token service): exchanged as an OAuth2 refresh token', { skip }, async () => {
  asked.length = 0;
  const { result, dir } = await pin(`FROM ${registry.host}/base/private:1\n`, { auths: { [registry.host]: { identitytoken: REFRESH } } });
  assert.equal(result.exitCode, 0, show(result));
  assert.equal(readFileSync(join(dir, 'Dockerfile'), 'utf8'), `FROM ${registry.host}/base/private:1@${digests.private}\n`);
  assert.deepEqual(asked, [{ method: 'POST', grant: 'refresh_token', basic: false, scope: 'repository:base/private:pull' }]);
});

test('no password or token reaches the output', { skip }, () => {
  for (const result of outputs) {
    for (const secret of [PASSWORD, REFRESH, Buffer.from(`${USER}:${PASSWORD}`).toString('base64')]) {
      assert.ok(!result.stdout.includes(secret) && !result.stderr.includes(secret), `a secret was printed:\n${show(result)}`);
    }
    assert.doesNotMatch(result.stdout + result.stderr, /eyJ[\w-]{10,}\./, 'no JWT printed');
  }
});
