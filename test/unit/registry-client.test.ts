// RegistryClient limits: requests in flight at once, and a deadline that ends them all. A local
// HTTPS server answers HEAD manifests slowly, as a loaded registry would.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { RegistryClient } from '../../src/registry/client.ts';

const dir = mkdtempSync(join(tmpdir(), 'chs-client-'));
let server: Server;
let host = '';
let ca = '';
let inFlight = 0;
let most = 0;

before(async () => {
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert], { stdio: 'ignore' });
  ca = readFileSync(cert, 'utf8');
  server = createServer({ key: readFileSync(key), cert: ca }, (req, res) => {
    inFlight++;
    most = Math.max(most, inFlight);
    const delay = req.url!.includes('/slow/') ? 60_000 : 100;
    const timer = setTimeout(() => {
      inFlight--;
      const n = /\/repo(\d+)\//.exec(req.url!)?.[1] ?? '0';
      res.writeHead(200, { 'docker-content-digest': `sha256:${n.padStart(64, '0')}`, 'content-type': 'application/vnd.oci.image.index.v1+json' }).end();
    }, delay);
    res.on('close', () => clearTimeout(timer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => {
  server.closeAllConnections();
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

test('at most `concurrency` requests are in flight; every answer reaches its own reference', async () => {
  const client = new RegistryClient({ env: {}, ca: [ca], signal: new AbortController().signal, concurrency: 3 });
  const digests = await Promise.all(Array.from({ length: 10 }, (_, i) => client.digest(`${host}/repo${i}/x:1`)));
  assert.deepEqual(digests, Array.from({ length: 10 }, (_, i) => `sha256:${String(i).padStart(64, '0')}`));
  assert.equal(most, 3);
});

test('the signal ends requests still waiting and those queued behind them', async () => {
  const client = new RegistryClient({ env: {}, ca: [ca], signal: AbortSignal.timeout(300), concurrency: 1 });
  const start = Date.now();
  const results = await Promise.allSettled([client.digest(`${host}/slow/a:1`), client.digest(`${host}/slow/b:1`)]);
  assert.ok(Date.now() - start < 5000, `${Date.now() - start} ms`);
  for (const result of results) {
    assert.equal(result.status, 'rejected');
    assert.match(String((result as PromiseRejectedResult).reason), /did not answer in time/);
  }
});
