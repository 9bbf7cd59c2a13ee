// The pure parts of the registry client: references, the Docker config file's format, challenges, CA files
// (which credentials files are read, and which key serves: registry-auth-files.test.ts).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { rootCertificates } from 'node:tls';
import { parseChallenge } from '../../src/registry/auth.ts';
import { entrySecret, parseDockerConfig } from '../../src/registry/docker-config.ts';
import { RegistryError } from '../../src/registry/errors.ts';
import { hostOfKey, locateImage } from '../../src/registry/reference.ts';
import { trustedCertificates } from '../../src/registry/trust.ts';

const dir = mkdtempSync(join(tmpdir(), 'chs-registry-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const D = `sha256:${'e'.repeat(64)}`;

test('locateImage: Docker Hub names get the API host, library/ and the login key docker uses', () => {
  assert.deepEqual(locateImage('python:3.13-slim'), {
    host: 'registry-1.docker.io', repository: 'library/python', tag: '3.13-slim', digest: null, credentialKey: 'https://index.docker.io/v1/',
  });
  assert.deepEqual(locateImage('docker.io/library/python:3.13'), locateImage('python:3.13'));
  assert.equal((locateImage('docker/dockerfile:1') as { repository: string }).repository, 'docker/dockerfile');
  assert.equal((locateImage('index.docker.io/bitnami/redis:7') as { host: string }).host, 'registry-1.docker.io');
});

test('locateImage: hosts with ports, localhost, IPs and deep paths; tag and digest split', () => {
  assert.deepEqual(locateImage(`localhost:5000/base/distroless/python3-debian13:nonroot@${D}`), {
    host: 'localhost:5000', repository: 'base/distroless/python3-debian13', tag: 'nonroot', digest: D, credentialKey: 'localhost:5000',
  });
  assert.deepEqual(locateImage('127.0.0.1:8443/a/b'), { host: '127.0.0.1:8443', repository: 'a/b', tag: null, digest: null, credentialKey: '127.0.0.1:8443' });
  assert.equal((locateImage('Registry.Example.com/x:1') as { host: string }).host, 'registry.example.com');
  assert.equal((locateImage('localhost/x:1') as { host: string }).host, 'localhost');
});

test('locateImage: what cannot be a reference never reaches a URL', () => {
  for (const bad of ['Python:3', 'x:1/../../v2', 'a//b:1', `x:1@sha256:abc`, 'x:-bad', 'host.com/UPPER:1', 'x:' + 'a'.repeat(129), '', 'a b:1']) {
    assert.ok('invalid' in locateImage(bad), bad);
  }
});

test('hostOfKey: config keys with schemes and paths name their host; Docker Hub keys fold together', () => {
  assert.equal(hostOfKey('https://index.docker.io/v1/'), 'registry-1.docker.io');
  assert.equal(hostOfKey('docker.io'), 'registry-1.docker.io');
  assert.equal(hostOfKey('http://localhost:5000'), 'localhost:5000');
  assert.equal(hostOfKey('registry.example.com/v2/'), 'registry.example.com');
});

test('parseDockerConfig and entrySecret: the auths forms, helpers and the store', () => {
  const config = parseDockerConfig(
    JSON.stringify({
      auths: {
        'https://index.docker.io/v1/': { auth: Buffer.from('hubuser:hubpass').toString('base64') },
        'localhost:5000': { username: 'u', password: 'p:with:colons' },
        'ghcr.io': {},
        'quay.io': { identitytoken: 'refresh-me' },
        'weird.example.com': 'not an object',
      },
      credHelpers: { 'gcr.io': 'gcloud' },
      credsStore: 'desktop',
    }),
    '/cfg.json',
  );
  assert.deepEqual(entrySecret(config.auths['https://index.docker.io/v1/']!), { kind: 'basic', username: 'hubuser', password: 'hubpass' });
  assert.deepEqual(entrySecret(config.auths['localhost:5000']!), { kind: 'basic', username: 'u', password: 'p:with:colons' });
  assert.equal(entrySecret(config.auths['ghcr.io']!), undefined);
  assert.deepEqual(entrySecret(config.auths['quay.io']!), { kind: 'identity-token', token: 'refresh-me' });
  assert.equal(config.auths['weird.example.com'], undefined);
  assert.deepEqual(config.credHelpers, { 'gcr.io': 'gcloud' });
  assert.equal(config.credsStore, 'desktop');
});

test('parseDockerConfig: malformed files and helper names that could leave PATH are errors naming the file', () => {
  assert.throws(() => parseDockerConfig('{', '/x/config.json'), (e: unknown) => e instanceof RegistryError && /\/x\/config\.json is not valid JSON/.test(e.message));
  assert.throws(() => parseDockerConfig('[]', '/x/config.json'), /not a JSON object/);
  assert.throws(() => parseDockerConfig(JSON.stringify({ credsStore: '../../tmp/evil' }), '/x/config.json'), /not a credential helper name/);
  assert.throws(() => parseDockerConfig(JSON.stringify({ credHelpers: { h: 'a b' } }), '/x/config.json'), /not a credential helper name/);
});

test('parseChallenge: Bearer and Basic with quoted parameters (commas inside quotes kept)', () => {
  assert.deepEqual(parseChallenge('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/python:pull,push"'), {
    scheme: 'bearer',
    params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/python:pull,push' },
  });
  assert.deepEqual(parseChallenge('Basic realm="Registry Realm"'), { scheme: 'basic', params: { realm: 'Registry Realm' } });
  assert.deepEqual(parseChallenge('bearer realm=https://x/t'), { scheme: 'bearer', params: { realm: 'https://x/t' } });
  assert.equal(parseChallenge('Negotiate abc'), undefined);
  assert.equal(parseChallenge(''), undefined);
});

test('trustedCertificates: Node defaults unless a bundle or SSL_CERT_FILE adds CAs Node lacks; then one list of every CA, Node\'s own and NODE_EXTRA_CA_CERTS first', () => {
  const key = join(dir, 'k.pem');
  const cert = join(dir, 'c.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=unit CA', '-keyout', key, '-out', cert], { stdio: 'ignore' });
  const pem = readFileSync(cert, 'utf8').trim();
  assert.equal(trustedCertificates({}), undefined);
  assert.equal(trustedCertificates({ NODE_EXTRA_CA_CERTS: cert }), undefined, 'Node reads NODE_EXTRA_CA_CERTS itself');
  assert.equal(trustedCertificates({ NODE_EXTRA_CA_CERTS: cert }, cert), undefined, 'Node has that CA already');
  assert.deepEqual(trustedCertificates({ SSL_CERT_FILE: cert }), [...rootCertificates, pem]);
  assert.deepEqual(trustedCertificates({}, cert), [...rootCertificates, pem]);
  // The list replaces Node's trust for the lookups: NODE_EXTRA_CA_CERTS's CA stays in it when SSL_CERT_FILE adds another.
  const extraKey = join(dir, 'extra-k.pem');
  const extra = join(dir, 'extra.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=extra CA', '-keyout', extraKey, '-out', extra], { stdio: 'ignore' });
  const extraPem = readFileSync(extra, 'utf8').trim();
  assert.deepEqual(trustedCertificates({ NODE_EXTRA_CA_CERTS: extra, SSL_CERT_FILE: cert }), [...rootCertificates, extraPem, pem]);
  assert.deepEqual(trustedCertificates({ NODE_EXTRA_CA_CERTS: extra }, cert), [...rootCertificates, extraPem, pem]);
  // A system bundle repeats Node's own CAs (line breaks aside): only the others are added.
  const system = join(dir, 'system.pem');
  writeFileSync(system, `${rootCertificates[0]!.replace(/\n/g, '\r\n')}\n${rootCertificates[1]}\n${pem}\n`);
  assert.deepEqual(trustedCertificates({ SSL_CERT_FILE: system }), [...rootCertificates, pem]);
  writeFileSync(system, `${rootCertificates[0]}\n`);
  assert.equal(trustedCertificates({ SSL_CERT_FILE: system }), undefined, "nothing beyond Node's own");

  writeFileSync(join(dir, 'empty.pem'), 'no certificates here\n');
  assert.throws(() => trustedCertificates({}, join(dir, 'empty.pem')), /--ca-bundle .*empty\.pem holds no PEM certificate/);
  assert.throws(() => trustedCertificates({}, join(dir, 'missing.pem')), /--ca-bundle .*missing\.pem does not exist/);
  assert.throws(() => trustedCertificates({ SSL_CERT_FILE: dir }), /SSL_CERT_FILE .* is a directory/);
  writeFileSync(join(dir, 'broken.pem'), '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
  assert.throws(() => trustedCertificates({}, join(dir, 'broken.pem')), /cannot be parsed/);
});
