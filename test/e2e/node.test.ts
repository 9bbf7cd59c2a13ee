// Issue 5, Node.js: generate the service per manager with the real CLI against a local TLS registry
// and a local TLS npm mirror (pass-through to the public registry, the only one reachable here),
// lock it inside the stand-in builder image with the printed command, then build, gate, run and
// inspect it as an image (I1-I7). Needs root; provisions with scripts/e2e/provision-node.sh, cached
// in .cache/e2e-node/. Writes e2e-report-node.md and prints it. Run: node --import tsx --test test/e2e/node.test.ts
//
// The stand-ins carry Debian trixie's Node.js 20.19 (builder: nodejs + npm 9.2; runtime: nodejs and
// its libraries only). The wizard offers Node.js 24/22/26 on node:NN-trixie-slim and distroless
// nodejsNN-debian13; the suite generates for 24 (types, engines) and overrides both images with the
// Node.js 20 stand-ins, so builder and runtime still match each other.
import { after, before, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { node } from '../../src/languages/node/index.ts';
import { run, tail } from './lib/exec.ts';
import { build, cachedSteps, containersEnv, imageIds, podman, type BuildStep, type Env } from './lib/containers.ts';
import { startNpmMirror, type NpmMirror } from './lib/npm-mirror.ts';
import { freePort, startRegistry, type Registry } from './lib/registry.ts';
import { explainDifference, findSecret, forbiddenNodeContents, withMountedImage } from './lib/inspect.ts';
import { Report, type Column } from './lib/report.ts';
import { check as reportCheck, httpStatus, inImageCommand, mib, nodeOnlyPath, provisionTimings, pruneImages, seconds } from './lib/suite.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CACHE = join(ROOT, '.cache', 'e2e-node');
const WORK = join(CACHE, 'run');
const BIN = join(ROOT, 'bin', 'create-hardened-service.js');
const SHIM = join(ROOT, 'scripts', 'e2e', 'bin');
const PKI = { ca: join(CACHE, 'pki', 'ca.crt'), cert: join(CACHE, 'pki', 'server.crt'), key: join(CACHE, 'pki', 'server.key') };
const MANAGERS = (process.env.E2E_NODE_MANAGERS ?? 'npm,pnpm').split(',');
const EPOCH = 1735689600; // SOURCE_DATE_EPOCH for the reproducibility builds (2025-01-01)
const MINUTE = 60_000;
const IMAGES = { builder: 'base/node:20-trixie-slim', runtime: 'base/distroless/nodejs20-debian13:nonroot' };

const report = new Report();
const stops: (() => Promise<unknown>)[] = [];
let ctx: Env;
let key = '';
let mirror: NpmMirror;
let registry: Registry;

const isRoot = process.getuid?.() === 0;
const started = Date.now();

before(async () => {
  if (!isRoot) return;
  const provision = await run('provision (scripts/e2e/provision-node.sh)', 'bash', [join(ROOT, 'scripts', 'e2e', 'provision-node.sh'), CACHE], {
    timeout: 30 * MINUTE,
    loud: true,
  });
  report.timings.push(...provisionTimings(provision.output, provision.ms));
  key = readFileSync(join(CACHE, 'key'), 'utf8').trim();
  // buildah keeps cache mounts under TMPDIR: the suite's own, so other builds on the machine neither
  // feed nor disturb it (and a fresh one proves a build reached the mirror, see freshCaches).
  const base = containersEnv(CACHE);
  mkdirSync(join(CACHE, 'tmp'), { recursive: true });
  ctx = { env: { ...base.env, TMPDIR: join(CACHE, 'tmp') } };
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });

  mirror = await startNpmMirror(PKI);
  stops.push(() => mirror.close());
  registry = await startRegistry(WORK, join(CACHE, 'registry'), PKI, readFileSync(PKI.ca));
  stops.push(() => registry.stop());
  stops.push(() => pruneImages(registry.host, ctx));
  const pushes: [string, string][] = [
    [`localhost/e2e/node-builder:${key}`, IMAGES.builder],
    [`localhost/e2e/node-runtime:${key}`, IMAGES.runtime],
    [`localhost/e2e/ca-bundle:${key}`, `base/ca-bundle:${key}`],
  ];
  for (const [local, remote] of pushes) {
    await run(`push ${remote}`, 'buildah', ['push', '--quiet', local, `docker://${registry.host}/${remote}`], { timeout: 5 * MINUTE, env: ctx.env });
  }
  report.notes.push("stand-ins: Debian trixie's Node.js 20.19 in builder (with npm 9.2) and runtime; generated for Node.js 24 (types, engines) with both images overridden to the stand-ins");
});

after(async () => {
  for (const stop of stops.reverse()) await stop().catch((error) => console.error(`cleanup: ${(error as Error).message}`));
  if (!isRoot) return;
  report.notes.push(`suite time ${Math.round((Date.now() - started) / 1000)} s`);
  const text = report.markdown(`# Node.js e2e report (${new Date().toISOString()})`);
  writeFileSync(join(ROOT, 'e2e-report-node.md'), text);
  console.log(`\n${text}`);
});

/** Run the CLI the way a user does, with a PATH that has node but no npm: the lock falls back. */
async function generate(dir: string, manager: string, extra: string[] = []) {
  const nodeOnly = nodeOnlyPath(WORK);
  const args = [BIN, dir, '--yes', '--no-git', '--language', 'node', '--manager', manager, '--runtime-version', '24'];
  args.push('--registry', `${registry.host}/base`, '--builder-image', `${registry.host}/${IMAGES.builder}`, '--runtime-image', `${registry.host}/${IMAGES.runtime}`);
  args.push('--cert-bundle', `${registry.host}/base/ca-bundle:${key}`, '--index-url', mirror.url, '--ci', 'none', ...extra);
  return run(`generate ${manager}`, process.execPath, args, { timeout: 2 * MINUTE, env: { PATH: nodeOnly, NO_COLOR: '1', NODE_EXTRA_CA_CERTS: PKI.ca } });
}

/**
 * Dependency work, which a src/ change must take from the cache: every step of the stages before
 * the test stage, and the test stage's steps before it copies the gates' configuration.
 */
function dependencySteps(steps: BuildStep[]): BuildStep[] {
  const copy = steps.find((step) => /^COPY (?!--from)(tsconfig|test\/|src\/)/.test(step.step));
  assert.ok(copy, 'the build copied no configuration or source');
  const before = steps.filter((step) => step.stage < copy.stage || (step.stage === copy.stage && steps.indexOf(step) < steps.indexOf(copy)));
  return before.filter((step) => !/^FROM /.test(step.step));
}

/**
 * The suite's env with empty cache mounts: npm's and pnpm's caches would otherwise serve every
 * package of a complete lock without a request, and prove nothing about the mirror, TLS or tokens.
 */
function freshCaches(name: string): Env {
  const tmp = join(WORK, `tmp-${name}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  return { env: { ...ctx.env, TMPDIR: tmp } };
}

const check = (t: TestContext, row: string, column: Column, name: string, fn: () => Promise<string>, requires: Column[] = ['lock']) =>
  reportCheck(t, report, row, column, name, fn, requires);

for (const manager of MANAGERS) {
  test(`node/${manager}: the generated service builds, gates, runs and ships clean`, { skip: !isRoot && 'needs root (buildah, podman)', timeout: 60 * MINUTE }, async (t) => {
    const row = `node/${manager}`;
    const dir = join(WORK, `svc-${manager}`);
    const image = `localhost/e2e-node-${manager}`;
    let built = false;
    let builtB = false;
    let authorized = { authorized: 0, refused: 0, served: 0 };
    const token = `e2e-npm-token-${Math.random().toString(36).slice(2)}-${Date.now()}`;

    await check(t, row, 'lock', 'generate with the real CLI and lock inside the builder image through the TLS mirror', async () => {
      const generated = await generate(dir, manager);
      const bases = [...readFileSync(join(dir, 'Dockerfile'), 'utf8').matchAll(/^FROM (\S+)/gm)].map((m) => m[1]!).filter((ref) => ref.includes('/'));
      assert.equal(bases.length, 3, `expected cert-bundle, builder and runtime images in FROM lines: ${bases.join(', ')}`);
      assert.deepEqual(bases.filter((ref) => !/@sha256:[0-9a-f]{64}$/.test(ref)), [], 'base images the CLI did not pin by digest');
      const command = inImageCommand(generated.output);
      await run(`lock ${manager} in the builder image`, 'bash', ['-c', command], {
        cwd: dir,
        timeout: 15 * MINUTE,
        env: { ...ctx.env, PATH: `${SHIM}:${process.env.PATH}`, CA_BUNDLE: PKI.ca },
      });
      const files = node.managers.find((m) => m.value === manager)!.lockFiles;
      for (const file of files) assert.ok(existsSync(join(dir, file)), `${file} was not written by the lock step`);
      report.notes.push(`${manager} locked with the generator's printed command: ${command}`);
      return "the generator's in-image command through the mirror (CA via its CA_BUNDLE mount); 3 base images pinned by digest";
    }, []);

    await check(t, row, 'I5 rebuild', 'I5: a one-line change in src/ reuses every dependency layer', async () => {
      const cold = await build('I5 cold build', dir, { tag: `${image}:cold` }, ctx);
      const main = join(dir, 'src', 'main.ts');
      const original = readFileSync(main, 'utf8');
      appendFileSync(main, '// e2e: a one-line change\n');
      try {
        const result = await build('I5 rebuild after a one-line change', dir, { tag: `${image}:rebuild` }, ctx);
        const steps = cachedSteps(result.output);
        const rebuilt = dependencySteps(steps).filter((step) => !step.cached);
        assert.deepEqual(rebuilt.map((s) => s.step.slice(0, 100)), [], 'dependency steps ran again instead of coming from the cache');
        const ran = steps.filter((step) => !step.cached && !/^FROM /.test(step.step)).length;
        return `cold ${seconds(cold.ms)}, rebuild ${seconds(result.ms)} (${ran} of ${steps.length} steps ran: source, gates, compile, runtime copies)`;
      } finally {
        writeFileSync(main, original);
      }
    });

    await check(t, row, 'I1 test target', 'I1: --target test passes on the project as generated', async () => {
      const result = await build('I1 --target test', dir, { target: 'test', noCache: true }, ctx);
      const passed = Number(/ℹ pass (\d+)/.exec(result.output)?.[1] ?? 0);
      assert.ok(passed > 0, `the test stage passed but node's test runner reported no passing test:\n${tail(result.output, 15)}`);
      assert.match(result.output, /ℹ fail 0/);
      return `tsc, prettier, eslint, ${passed} tests passed (${seconds(result.ms)}, no cache)`;
    });

    await check(t, row, 'I6 reproducible', 'I6: two clean builds with the same SOURCE_DATE_EPOCH give the same image', async () => {
      const buildArgs = { BUILD_DATE: new Date(EPOCH * 1000).toISOString().replace('.000', '') };
      await build('I6 build A (open mirror)', dir, { tag: `${image}:a`, noCache: true, timestamp: EPOCH, buildArgs }, ctx);
      built = true;
      // Build B reads the mirror with the token from the npmrc build secret, the mirror demanding it (I7).
      mirror.requireToken(token);
      mirror.resetCounts();
      const npmrc = join(WORK, `npmrc-${manager}`);
      writeFileSync(npmrc, `//localhost:${mirror.port}/:_authToken=${token}\n`, { mode: 0o600 });
      try {
        await build('I6/I7 build B (mirror requires the npmrc secret)', dir, { tag: `${image}:b`, noCache: true, timestamp: EPOCH, buildArgs, secrets: [`id=npmrc,src=${npmrc}`] }, freshCaches(`b-${manager}`));
        builtB = true;
      } finally {
        mirror.requireToken(null);
        rmSync(npmrc, { force: true });
      }
      authorized = mirror.counts();
      const [ia, ib] = [await imageIds(`${image}:a`, ctx), await imageIds(`${image}:b`, ctx)];
      if (ia.id !== ib.id) assert.fail(`image IDs differ: ${await explainDifference(`${image}:a`, `${image}:b`, join(WORK, 'diff'), ctx)}`);
      return `same image ID ${ia.id.slice(0, 12)} (B with the npmrc secret and empty npm caches, A without)`;
    });

    await check(t, row, 'I7 secret', 'I7: the registry token passed as a build secret is in no layer and no history', async () => {
      assert.ok(builtB, 'needs image b from the I6 builds');
      assert.ok(authorized.authorized > 0, `the mirror saw no authenticated request during build B (${JSON.stringify(authorized)}): the secret was not used`);
      assert.equal(authorized.refused, 0, 'the mirror refused requests during build B');
      const found = await findSecret(`${image}:b`, token, join(WORK, `save-${manager}`), ctx);
      rmSync(join(WORK, `save-${manager}`), { recursive: true, force: true });
      assert.deepEqual(found.hits, [], `the token is in: ${found.hits.join(', ')}`);
      return `${authorized.authorized} authenticated mirror requests; token in none of ${found.searched} layer/config/history texts`;
    });

    await check(t, row, 'I3 run', 'I3: runs read-only, caps dropped, as non-root; answers /healthz; stops on SIGTERM in 2 s', async () => {
      assert.ok(built, 'needs the runtime image');
      const port = await freePort();
      const name = `e2e-run-node-${manager}-${process.pid}`;
      await podman('run', ['run', '-d', '--name', name, '--read-only', '--cap-drop', 'ALL', '--network', 'host', '-e', `PORT=${port}`, '-e', 'HOST=127.0.0.1', `${image}:a`], ctx);
      try {
        let status = 0;
        const deadline = Date.now() + 20_000;
        while (Date.now() < deadline && status !== 200) {
          status = await httpStatus(port, '/healthz').catch(() => 0);
          if (status !== 200) await sleep(200);
        }
        const logs = async () => tail((await podman('logs', ['logs', name], ctx, { allowFail: true })).output, 10);
        assert.equal(status, 200, `/healthz did not answer 200 within 20 s; logs:\n${await logs()}`);
        const pid = (await podman('inspect pid', ['inspect', '--format', '{{.State.Pid}}', name], ctx)).stdout.trim();
        const uids = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^Uid:\s+(.*)$/m)![1]!.split(/\s+/).map(Number);
        assert.ok(uids.every((uid) => uid !== 0), `process runs with uids ${uids.join(',')}`);
        const comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
        const stoppedAt = Date.now();
        await podman('stop', ['stop', '-t', '10', name], ctx, { timeout: 30_000 });
        const stopMs = Date.now() - stoppedAt;
        const exit = (await podman('inspect exit', ['inspect', '--format', '{{.State.ExitCode}}', name], ctx)).stdout.trim();
        assert.ok(stopMs < 2000, `stop took ${stopMs} ms (SIGTERM not handled?)`);
        assert.equal(exit, '0', `exit code after SIGTERM ${exit}; logs:\n${await logs()}`);
        const log = await logs();
        assert.match(log, /"message":"stopping","signal":"SIGTERM"/, 'the service logged the SIGTERM on stdout');
        return `uid ${uids[0]}, PID 1 is ${comm}, /healthz 200, stopped in ${stopMs} ms with exit 0`;
      } finally {
        await podman('rm', ['rm', '-f', name], ctx, { allowFail: true });
      }
    });

    await check(t, row, 'I4 contents', 'I4: no shell, npm, pnpm, TypeScript, dev dependencies or tests in the runtime image', async () => {
      assert.ok(built, 'needs the runtime image');
      const found = await withMountedImage(`${image}:a`, ctx, (root) => {
        assert.ok(existsSync(join(root, 'app', 'dist', 'main.js')), 'the compiled service is in /app/dist');
        return forbiddenNodeContents(root);
      });
      assert.deepEqual(found, [], `found in the runtime image: ${found.join(', ')}`);
      return 'clean: /app has package.json, node_modules (production only), dist/ and the gates marker';
    });

    await check(t, row, 'I2 broken test fails', 'I2: after breaking one test, the default build fails', async () => {
      const file = join(dir, 'test', 'app.test.ts');
      const original = readFileSync(file, 'utf8');
      appendFileSync(file, "\ntest('e2e deliberately broken', () => {\n  assert.equal(1 + 1, 3);\n});\n");
      try {
        const result = await build('I2 default build with a broken test', dir, { tag: `${image}:broken`, allowFail: true }, ctx);
        assert.notEqual(result.exitCode, 0, 'the default build passed with a failing test');
        assert.match(result.output, /e2e deliberately broken/, `the build failed, but not in the tests:\n${tail(result.output, 15)}`);
        return `default build exited ${result.exitCode} at the failing test`;
      } finally {
        writeFileSync(file, original);
      }
    });

    await check(t, row, 'sizes', 'sizes: runtime image next to the builder', async () => {
      assert.ok(built, 'needs the runtime image');
      await build('builder stage', dir, { tag: `${image}:builder`, target: 'builder', timestamp: EPOCH }, ctx);
      const runtime = await imageIds(`${image}:a`, ctx);
      const builder = await imageIds(`${image}:builder`, ctx);
      return `runtime ${mib(runtime.size)}, builder stage ${mib(builder.size)}`;
    });

    for (const tag of ['cold', 'a', 'b', 'rebuild', 'broken', 'builder']) await podman('rmi', ['rmi', '-f', `${image}:${tag}`], ctx, { allowFail: true });
  });
}

test('node: without the CA bundle, the build fails at the mirror with a TLS error', { skip: !isRoot && 'needs root', timeout: 20 * MINUTE }, async () => {
  const manager = MANAGERS[0]!;
  const dir = join(WORK, 'svc-no-ca');
  await generate(dir, manager, ['--cert-bundle', 'none']);
  for (const file of node.managers.find((m) => m.value === manager)!.lockFiles) {
    const locked = join(WORK, `svc-${manager}`, file);
    assert.ok(existsSync(locked), `needs the ${manager} project's lock`);
    copyFileSync(locked, join(dir, file));
  }
  // --target test: the test stage installs the dev dependencies, so it must reach the mirror.
  const result = await build('build without the CA bundle', dir, { target: 'test', allowFail: true }, freshCaches('no-ca'));
  assert.notEqual(result.exitCode, 0, 'the build passed without the CA: the mirror was not verified against it?');
  const steps = cachedSteps(result.output);
  const last = steps[steps.length - 1]?.step ?? '';
  assert.match(last, /npm ci|pnpm install|npm install --global/, `the build failed at "${last}", not at an install from the mirror`);
  assert.match(result.output, /UNABLE_TO_VERIFY_LEAF_SIGNATURE|unable to verify the first certificate|SELF_SIGNED_CERT|certificate/i, `no TLS error in:\n${tail(result.output, 15)}`);
  report.notes.push(`--cert-bundle none: the build failed at \`${last.split('\n').pop()?.trim().slice(0, 80)}\` with a TLS verification error (the CA bundle is what makes the mirror work)`);
});
