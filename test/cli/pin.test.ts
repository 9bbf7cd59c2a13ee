// `create-hardened-service pin` against Debian's docker-registry on 127.0.0.1 over TLS with a test
// CA (no authentication here; see pin-auth.test.ts), with images pushed to it through the HTTP API.
import assert from 'node:assert/strict';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer, request } from 'node:https';
import { mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { assertBuilt, binDir, cliEnv, files, runCli, show, startCli, tempDir, until } from '../helpers/cli.ts';
import { freePort, makePki, Pusher, registryMissing, startRegistry, type Pki, type Registry } from './pin-registry.ts';

const skip = registryMissing();
let pki: Pki;
let registry: Registry;
let pusher: Pusher;
const digests: Record<'python' | 'frontend' | 'tools', string> = { python: '', frontend: '', tools: '' };

before(async () => {
  assertBuilt();
  if (skip) return;
  const dir = tempDir('chs-pin-registry');
  pki = makePki(dir);
  registry = await startRegistry({ dir, pki });
  pusher = new Pusher(registry.host, pki.ca);
  digests.python = await pusher.index('base/python', '3.13-slim', 'python v1');
  digests.frontend = await pusher.image('docker/dockerfile', '1', 'frontend');
  digests.tools = await pusher.image('base/tools', '2', 'tools');
});

after(async () => {
  await registry?.stop();
});

/** The environment of a run that trusts the test CA the way most users would (NODE_EXTRA_CA_CERTS). */
const trusting = (extra: Record<string, string> = {}) => cliEnv(binDir(), { NODE_EXTRA_CA_CERTS: pki.caFile, ...extra });

/** A Dockerfile with every kind of reference; `pins` adds the digests pin should write. */
function dockerfile(pins: Partial<typeof digests> = {}): string {
  const R = registry.host;
  const at = (digest?: string) => (digest ? `@${digest}` : '');
  return [
    `# syntax=${R}/docker/dockerfile:1${at(pins.frontend)}`,
    '# Base images are pinned by `create-hardened-service pin`; this comment names python:3.13-slim.',
    'ARG RUNTIME=gcr.io/distroless/static-debian13:nonroot',
    '',
    'FROM \\',
    '    --platform=$BUILDPLATFORM \\',
    `    ${R}/base/python:3.13-slim${at(pins.python)}   AS builder`,
    'WORKDIR /app',
    'RUN --mount=type=cache,target=/root/.cache \\',
    `    --mount=type=bind,from=${R}/base/tools:2${at(pins.tools)},source=/bin,target=/tools \\`,
    `    echo ${R}/base/python:3.13-slim > /app/not-a-reference`,
    '',
    'FROM builder AS test',
    'COPY --from=builder /app /app',
    'COPY --from=0 /app /app2',
    'RUN --mount=type=bind,from=builder,target=/b true',
    '',
    'FROM ${RUNTIME}',
    `COPY --from=${R}/base/python:3.13-slim${at(pins.python)} /usr/bin/python3 /usr/bin/python3`,
    '\tFROM   scratch AS empty',
    '',
  ].join('\n');
}

/** A project directory holding `text` as its Dockerfile. */
function project(text: string, name = 'Dockerfile'): string {
  const dir = tempDir('chs-pin');
  writeFileSync(join(dir, name), text);
  return dir;
}

test('pin rewrites exactly the image references (syntax, FROM, COPY --from, RUN --mount from) to the digests the registry reports', { skip }, async () => {
  const dir = project(dockerfile());
  const result = await runCli(['pin'], { cwd: dir, env: trusting() });
  assert.equal(result.exitCode, 0, show(result));
  // Byte for byte: only the four references gained their digest (the multi-platform one for the index).
  assert.equal(readFileSync(join(dir, 'Dockerfile'), 'utf8'), dockerfile(digests));
  assert.match(result.stdout, /Pinned 4 image references in Dockerfile\./, show(result));
  assert.match(result.stdout, new RegExp(`Dockerfile:7 FROM ${registry.host}/base/python:3\\.13-slim -> ${registry.host}/base/python:3\\.13-slim@${digests.python}`), show(result));
  assert.match(result.stderr, /Dockerfile:18 FROM \$\{RUNTIME\} uses a build argument/, show(result));
  assert.deepEqual(files(dir), ['Dockerfile'], 'no temporary file is left');

  // A second pin has nothing to do and does not touch the file.
  const before = statSync(join(dir, 'Dockerfile')).mtimeMs;
  const again = await runCli(['pin', '.'], { cwd: dir, env: trusting() });
  assert.equal(again.exitCode, 0, show(again));
  assert.match(again.stdout, /all 4 image references are pinned already; nothing to do/, show(again));
  assert.equal(readFileSync(join(dir, 'Dockerfile'), 'utf8'), dockerfile(digests));
  assert.equal(statSync(join(dir, 'Dockerfile')).mtimeMs, before);

  const check = await runCli(['pin', '--check'], { cwd: dir, env: trusting() });
  assert.equal(check.exitCode, 0, show(check));
  assert.match(check.stdout, /Dockerfile: 4 image references, all pinned, none drifted\./, show(check));
});

test('drift: a new manifest under the same tag makes pin --check exit 1 naming the reference; --refresh moves the pin', { skip }, async () => {
  const first = await pusher.image('base/app', '1', 'app v1');
  const dir = project(`FROM ${registry.host}/base/app:1 AS app\nUSER 65532\n`);
  assert.equal((await runCli(['pin'], { cwd: dir, env: trusting() })).exitCode, 0);
  const pinned = `FROM ${registry.host}/base/app:1@${first} AS app\nUSER 65532\n`;
  assert.equal(readFileSync(join(dir, 'Dockerfile'), 'utf8'), pinned);

  const second = await pusher.image('base/app', '1', 'app v2');
  assert.notEqual(second, first);
  const check = await runCli(['pin', '--check', 'Dockerfile'], { cwd: dir, env: trusting() });
  assert.equal(check.exitCode, 1, show(check));
  assert.match(check.stdout, new RegExp(`Dockerfile:1 FROM ${registry.host}/base/app:1@${first}: drifted: ${registry.host}/base/app:1 now points at ${second}`), show(check));
  assert.match(check.stdout, /run create-hardened-service pin --refresh/, show(check));
  assert.equal(readFileSync(join(dir, 'Dockerfile'), 'utf8'), pinned, '--check changes nothing');

  // A plain pin leaves an existing pin alone; --refresh re-resolves it.
  const plain = await runCli(['pin'], { cwd: dir, env: trusting() });
  assert.equal(plain.exitCode, 0, show(plain));
  assert.equal(readFileSync(join(dir, 'Dockerfile'), 'utf8'), pinned);
  const refresh = await runCli(['pin', '--refresh'], { cwd: dir, env: trusting() });
  assert.equal(refresh.exitCode, 0, show(refresh));
  assert.equal(readFileSync(join(dir, 'Dockerfile'), 'utf8'), `FROM ${registry.host}/base/app:1@${second} AS app\nUSER 65532\n`);
  assert.equal((await runCli(['pin', '--check'], { cwd: dir, env: trusting() })).exitCode, 0);
});

test('pin --check exits 1 for references not pinned at all, and lists each', { skip }, async () => {
  const dir = project(dockerfile({ frontend: digests.frontend }));
  const check = await runCli(['pin', '--check'], { cwd: dir, env: trusting() });
  assert.equal(check.exitCode, 1, show(check));
  assert.match(check.stdout, /Dockerfile:1 # syntax .*: up to date/, show(check));
  assert.match(check.stdout, /✗ not pinned to a digest:\n {4}Dockerfile:7 FROM .*\n {4}Dockerfile:10 RUN --mount from .*\n {4}Dockerfile:19 COPY --from /, show(check));
  assert.match(check.stdout, /3 of 4 image references in Dockerfile need attention: run create-hardened-service pin$/m, show(check));
  assert.equal(readFileSync(join(dir, 'Dockerfile'), 'utf8'), dockerfile({ frontend: digests.frontend }));
});

test('the CA is needed: without it a TLS error and nothing written; with --ca-bundle or SSL_CERT_FILE it pins', { skip }, async () => {
  const text = `FROM ${registry.host}/base/python:3.13-slim\r\n`;
  const dir = project(text);
  const untrusted = await runCli(['pin'], { cwd: dir, env: cliEnv(binDir()) });
  assert.equal(untrusted.exitCode, 1, show(untrusted));
  assert.match(untrusted.stderr, new RegExp(`${registry.host}: TLS certificate not trusted \\(UNABLE_TO_VERIFY_LEAF_SIGNATURE\\).*--ca-bundle FILE.*verification is never turned off`), show(untrusted));
  assert.match(untrusted.stderr, /Nothing was written: Dockerfile is as it was\./);
  assert.equal(readFileSync(join(dir, 'Dockerfile'), 'utf8'), text);
  const check = await runCli(['pin', '--check'], { cwd: dir, env: cliEnv(binDir()) });
  assert.equal(check.exitCode, 1, show(check));

  const bundle = await runCli(['pin', '--ca-bundle', pki.caFile], { cwd: dir, env: cliEnv(binDir()) });
  assert.equal(bundle.exitCode, 0, show(bundle));
  assert.equal(readFileSync(join(dir, 'Dockerfile'), 'utf8'), `FROM ${registry.host}/base/python:3.13-slim@${digests.python}\r\n`);

  const other = project(text);
  const sslCertFile = await runCli(['pin'], { cwd: other, env: cliEnv(binDir(), { SSL_CERT_FILE: pki.caFile }) });
  assert.equal(sslCertFile.exitCode, 0, show(sslCertFile));
  assert.equal(readFileSync(join(other, 'Dockerfile'), 'utf8'), `FROM ${registry.host}/base/python:3.13-slim@${digests.python}\r\n`);
});

test('a registry that only speaks plain http is an error, never a downgrade', async () => {
  let requests = 0;
  const server = createHttpServer((_req, res) => {
    requests++;
    res.writeHead(200, { 'docker-content-digest': `sha256:${'f'.repeat(64)}` }).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const port = (server.address() as AddressInfo).port;
    const dir = project(`FROM 127.0.0.1:${port}/base/python:3.13-slim\n`);
    const result = await runCli(['pin'], { cwd: dir, env: cliEnv(binDir()) });
    assert.equal(result.exitCode, 1, show(result));
    assert.match(result.stderr, new RegExp(`127\\.0\\.0\\.1:${port} did not answer over TLS \\(plain http\\?\\); registries are only spoken to over https`), show(result));
    assert.equal(requests, 0, 'no HTTP request was made');
    assert.equal(readFileSync(join(dir, 'Dockerfile'), 'utf8'), `FROM 127.0.0.1:${port}/base/python:3.13-slim\n`);
  } finally {
    server.close();
  }
});

test('an unreachable registry is a clear error, exit 1, nothing written', async () => {
  const port = await freePort();
  const text = `FROM 127.0.0.1:${port}/base/python:3.13-slim AS a\nFROM 127.0.0.1:${port}/base/other:1\n`;
  const dir = project(text);
  const result = await runCli(['pin'], { cwd: dir, env: cliEnv(binDir()) });
  assert.equal(result.exitCode, 1, show(result));
  assert.match(result.stderr, new RegExp(`error 127\\.0\\.0\\.1:${port} unreachable \\(ECONNREFUSED\\):\\n {4}Dockerfile:1 FROM .*\\n {4}Dockerfile:2 FROM `), show(result));
  assert.equal(readFileSync(join(dir, 'Dockerfile'), 'utf8'), text);
  const check = await runCli(['pin', '--check'], { cwd: dir, env: cliEnv(binDir()) });
  assert.equal(check.exitCode, 1, show(check));
});

test('Ctrl-C while a registry keeps silent: exit 130, nothing written', async () => {
  const sockets = new Set<Socket>();
  const silent = createTcpServer((socket) => void sockets.add(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  try {
    const text = `FROM 127.0.0.1:${(silent.address() as AddressInfo).port}/base/python:3.13-slim\n`;
    const dir = project(text);
    const run = startCli(['pin'], { cwd: dir, env: cliEnv(binDir()), timeoutMs: 30_000 });
    await until(() => sockets.size > 0, 'the lookup to connect');
    run.child.kill('SIGINT');
    const result = await run.result;
    assert.equal(result.exitCode, 130, show(result));
    assert.match(result.stderr, /Cancelled\. Nothing was written\./, show(result));
    assert.equal(readFileSync(join(dir, 'Dockerfile'), 'utf8'), text);
    assert.deepEqual(files(dir), ['Dockerfile']);
  } finally {
    for (const socket of sockets) socket.destroy();
    silent.close();
  }
});

test('a Dockerfile edited while its images are being resolved is not overwritten', { skip }, async () => {
  // A registry stand-in that answers only once the test has edited the file.
  let answer: (() => void) | undefined;
  const slow = createHttpsServer({ key: readFileSync(pki.keyFile), cert: readFileSync(pki.certFile) }, (_req, res) => {
    answer = () => res.writeHead(200, { 'docker-content-digest': digests.python }).end();
  });
  await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
  try {
    const dir = project(`FROM 127.0.0.1:${(slow.address() as AddressInfo).port}/base/python:3.13-slim\n`);
    const run = startCli(['pin'], { cwd: dir, env: trusting(), timeoutMs: 30_000 });
    await until(() => answer !== undefined, 'the lookup to reach the registry');
    writeFileSync(join(dir, 'Dockerfile'), 'FROM alpine:3.20\n# edited meanwhile\n');
    answer!();
    const result = await run.result;
    assert.equal(result.exitCode, 1, show(result));
    assert.match(result.stderr, /Dockerfile changed while its images were being resolved; run pin again/, show(result));
    assert.equal(readFileSync(join(dir, 'Dockerfile'), 'utf8'), 'FROM alpine:3.20\n# edited meanwhile\n');
    assert.deepEqual(files(dir), ['Dockerfile'], 'no temporary file is left');
  } finally {
    slow.close();
  }
});

test('a tag the registry does not have is an error naming it; nothing is written, even for the references that resolved', { skip }, async () => {
  const text = `FROM ${registry.host}/base/python:3.13-slim AS a\nFROM ${registry.host}/base/python:9.99\n`;
  const dir = project(text);
  const result = await runCli(['pin'], { cwd: dir, env: trusting() });
  assert.equal(result.exitCode, 1, show(result));
  assert.match(result.stderr, new RegExp(`Dockerfile:2 FROM ${registry.host}/base/python:9\\.99: ${registry.host}/base/python:9\\.99 not found \\(404\\)`), show(result));
  assert.equal(readFileSync(join(dir, 'Dockerfile'), 'utf8'), text);
});

test('a registry (or proxy) that omits Docker-Content-Digest: the digest is the sha256 of the manifest it serves', { skip }, async () => {
  const seen: string[] = [];
  const proxy = createHttpsServer({ key: readFileSync(pki.keyFile), cert: readFileSync(pki.certFile) }, (req, res) => {
    seen.push(req.method!);
    const upstream = request(`https://${registry.host}${req.url}`, { method: req.method, headers: { ...req.headers, host: registry.host }, ca: pki.ca }, (answer) => {
      const headers = { ...answer.headers };
      delete headers['docker-content-digest'];
      res.writeHead(answer.statusCode ?? 502, headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  try {
    const host = `127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const dir = project(`FROM ${host}/base/python:3.13-slim\n`);
    const result = await runCli(['pin'], { cwd: dir, env: trusting() });
    assert.equal(result.exitCode, 0, show(result));
    assert.equal(readFileSync(join(dir, 'Dockerfile'), 'utf8'), `FROM ${host}/base/python:3.13-slim@${digests.python}\n`);
    assert.deepEqual(seen, ['HEAD', 'GET']);
  } finally {
    proxy.close();
  }
});

test('the Dockerfile can be named as a file, or found as a Containerfile; a BOM is kept; a symlink is refused for writing only', { skip }, async () => {
  const dir = project(`FROM ${registry.host}/base/tools:2\n`, 'Dockerfile.prod');
  const named = await runCli(['pin', 'Dockerfile.prod'], { cwd: dir, env: trusting() });
  assert.equal(named.exitCode, 0, show(named));
  assert.equal(readFileSync(join(dir, 'Dockerfile.prod'), 'utf8'), `FROM ${registry.host}/base/tools:2@${digests.tools}\n`);

  const podman = project(`FROM ${registry.host}/base/tools:2\n`, 'Containerfile');
  const found = await runCli(['pin', podman], { cwd: dir, env: trusting() });
  assert.equal(found.exitCode, 0, show(found));
  assert.equal(readFileSync(join(podman, 'Containerfile'), 'utf8'), `FROM ${registry.host}/base/tools:2@${digests.tools}\n`);

  // A byte-order mark stays where it was.
  const bom = project(`\uFEFFFROM ${registry.host}/base/tools:2\n`);
  assert.equal((await runCli(['pin'], { cwd: bom, env: trusting() })).exitCode, 0);
  assert.equal(readFileSync(join(bom, 'Dockerfile'), 'utf8'), `\uFEFFFROM ${registry.host}/base/tools:2@${digests.tools}\n`);

  const linked = tempDir('chs-pin');
  symlinkSync(join(dir, 'Dockerfile.prod'), join(linked, 'Dockerfile'));
  const refused = await runCli(['pin'], { cwd: linked, env: trusting() });
  assert.equal(refused.exitCode, 2, show(refused));
  assert.match(refused.stderr, /pin: Dockerfile is a symbolic link; pin the file it points to: create-hardened-service pin .*Dockerfile\.prod/, show(refused));
  const checked = await runCli(['pin', '--check'], { cwd: linked, env: trusting() });
  assert.equal(checked.exitCode, 0, show(checked));
});

test('usage errors exit 2 naming the flag or path with an example; nothing is written', async () => {
  const dir = project('FROM alpine:3.20\n');
  const env = cliEnv(binDir());
  mkdirSync(join(dir, 'sub'));
  const cases: Array<[string[], RegExp]> = [
    [['pin', '--bogus'], /pin --bogus: is not an option of pin\. Example: create-hardened-service pin services\/billing-api --check/],
    [['pin', '--yes'], /pin --yes: is not an option of pin/],
    [['pin', 'a', 'b'], /pin: takes one directory or Dockerfile, got 2: a b\. Example:/],
    [['pin', 'nowhere'], /pin: nowhere does not exist\. Example: create-hardened-service pin/],
    [['pin', 'sub'], /pin: sub\/Dockerfile does not exist\. Example: create-hardened-service pin/],
    [['pin', '/dev/null'], /pin: \/dev\/null is a device\./],
    [['pin', '--check', '--refresh'], /pin --check: changes nothing, so it does not take --refresh/],
    [['pin', '--ca-bundle'], /pin --ca-bundle: needs a file\. Example: --ca-bundle \/etc\/ssl\/certs\/company-ca\.pem/],
    [['pin', '--ca-bundle', 'missing.pem'], /pin --ca-bundle .*missing\.pem does not exist\. Example: --ca-bundle/],
    [['pin', '--check=yes'], /pin --check: takes no value/],
  ];
  for (const [args, message] of cases) {
    const result = await runCli(args, { cwd: dir, env });
    assert.equal(result.exitCode, 2, `${args.join(' ')}\n${show(result)}`);
    assert.match(result.stderr, message, `${args.join(' ')}\n${show(result)}`);
    assert.match(result.stderr, /Nothing was written\./);
  }
  assert.equal(readFileSync(join(dir, 'Dockerfile'), 'utf8'), 'FROM alpine:3.20\n');
});

test('pin has its own --help; the main help lists it', async () => {
  const dir = tempDir('chs-pin');
  const help = await runCli(['pin', '--help'], { cwd: dir, env: cliEnv(binDir()) });
  assert.equal(help.exitCode, 0, show(help));
  assert.match(help.stdout, /create-hardened-service pin \[directory \| Dockerfile\]/);
  for (const option of ['--check', '--refresh', '--ca-bundle FILE', '-h, --help']) assert.ok(help.stdout.includes(option), option);
  const main = await runCli(['--help'], { cwd: dir, env: cliEnv(binDir()) });
  assert.match(main.stdout, /create-hardened-service pin \[directory\] \[--check\]/);
});
