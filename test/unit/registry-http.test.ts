// The bounds of one registry exchange, over real sockets to a local HTTPS server: redirects only to
// https and without credentials once they leave the host, a cap on the body, a time-out.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { RegistryError } from '../../src/registry/errors.ts';
import { send, type Transport } from '../../src/registry/http.ts';

const dir = mkdtempSync(join(tmpdir(), 'chs-http-'));
let server: Server;
let port = 0;
let ca = '';
const seen: Array<{ url: string; host: string; authorization?: string }> = [];

before(async () => {
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', key, '-out', cert], { stdio: 'ignore' });
  ca = readFileSync(cert, 'utf8');
  server = createServer({ key: readFileSync(key), cert: ca }, (req, res) => {
    seen.push({ url: req.url!, host: req.headers.host!, authorization: req.headers.authorization });
    if (req.url === '/to-http') return res.writeHead(302, { location: `http://127.0.0.1:${port}/plain` }).end();
    if (req.url === '/to-other-host') return res.writeHead(307, { location: `https://localhost:${port}/landed` }).end();
    if (req.url === '/same-host') return res.writeHead(301, { location: '/landed' }).end();
    if (req.url === '/loop') return res.writeHead(302, { location: '/loop' }).end();
    if (req.url === '/big') return res.end(Buffer.alloc(100_000, 'x'));
    if (req.url === '/silent') return; // never answers
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

after(() => {
  server.closeAllConnections();
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

const transport = (timeoutMs = 5000): Transport => ({ ca: [ca], signal: new AbortController().signal, timeoutMs });
const get = (path: string, t = transport(), maxBytes = 10_000) =>
  send({ method: 'GET', url: new URL(`https://127.0.0.1:${port}${path}`), headers: { Authorization: 'Basic c2VjcmV0' }, maxBytes }, t);

test('a redirect to plain http is refused, not followed', async () => {
  await assert.rejects(get('/to-http'), (e: unknown) => e instanceof RegistryError && e.kind === 'tls' && /refusing http:\/\/127\.0\.0\.1/.test(e.message));
  assert.ok(!seen.some((s) => s.url === '/plain'));
});

test('credentials follow a redirect on the same host only', async () => {
  seen.length = 0;
  assert.equal((await get('/same-host')).body.toString(), 'ok');
  assert.equal(seen.at(-1)!.authorization, 'Basic c2VjcmV0');
  seen.length = 0;
  const answer = await get('/to-other-host');
  assert.equal(answer.body.toString(), 'ok');
  assert.equal(answer.url.host, `localhost:${port}`);
  assert.deepEqual(seen.at(-1), { url: '/landed', host: `localhost:${port}`, authorization: undefined });
});

test('redirects are bounded', async () => {
  await assert.rejects(get('/loop'), /more than 5 redirects/);
});

test('a body over the cap is refused', async () => {
  await assert.rejects(get('/big'), (e: unknown) => e instanceof RegistryError && e.kind === 'protocol' && /more than 10000 bytes/.test(e.message));
  assert.equal((await get('/big', transport(), 200_000)).body.length, 100_000);
});

test('a server that never answers times out', async () => {
  const start = Date.now();
  await assert.rejects(get('/silent', transport(300)), (e: unknown) => e instanceof RegistryError && e.kind === 'timeout' && /did not answer in time/.test(e.message));
  assert.ok(Date.now() - start < 3000);
});

test('without the CA the certificate is not trusted, and the error says how to trust it', async () => {
  await assert.rejects(
    send({ method: 'GET', url: new URL(`https://127.0.0.1:${port}/`), headers: {}, maxBytes: 100 }, { signal: new AbortController().signal, timeoutMs: 5000 }),
    (e: unknown) => e instanceof RegistryError && e.kind === 'tls' && /DEPTH_ZERO_SELF_SIGNED_CERT.*NODE_EXTRA_CA_CERTS/.test(e.message),
  );
});
