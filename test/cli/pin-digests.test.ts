// Digest pinning against a registry that answers: a local HTTPS server speaking the part of the
// registry HTTP API v2 the CLI uses (HEAD manifests, with and without a bearer challenge), trusted
// through NODE_EXTRA_CA_CERTS the way a company CA is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { assertBuilt, binDir, cliEnv, runCli, show, tempDir } from '../helpers/cli.ts';

assertBuilt();

const DIGESTS: Record<string, string> = {
  '/v2/base/python/manifests/3.13-slim-trixie': `sha256:${'a'.repeat(64)}`,
  '/v2/base/distroless/python3-debian13/manifests/nonroot': `sha256:${'b'.repeat(64)}`,
  '/v2/base/ca-bundle/manifests/20220405': `sha256:${'c'.repeat(64)}`,
  '/v2/base/docker/dockerfile/manifests/1': `sha256:${'d'.repeat(64)}`,
};

function certificate(dir: string): { key: string; cert: string; file: string } {
  const key = join(dir, 'key.pem');
  const file = join(dir, 'cert.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', key, '-out', file,
  ], { stdio: 'ignore' });
  return { key: readFileSync(key, 'utf8'), cert: readFileSync(file, 'utf8'), file };
}

interface DigestServer {
  port: number;
  /** Each request as `METHOD url authorization`. */
  seen: string[];
  close(): void;
}

/**
 * A registry on 127.0.0.1 answering DIGESTS for manifests (404 otherwise), over TLS with `tls`.
 * With `bearer`, a request without the token gets a Bearer challenge naming its /token endpoint,
 * and only an OCI-index-accepting HEAD is answered, as the CLI asks.
 */
async function digestServer(tls: { key: string; cert: string }, bearer = false): Promise<DigestServer> {
  const seen: string[] = [];
  const server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    seen.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
    const digest = DIGESTS[req.url ?? ''];
    if (!bearer) {
      res.writeHead(digest ? 200 : 404, digest ? { 'docker-content-digest': digest } : {});
      return res.end();
    }
    if (req.url?.startsWith('/token')) {
      res.setHeader('content-type', 'application/json');
      return res.end(JSON.stringify({ token: 'anon-token' }));
    }
    if (req.headers.authorization !== 'Bearer anon-token') {
      res.writeHead(401, { 'www-authenticate': `Bearer realm="https://127.0.0.1:${port}/token",service="test",scope="repository:x:pull"` });
      return res.end();
    }
    if (!digest || req.method !== 'HEAD' || !String(req.headers.accept).includes('application/vnd.oci.image.index.v1+json')) {
      res.writeHead(404);
      return res.end();
    }
    res.writeHead(200, { 'docker-content-digest': digest });
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { port, seen, close: () => server.close() };
}

test('base, CA-bundle and frontend images are pinned to the digests the registry reports', async () => {
  const dir = tempDir('chs-pin');
  const tls = certificate(dir);
  const server = await digestServer(tls, true);
  const port = server.port;
  try {
    const registry = `127.0.0.1:${port}/base`;
    const result = await runCli(
      ['svc', '--yes', '--dry-run', '--registry', registry, '--cert-bundle', `${registry}/ca-bundle:20220405`],
      { cwd: dir, env: cliEnv(binDir(), { NODE_EXTRA_CA_CERTS: tls.file }), timeoutMs: 30_000 },
    );
    assert.equal(result.exitCode, 0, show(result));
    assert.match(result.stdout, new RegExp(`${registry}/python:3.13-slim-trixie@sha256:a{64}`), show(result));
    assert.match(result.stdout, new RegExp(`${registry}/distroless/python3-debian13:nonroot@sha256:b{64}`), show(result));
    assert.match(result.stdout, new RegExp(`${registry}/ca-bundle:20220405@sha256:c{64}`), show(result));
    assert.match(result.stdout, new RegExp(`syntax +${registry}/docker/dockerfile:1@sha256:d{64}`), show(result));
    assert.doesNotMatch(result.stderr, /only tags could be pinned/, show(result));
    assert.ok(server.seen.some((line) => line.startsWith('GET /token')), 'the bearer challenge was answered');
  } finally {
    server.close();
  }
});

test('generated Dockerfile carries the pinned digests', async () => {
  const dir = tempDir('chs-pin');
  const tls = certificate(dir);
  const server = await digestServer(tls);
  const port = server.port;
  try {
    const registry = `localhost:${port}/base`;
    const result = await runCli(['svc', '--yes', '--no-git', '--no-lock', '--registry', registry], {
      cwd: dir,
      env: cliEnv(binDir(), { NODE_EXTRA_CA_CERTS: tls.file }),
      timeoutMs: 30_000,
    });
    assert.equal(result.exitCode, 0, show(result));
    const dockerfile = readFileSync(join(dir, 'svc', 'Dockerfile'), 'utf8');
    assert.match(dockerfile, new RegExp(`^FROM ${registry}/python:3.13-slim-trixie@sha256:a{64} AS builder$`, 'm'));
    assert.match(dockerfile, new RegExp(`^FROM ${registry}/distroless/python3-debian13:nonroot@sha256:b{64}`, 'm'));
    assert.equal(dockerfile.split('\n')[0], `# syntax=${registry}/docker/dockerfile:1@sha256:${'d'.repeat(64)}`);
    const record = JSON.parse(readFileSync(join(dir, 'svc', '.hardened-service.json'), 'utf8'));
    assert.match(record.images.builder, /@sha256:a{64}$/);
    assert.match(record.answers.syntax, /\/docker\/dockerfile:1@sha256:d{64}$/);
  } finally {
    server.close();
  }
});

test('an unreachable registry leaves tag pins and says so, without failing', async () => {
  const dir = tempDir('chs-pin');
  writeFileSync(join(dir, 'placeholder'), '');
  const result = await runCli(['svc', '--yes', '--dry-run', '--registry', '127.0.0.1:9/base'], {
    cwd: join(dir),
    env: cliEnv(binDir()),
    timeoutMs: 30_000,
  });
  assert.equal(result.exitCode, 0, show(result));
  assert.match(result.stderr, /only tags could be pinned \(no digest\) for: 127\.0\.0\.1:9\/base\/python:3\.13-slim-trixie/, show(result));
  assert.match(result.stderr, /Once the registry can be reached, run: create-hardened-service pin svc \(or add @sha256:… to the FROM and # syntax= lines\)/, show(result));
});

test('a registry trusted through NODE_EXTRA_CA_CERTS is still trusted when SSL_CERT_FILE adds another CA (as on a machine whose SSL_CERT_FILE is the system bundle)', async () => {
  const dir = tempDir('chs-pin');
  const tls = certificate(dir);
  // Another CA, one Node does not have: SSL_CERT_FILE then adds a CA, and the lookups get a context of their own.
  const other = join(dir, 'other');
  execFileSync('mkdir', ['-p', other]);
  const otherCa = certificate(other);
  const server = await digestServer(tls);
  const port = server.port;
  try {
    const registry = `localhost:${port}/base`;
    const result = await runCli(['svc', '--yes', '--dry-run', '--registry', registry], {
      cwd: dir,
      env: cliEnv(binDir(), { NODE_EXTRA_CA_CERTS: tls.file, SSL_CERT_FILE: otherCa.file }),
      timeoutMs: 30_000,
    });
    assert.equal(result.exitCode, 0, show(result));
    assert.doesNotMatch(result.stderr, /only tags could be pinned/, show(result));
    assert.match(result.stdout, new RegExp(`${registry}/python:3.13-slim-trixie@sha256:a{64}`), show(result));
  } finally {
    server.close();
  }
});
