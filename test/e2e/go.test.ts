// Issue 5, Go: generate the Go service with the real CLI against a local TLS registry holding
// stand-in images from Debian trixie (golang-go 1.24; a distroless-static-like runtime), then
// build, gate, run and inspect it as an image (I1-I7). Needs root; provisions what it needs
// (scripts/e2e/provision-go.sh, cached in .cache/e2e-go/). Writes its table to e2e-report-go.md.
// Run alone: node --import tsx --test test/e2e/go.test.ts
import { after, before, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { run, tail } from './lib/exec.ts';
import { build, cachedSteps, containersEnv, imageIds, podman, type Env } from './lib/containers.ts';
import { check as reportCheck, httpStatus, mib, nodeOnlyPath, provisionTimings, pruneImages, seconds } from './lib/suite.ts';
import { startGoProxy, type GoProxy } from './lib/goproxy.ts';
import { freePort, startRegistry, type Registry } from './lib/registry.ts';
import { explainDifference, findSecret, forbiddenContents, goLeftovers, walk, withMountedImage } from './lib/inspect.ts';
import { Report, type Column } from './lib/report.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CACHE = join(ROOT, '.cache', 'e2e-go');
const WORK = join(CACHE, 'run');
const BIN = join(ROOT, 'bin', 'create-hardened-service.js');
const SHIM = join(ROOT, 'scripts', 'e2e', 'bin');
const PKI = { ca: join(CACHE, 'pki', 'ca.crt'), cert: join(CACHE, 'pki', 'server.crt'), key: join(CACHE, 'pki', 'server.key') };
// Debian trixie's golang-go is Go 1.24: the preset lowers go.mod's go directive to it, and the
// builder image is named for what it carries. staticcheck and gosec come from the Go module proxy,
// which cannot be reached here, so the lint and security gates are not built.
const GO = '1.24';
const GATES = ['typecheck', 'format', 'test'];
const ROW = 'go (modules)';
const EPOCH = 1735689600; // SOURCE_DATE_EPOCH for the reproducibility builds (2025-01-01)
const MINUTE = 60_000;

const report = new Report();
const stops: (() => Promise<unknown>)[] = [];
let ctx: Env;
let key = '';
let registry: Registry;
let proxy: GoProxy;
let preset = '';
const isRoot = process.getuid?.() === 0;
const started = Date.now();

before(async () => {
  if (!isRoot) return;
  // 1. Provision (cached): tools, CA, stand-in images.
  const provision = await run('provision (scripts/e2e/provision-go.sh)', 'bash', [join(ROOT, 'scripts', 'e2e', 'provision-go.sh'), CACHE], {
    timeout: 30 * MINUTE,
    loud: true,
  });
  report.timings.push(...provisionTimings(provision.output, provision.ms));
  key = readFileSync(join(CACHE, 'key'), 'utf8').trim();
  ctx = containersEnv(CACHE);
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });

  // 2. The registry, and a module proxy serving one module, both over TLS with the test CA.
  registry = await startRegistry(WORK, join(CACHE, 'registry'), PKI, readFileSync(PKI.ca));
  stops.push(() => registry.stop());
  proxy = await startGoProxy(PKI);
  stops.push(() => proxy.close());
  const pushes: [string, string][] = [
    [`localhost/e2e/go-builder:${key}`, `base/golang:${GO}-trixie`],
    [`localhost/e2e/go-runtime:${key}`, 'base/distroless/static-debian13:nonroot'],
    [`localhost/e2e/ca-bundle:${key}`, `base/ca-bundle:${key}`],
  ];
  stops.push(() => pruneImages(registry.host, ctx));
  for (const [local, remote] of pushes) {
    await run(`push ${remote}`, 'buildah', ['push', '--quiet', local, `docker://${registry.host}/${remote}`], { timeout: 5 * MINUTE, env: ctx.env });
  }
  // 3. A preset as a team on an older toolchain would write it: go.mod names the builder's Go.
  preset = join(WORK, 'preset.json');
  writeFileSync(preset, JSON.stringify({ description: `e2e: Debian trixie's Go ${GO}`, versions: { go: GO } }, null, 2));
  report.notes.push(`Go stand-ins from Debian trixie: golang-go ${GO} as ${registry.host}/base/golang:${GO}-trixie (--builder-image), a distroless-static-like runtime; preset versions.go=${GO}`);
  report.notes.push("I5: for that measurement only, the cache mounts get a fresh id (removed afterwards), so 'cold' means empty Go module and build caches and no layer cache; the rebuild reuses them as a developer's machine would");
  report.notes.push(`gates built: ${GATES.join(',')}; lint (staticcheck) and security (gosec) not verified: they are installed from the Go module proxy, which cannot be reached here`);
});

after(async () => {
  for (const stop of stops.reverse()) await stop().catch((error) => console.error(`cleanup: ${(error as Error).message}`));
  if (!isRoot) return;
  report.notes.push(`suite time ${Math.round((Date.now() - started) / 1000)} s`);
  const text = report.markdown(`# Go e2e report (${new Date().toISOString()})`);
  writeFileSync(join(ROOT, 'e2e-report-go.md'), text);
  console.log(`\n${text}`);
});

/** Run the CLI the way a user does, with a PATH that has node but no Go (so the lock falls back). */
async function generate(dir: string, source: { certBundle: string; proxyUrl: string } = { certBundle: `${registry.host}/base/ca-bundle:${key}`, proxyUrl: proxy.url }) {
  const nodeOnly = nodeOnlyPath(WORK);
  const args = [BIN, dir, '--yes', '--no-git', '--language', 'go', '--registry', `${registry.host}/base`];
  args.push('--builder-image', `${registry.host}/base/golang:${GO}-trixie`, '--cert-bundle', source.certBundle);
  args.push('--index-url', source.proxyUrl, '--preset', preset, '--gates', GATES.join(','), '--ci', 'none');
  return run('generate go', process.execPath, args, { timeout: 2 * MINUTE, env: { PATH: nodeOnly, NO_COLOR: '1', NODE_EXTRA_CA_CERTS: PKI.ca } });
}

/** A subtest whose outcome also lands in the report's Go row. */
const check = (t: TestContext, column: Column, name: string, fn: () => Promise<string>, requires: Column[] = ['lock']) =>
  reportCheck(t, report, ROW, column, name, fn, requires);

test('go: the generated service builds, gates, runs and ships clean', { skip: !isRoot && 'needs root (buildah, podman)', timeout: 60 * MINUTE }, async (t) => {
  const dir = join(WORK, 'svc-go');
  const image = 'localhost/e2e-svc-go';
  let built = false;
  const secret = `e2e-go-secret-${Math.random().toString(36).slice(2)}-${Date.now()}`;
  // Every build gets the netrc secret; after locking, the proxy refuses requests without it.
  const netrc = join(WORK, 'netrc-go');
  // host:port, as the generated README says: Go skips a host-only line for a URL with a port (golang/go#81253).
  writeFileSync(netrc, `machine ${new URL(proxy.url).host} login e2e password ${secret}\n`, { mode: 0o600 });
  const secrets = [`id=netrc,src=${netrc}`];

  await check(t, 'lock', 'generate with the real CLI; go mod tidy inside the builder image keeps go.mod and go.sum', async () => {
    const generated = await generate(dir);
    const bases = [...readFileSync(join(dir, 'Dockerfile'), 'utf8').matchAll(/^FROM (\S+)/gm)].map((m) => m[1]!).filter((ref) => ref.includes('/'));
    assert.equal(bases.length, 3, `cert-bundle, builder and runtime FROM lines expected: ${bases.join(', ')}`);
    assert.deepEqual(bases.filter((ref) => !/@sha256:[0-9a-f]{64}$/.test(ref)), [], 'base images the CLI did not pin by digest');
    assert.match(readFileSync(join(dir, 'go.mod'), 'utf8'), new RegExp(`^go ${GO.replace('.', '\\.')}$`, 'm'));
    const lines = generated.output.split('\n');
    const at = lines.findIndex((line) => line.includes('inside the builder image'));
    const command = (lines[at + 1] ?? '').trim().match(/^cd \S+ && (docker run .*)$/)?.[1];
    assert.ok(at !== -1 && command, `no "inside the builder image" command printed:\n${tail(generated.output, 20)}`);
    const tidy = (script: string) =>
      run('go mod tidy in the builder image', 'bash', ['-c', script], {
        cwd: dir,
        timeout: 10 * MINUTE,
        env: { ...ctx.env, PATH: `${SHIM}:${process.env.PATH}`, CA_BUNDLE: PKI.ca },
      });
    const before = [readFileSync(join(dir, 'go.mod'), 'utf8'), readFileSync(join(dir, 'go.sum'), 'utf8')];
    await tidy(command);
    assert.deepEqual([readFileSync(join(dir, 'go.mod'), 'utf8'), readFileSync(join(dir, 'go.sum'), 'utf8')], before, 'go mod tidy changed go.mod or go.sum');
    // The mirror path for real: a dependency from the proxy (TLS with the test CA), locked with the
    // same command plus GONOSUMDB, as the README says for a module no checksum database knows.
    writeFileSync(join(dir, 'internal', 'server', 'greeting.go'), `package server

import "${proxy.module}"

// Greeting comes from a module the build fetches through the proxy.
func Greeting() string { return greet.Hello() }
`);
    await tidy(command.replace('docker run --rm ', `docker run --rm -e GONOSUMDB=${proxy.module} `));
    assert.match(readFileSync(join(dir, 'go.mod'), 'utf8'), new RegExp(`require ${proxy.module} ${proxy.version}`));
    const sums = readFileSync(join(dir, 'go.sum'), 'utf8').trim().split('\n');
    assert.equal(sums.length, 2, `go.sum: ${sums.join(' | ')}`);
    proxy.requireAuth({ user: 'e2e', password: secret });
    report.notes.push(`lock: the generator's printed command, run as pasted (docker = podman shim): ${command}`);
    return `3 base images pinned by digest; printed in-image \`go mod tidy\` kept the stdlib project's go.mod/empty go.sum, then locked ${proxy.module} ${proxy.version} from the TLS proxy (GONOSUMDB) into go.sum`;
  }, []);

  // I5 first, as in the Python suite: buildah's layer cache is greedy, so the --no-cache builds
  // below would leave parallel chains for it to wander into.
  await check(t, 'I5 rebuild', 'I5: a change in one .go file reuses the module-download layer', async () => {
    // Fresh cache-mount ids: buildah keeps cache mounts by target between builds, machine-wide.
    const fresh = `e2e-go-cold-${process.pid}-${Date.now()}`;
    const dockerfile = join(dir, 'Dockerfile');
    const generated = readFileSync(dockerfile, 'utf8');
    writeFileSync(dockerfile, generated.replace(/--mount=type=cache,target=([^\s\\]+)/g, (_, target: string) => `--mount=type=cache,id=${fresh}${target.replace(/\//g, '_')},target=${target}`));
    try {
      return await coldAndRebuild();
    } finally {
      writeFileSync(dockerfile, generated);
      for (const parent of readdirSync('/var/tmp').filter((name) => name.startsWith('buildah-cache'))) {
        for (const entry of readdirSync(join('/var/tmp', parent)).filter((name) => name.startsWith(fresh))) rmSync(join('/var/tmp', parent, entry), { recursive: true, force: true });
      }
    }
  });

  async function coldAndRebuild(): Promise<string> {
    const cold = await build('I5 cold build (downloads the module through the proxy with the secret)', dir, { tag: `${image}:cold`, secrets }, ctx);
    const seen = proxy.counts();
    assert.ok(seen.authorized > 0, `the proxy saw no authenticated request (${JSON.stringify(seen)}): the netrc secret was not used`);
    const file = join(dir, 'internal', 'server', 'server.go');
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, original.replace('const ShutdownTimeout = 5 * time.Second', 'const ShutdownTimeout = 6 * time.Second'));
    try {
      const result = await build('I5 rebuild after a one-line change', dir, { tag: `${image}:rebuild`, secrets }, ctx);
      const steps = cachedSteps(result.output);
      const dependency = steps.filter((step) => /^COPY go\.mod go\.sum|go mod download/.test(step.step));
      assert.ok(dependency.length >= 2, `no module steps found:\n${steps.map((s) => s.step).join('\n')}`);
      assert.deepEqual(dependency.filter((step) => !step.cached).map((step) => step.step.slice(0, 80)), [], 'module steps ran again');
      const ran = steps.filter((step) => !step.cached && !/^FROM /.test(step.step)).length;
      return `cold ${seconds(cold.ms)} (empty Go caches; ${seen.authorized} authenticated proxy requests), rebuild ${seconds(result.ms)} (${ran} of ${steps.length} steps ran; go.mod/go.sum copy and download cached)`;
    } finally {
      writeFileSync(file, original);
    }
  }

  await check(t, 'I1 test target', 'I1: --target test passes on the project as generated', async () => {
    const result = await build('I1 --target test', dir, { target: 'test', noCache: true, secrets }, ctx);
    assert.match(result.output, /ok\s+billing-api\/internal\/server|ok\s+\S+\/internal\/server/, `go test reported no passing package:\n${tail(result.output, 15)}`);
    return `go vet, gofmt, go test and the no-test check passed (${seconds(result.ms)}, no layer cache)`;
  });

  await check(t, 'I6 reproducible', 'I6: two clean builds with the same SOURCE_DATE_EPOCH give the same image', async () => {
    const buildArgs = { BUILD_DATE: new Date(EPOCH * 1000).toISOString().replace('.000', '') };
    await build('I6 build A', dir, { tag: `${image}:a`, noCache: true, timestamp: EPOCH, buildArgs, secrets }, ctx);
    built = true;
    await build('I6 build B', dir, { tag: `${image}:b`, noCache: true, timestamp: EPOCH, buildArgs, secrets }, ctx);
    const [a, b] = [await imageIds(`${image}:a`, ctx), await imageIds(`${image}:b`, ctx)];
    if (a.id !== b.id) assert.fail(`image IDs differ: ${await explainDifference(`${image}:a`, `${image}:b`, join(WORK, 'diff'), ctx)}`);
    return `same image ID ${a.id.slice(0, 12)} (two --no-cache builds)`;
  });

  await check(t, 'I7 secret', 'I7: the netrc build secret is in no layer and no history', async () => {
    assert.ok(built, 'needs image b from the I6 builds');
    const found = await findSecret(`${image}:b`, secret, join(WORK, 'save-go'), ctx);
    rmSync(join(WORK, 'save-go'), { recursive: true, force: true });
    assert.deepEqual(found.hits, [], `the secret is in: ${found.hits.join(', ')}`);
    return `${proxy.counts().authorized} authenticated proxy requests; the password is in none of ${found.searched} layer/config/history texts`;
  });

  await check(t, 'I3 run', 'I3: runs read-only, caps dropped, as non-root; answers /healthz; stops on SIGTERM in 2 s', async () => {
    assert.ok(built, 'needs the runtime image');
    const port = await freePort();
    const name = `e2e-run-go-${process.pid}`;
    await podman('run', ['run', '-d', '--name', name, '--read-only', '--cap-drop', 'ALL', '--network', 'host', '-e', `PORT=${port}`, '-e', 'HOST=127.0.0.1', `${image}:a`], ctx);
    try {
      let status = 0;
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline && status !== 200) {
        status = await httpStatus(port, '/healthz').catch(() => 0);
        if (status !== 200) await sleep(100);
      }
      const logs = async () => tail((await podman('logs', ['logs', name], ctx, { allowFail: true })).output, 10);
      assert.equal(status, 200, `/healthz did not answer 200 within 20 s; logs:\n${await logs()}`);
      const user = (await podman('user', ['image', 'inspect', '--format', '{{.Config.User}}', `${image}:a`], ctx)).stdout.trim();
      assert.equal(user, '65532:65532');
      const pid = (await podman('inspect pid', ['inspect', '--format', '{{.State.Pid}}', name], ctx)).stdout.trim();
      const uids = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^Uid:\s+(.*)$/m)![1]!.split(/\s+/).map(Number);
      assert.ok(uids.every((uid) => uid === 65532), `process runs with uids ${uids.join(',')}`);
      const began = Date.now();
      await podman('stop', ['stop', '-t', '10', name], ctx, { timeout: 30_000 });
      const stopMs = Date.now() - began;
      const exit = (await podman('inspect exit', ['inspect', '--format', '{{.State.ExitCode}}', name], ctx)).stdout.trim();
      const log = await logs();
      assert.ok(stopMs < 2000, `stop took ${stopMs} ms (SIGTERM not handled?)`);
      assert.equal(exit, '0', `exit code after SIGTERM ${exit}; logs:\n${log}`);
      assert.match(log, /shutting down[\s\S]*stopped/, 'the service did not log its graceful shutdown');
      return `uid 65532, /healthz 200, SIGTERM -> graceful stop in ${stopMs} ms, exit 0`;
    } finally {
      await podman('rm', ['rm', '-f', name], ctx, { allowFail: true });
    }
  });

  await check(t, 'I4 contents', 'I4: no shell, no Go toolchain, no source or tests in the runtime image', async () => {
    assert.ok(built, 'needs the runtime image');
    const found = await withMountedImage(`${image}:a`, ctx, (root) => [...forbiddenContents(root, 'app'), ...goLeftovers(root)]);
    assert.deepEqual(found, [], `found in the runtime image: ${found.join(', ')}`);
    const app = await withMountedImage(`${image}:a`, ctx, (root) => walk(join(root, 'app')).sort());
    assert.deepEqual(app, ['.gates-passed', 'svc-go'], 'the runtime /app holds the binary and the marker only');
    return 'clean: /app holds the binary and the gates marker only';
  });

  await check(t, 'I2 broken test fails', 'I2: after breaking one test, the default build fails', async () => {
    const file = join(dir, 'internal', 'server', 'server_test.go');
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, `${original}\nfunc TestE2EDeliberatelyBroken(t *testing.T) {\n\tif 1+1 != 3 {\n\t\tt.Fatal("1+1 is not 3")\n\t}\n}\n`);
    try {
      const result = await build('I2 default build with a broken test', dir, { tag: `${image}:broken`, allowFail: true, secrets }, ctx);
      assert.notEqual(result.exitCode, 0, 'the default build passed with a failing test');
      assert.match(result.output, /--- FAIL: TestE2EDeliberatelyBroken/, `the build failed, but not in the tests:\n${tail(result.output, 15)}`);
      return `default build exited ${result.exitCode} at the failing test`;
    } finally {
      writeFileSync(file, original);
    }
  });

  await check(t, 'sizes', 'sizes: runtime image next to the builder', async () => {
    assert.ok(built, 'needs the runtime image');
    await build('builder stage', dir, { tag: `${image}:builder`, target: 'builder', timestamp: EPOCH, secrets }, ctx);
    const runtime = await imageIds(`${image}:a`, ctx);
    const builder = await imageIds(`${image}:builder`, ctx);
    return `runtime ${mib(runtime.size)}, builder stage ${mib(builder.size)}`;
  });

  await t.test('D6: a go.sum whose hash does not match the module fails the build', async () => {
    const file = join(dir, 'go.sum');
    const original = readFileSync(file, 'utf8');
    // Flip the module zip's h1: hash (the first line), keep the go.mod line.
    const lines = original.split('\n');
    lines[0] = lines[0]!.replace(/h1:(.)/, (_, c: string) => `h1:${c === 'A' ? 'B' : 'A'}`);
    writeFileSync(file, lines.join('\n'));
    try {
      const result = await build('D6 build with a tampered go.sum', dir, { target: 'builder', allowFail: true, secrets }, ctx);
      assert.notEqual(result.exitCode, 0, 'the build passed with a tampered go.sum');
      assert.match(result.output, /checksum mismatch|SECURITY ERROR/i, tail(result.output, 10));
      report.notes.push(`D6: a tampered go.sum hash failed the builder stage (${/SECURITY ERROR/.test(result.output) ? 'SECURITY ERROR, ' : ''}checksum mismatch)`);
    } finally {
      writeFileSync(file, original);
    }
  });

  rmSync(netrc, { force: true });
  for (const tag of ['cold', 'a', 'b', 'rebuild', 'broken', 'builder']) await podman('rmi', ['rmi', '-f', `${image}:${tag}`], ctx, { allowFail: true });
});

// Control: the I4 scan finds a Go toolchain where there is one, so its pass above means something.
test('control: the Go leftovers scan finds the toolchain in the builder image', { skip: !isRoot && 'needs root', timeout: 5 * MINUTE }, async () => {
  const found = await withMountedImage(`localhost/e2e/go-builder:${key}`, ctx, (root) => goLeftovers(root));
  assert.ok(found.includes('usr/bin/go'), `the scan missed usr/bin/go: ${found.slice(0, 5).join(', ')}`);
});

// The CA bundle is what makes the proxy work: without it the same build fails TLS verification.
test('without the CA bundle, the build fails at the module proxy with a TLS error', { skip: !isRoot && 'needs root', timeout: 20 * MINUTE }, async () => {
  // A second proxy: a module version the module cache mount has never seen, so the build must fetch.
  await sleep(1100);
  const fresh = await startGoProxy(PKI);
  try {
    const dir = join(WORK, 'svc-go-no-ca');
    await generate(dir, { certBundle: 'none', proxyUrl: fresh.url });
    assert.doesNotMatch(readFileSync(join(dir, 'Dockerfile'), 'utf8'), /cert-bundle/);
    writeFileSync(join(dir, 'internal', 'server', 'greeting.go'), `package server\n\nimport "${fresh.module}"\n\n// Greeting comes from the proxy.\nfunc Greeting() string { return greet.Hello() }\n`);
    // Lock by hand, trusting the test CA (the printed command has no CA mount without a bundle).
    const builder = readFileSync(join(dir, 'Dockerfile'), 'utf8').match(/^FROM (\S+) AS builder$/m)![1]!;
    await run('lock the no-CA project', join(SHIM, 'docker'), ['run', '--rm', '-v', `${dir}:/src`, '-w', '/src', '-e', `GOPROXY=${fresh.url}`, '-e', `GONOSUMDB=${fresh.module}`,
      '-v', `${PKI.ca}:/etc/ssl/certs/org-ca.pem:ro`, '-e', 'SSL_CERT_FILE=/etc/ssl/certs/org-ca.pem', builder, 'go', 'mod', 'tidy'], { timeout: 10 * MINUTE, env: ctx.env });
    assert.match(readFileSync(join(dir, 'go.sum'), 'utf8'), new RegExp(fresh.version));
    const result = await build('build without the CA bundle', dir, { target: 'builder', allowFail: true }, ctx);
    assert.notEqual(result.exitCode, 0, 'the build passed without the CA: the proxy was not verified against it?');
    assert.match(result.output, /go mod download/);
    assert.match(result.output, /x509: certificate signed by unknown authority|tls: failed to verify certificate/, tail(result.output, 10));
    report.notes.push('--cert-bundle none: `go mod download` failed with "x509: certificate signed by unknown authority" at the same proxy (the CA bundle is what makes it work; nothing turns verification off)');
  } finally {
    await fresh.close();
  }
});
