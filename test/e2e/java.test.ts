// Issue 5 (Java): generate the Maven service with the real CLI against a local TLS registry and a
// local TLS Maven mirror, then build, gate, run and inspect it as an image (I1-I7). Maven Central
// cannot be reached here: the mirror serves Debian trixie's packaged plugins and JUnit, and a preset
// pins the versions Debian ships. Needs root; provisions what it needs (scripts/e2e/provision-java.sh,
// cached in .cache/e2e-java/). Writes e2e-report-java.md (and prints it). Run: node --import tsx --test test/e2e/java.test.ts
import { after, before, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { run, tail } from './lib/exec.ts';
import { build, cachedSteps, containersEnv, imageIds, podman, type BuildStep, type Env } from './lib/containers.ts';
import { servedVersions, startMavenMirror, type MavenMirror } from './lib/maven-mirror.ts';
import { freePort, startRegistry, type Registry } from './lib/registry.ts';
import { explainDifference, findSecret, forbiddenContents, javaLeftovers, withMountedImage } from './lib/inspect.ts';
import { Report, type Column } from './lib/report.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CACHE = join(ROOT, '.cache', 'e2e-java');
const WORK = join(CACHE, 'run');
const BIN = join(ROOT, 'bin', 'create-hardened-service.js');
const PKI = { ca: join(CACHE, 'pki', 'ca.crt'), cert: join(CACHE, 'pki', 'server.crt'), key: join(CACHE, 'pki', 'server.key') };
const NAME = 'billing-api';
const ROW = 'java/maven';
const EPOCH = 1735689600; // SOURCE_DATE_EPOCH for the reproducibility builds (2025-01-01)
const MINUTE = 60_000;

const report = new Report();
const stops: (() => Promise<unknown>)[] = [];
let ctx: Env;
let key = '';
let mirror: MavenMirror;
let registry: Registry;
let preset = '';

const isRoot = process.getuid?.() === 0;
const started = Date.now();

before(async () => {
  if (!isRoot) return;
  // 1. Provision (cached): tools, CA, stand-in images, the mirror's files.
  const provision = await run('provision (scripts/e2e/provision-java.sh)', 'bash', [join(ROOT, 'scripts', 'e2e', 'provision-java.sh'), CACHE], {
    timeout: 40 * MINUTE,
    loud: true,
  });
  for (const line of provision.output.split('\n')) {
    const step = line.match(/^provision: (?!ready|cache key)(\S.*)$/)?.[1];
    const done = line.match(/^provision:\s+done in (\d+) s/)?.[1];
    if (done && report.timings.length) report.timings.push(`${report.timings.pop()} — ${done} s`);
    else if (step) report.timings.push(step);
  }
  report.timings.push(`provisioning total ${Math.round(provision.ms / 1000)} s`);
  key = readFileSync(join(CACHE, 'key'), 'utf8').trim();
  ctx = containersEnv(CACHE);
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });

  // 2. The Maven mirror and the registry on 127.0.0.1, both over TLS with the test CA.
  mirror = await startMavenMirror(join(CACHE, 'maven-repo'), PKI);
  stops.push(() => mirror.close());
  registry = await startRegistry(WORK, join(CACHE, 'registry'), PKI, readFileSync(PKI.ca));
  stops.push(() => registry.stop());
  const pushes: [string, string][] = [
    [`localhost/e2e/java-builder:${key}`, 'base/maven:3.9-amazoncorretto-21-debian-trixie'],
    [`localhost/e2e/java-runtime:${key}`, 'base/distroless/java21-debian13:nonroot'],
    [`localhost/e2e/ca-bundle:${key}`, `base/ca-bundle:${key}`],
  ];
  stops.push(() => pruneImages(registry.host));
  for (const [local, remote] of pushes) {
    await run(`push ${remote}`, 'buildah', ['push', '--quiet', local, `docker://${registry.host}/${remote}`], { timeout: 5 * MINUTE, env: ctx.env });
  }

  // 3. A preset pinning the pom's plugins and JUnit to what the mirror serves.
  const versions = servedVersions(join(CACHE, 'maven-repo'));
  preset = join(WORK, 'preset.json');
  writeFileSync(preset, JSON.stringify({ description: 'e2e: Maven plugins and JUnit as Debian trixie ships them', versions }, null, 2));
  report.notes.push(`preset versions (Debian trixie's packages): ${Object.entries(versions).map(([t, v]) => `${t} ${v}`).join(', ')}`);
  report.notes.push('stand-ins: builder = trixie + openjdk-21-jdk-headless + maven (for maven:3.9-amazoncorretto-21-debian-trixie); runtime = trixie + openjdk-21-jre-headless, no shell/apt/dpkg, user 65532 (for distroless java21-debian13)');
});

after(async () => {
  for (const stop of stops.reverse()) await stop().catch((error) => console.error(`cleanup: ${(error as Error).message}`));
  if (!isRoot) return;
  report.notes.push(`suite time ${Math.round((Date.now() - started) / 1000)} s`);
  const text = report.markdown(`# e2e report, Java (${new Date().toISOString()})`);
  writeFileSync(join(ROOT, 'e2e-report-java.md'), text);
  console.log(`\n${text}`);
});

/** Drop this run's pulls (their names carry the registry's port) and the layers the builds cached. */
async function pruneImages(registryHost: string) {
  await run('buildah rm --all', 'buildah', ['rm', '--all'], { timeout: 2 * MINUTE, env: ctx.env, allowFail: true });
  const names = (await podman('images', ['images', '--format', '{{.Repository}}:{{.Tag}}'], ctx)).stdout.split('\n');
  const pulled = names.filter((name) => name.startsWith(`${registryHost}/`));
  if (pulled.length) await podman('rmi pulled', ['rmi', '-f', ...pulled], ctx, { allowFail: true });
  await podman('prune', ['image', 'prune', '-f'], ctx, { timeout: 5 * MINUTE, allowFail: true });
}

/** Run the CLI the way a user does, with a PATH that has node only (no mvn: nothing to lock anyway). */
async function generate(dir: string, extra: string[] = []) {
  const nodeOnly = join(WORK, 'node-only-bin');
  if (!existsSync(nodeOnly)) {
    mkdirSync(nodeOnly, { recursive: true });
    symlinkSync(process.execPath, join(nodeOnly, 'node'));
  }
  const args = [BIN, dir, '--yes', '--no-git', '--language', 'java', '--name', NAME, '--registry', `${registry.host}/base`];
  args.push('--cert-bundle', `${registry.host}/base/ca-bundle:${key}`, '--index-url', mirror.url, '--preset', preset, '--ci', 'none', ...extra);
  return run('generate java', process.execPath, args, { timeout: 2 * MINUTE, env: { PATH: nodeOnly, NO_COLOR: '1', NODE_EXTRA_CA_CERTS: PKI.ca } });
}

function httpStatus(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = get({ host: '127.0.0.1', port, path, timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

/** Surefire's closing summary (the last "Tests run:" line without a class name). */
function surefireSummary(output: string): string | undefined {
  return [...output.matchAll(/Tests run: (\d+), Failures: (\d+), Errors: (\d+), Skipped: (\d+)\s*$/gm)].at(-1)?.[0];
}

/**
 * Steps that must come from the cache after a change to src/ only, but did not: in each stage, every
 * step before the stage's first COPY of sources from the context. FROM aside, and the copies of what
 * the source makes (the gates' marker, the jar): those are meant to follow a code change.
 */
function rebuiltDependencySteps(steps: BuildStep[]): BuildStep[] {
  const rebuilt: BuildStep[] = [];
  for (const stage of new Set(steps.map((step) => step.stage))) {
    const inStage = steps.filter((step) => step.stage === stage);
    const source = inStage.findIndex((step) => /^COPY (?!--from)\S*src\//.test(step.step));
    const before = source === -1 ? inStage : inStage.slice(0, source);
    rebuilt.push(...before.filter((step) => !step.cached && !/^FROM |^COPY --from=(test|package) /.test(step.step)));
  }
  return rebuilt;
}

async function check(t: TestContext, column: Column, name: string, fn: () => Promise<string>, requires: Column[] = ['lock']) {
  await t.test(name, async () => {
    try {
      const failed = requires.filter((needed) => report.rows.get(ROW)?.[needed]?.status !== 'pass');
      if (failed.length) throw new Error(`not run: needs ${failed.join(', ')}, which did not pass`);
      report.pass(ROW, column, await fn());
    } catch (error) {
      report.fail(ROW, column, (error as Error).message.split('\n', 1)[0]!.slice(0, 200));
      throw error;
    }
  });
}

test('java/maven: the generated service builds, gates, runs and ships clean', { skip: !isRoot && 'needs root (buildah, podman)', timeout: 60 * MINUTE }, async (t) => {
  const dir = join(WORK, 'svc-java');
  const image = 'localhost/e2e-svc-java';
  let built = false;
  let builtB = false;
  let authorized = { authorized: 0, refused: 0, served: 0 };
  const secretPassword = `e2e-secret-${Math.random().toString(36).slice(2)}-${Date.now()}`;

  await check(t, 'lock', 'generate with the real CLI (Maven: no lock file, the pom pins every version)', async () => {
    const generated = await generate(dir);
    const bases = [...readFileSync(join(dir, 'Dockerfile'), 'utf8').matchAll(/^FROM (\S+)/gm)].map((m) => m[1]!).filter((ref) => ref.includes('/'));
    assert.equal(bases.length, 3, `expected cert-bundle, builder and runtime images in FROM lines: ${bases.join(', ')}`);
    assert.deepEqual(bases.filter((ref) => !/@sha256:[0-9a-f]{64}$/.test(ref)), [], 'base images the CLI did not pin by digest');
    assert.ok(existsSync(join(dir, '.mvn', 'settings.xml')), 'the mirror settings were written');
    assert.ok(!existsSync(join(dir, 'pom.lock')) && /Wrote \d+ files/.test(generated.output));
    return 'no lock step (Maven has none); the 3 base images pinned by digest; mirror in .mvn/settings.xml';
  }, []);

  await check(t, 'I5 rebuild', 'I5: a one-line change in src/ reuses every dependency layer', async () => {
    const cold = await build('I5 cold build', dir, { tag: `${image}:cold` }, ctx);
    const main = join(dir, 'src', 'main', 'java', 'service', 'Main.java');
    const original = readFileSync(main, 'utf8');
    writeFileSync(main, `${original}// e2e: a one-line change\n`);
    try {
      const result = await build('I5 rebuild after a one-line change', dir, { tag: `${image}:rebuild` }, ctx);
      const steps = cachedSteps(result.output);
      assert.ok(steps.some((step) => step.cached), `buildah reported no cached step:\n${tail(result.output, 20)}`);
      const rebuilt = rebuiltDependencySteps(steps);
      assert.deepEqual(rebuilt.map((s) => s.step.slice(0, 100)), [], 'dependency steps ran again instead of coming from the cache');
      const ran = steps.filter((step) => !step.cached && !/^FROM /.test(step.step)).length;
      return `cold ${seconds(cold.ms)}, rebuild ${seconds(result.ms)}, ratio ${(result.ms / cold.ms).toFixed(2)}; ${ran} of ${steps.length} steps ran`;
    } finally {
      writeFileSync(main, original);
    }
  });

  await check(t, 'I1 test target', 'I1: --target test passes on the project as generated', async () => {
    const result = await build('I1 --target test', dir, { target: 'test', noCache: true }, ctx);
    const summary = surefireSummary(result.output);
    assert.ok(summary && !/Tests run: 0,/.test(summary) && /Failures: 0, Errors: 0/.test(summary), `no passing surefire summary:\n${tail(result.output, 15)}`);
    assert.match(result.output, /enforcer(-plugin)?:[\d.]+:enforce \(pinned-versions\)/);
    return `enforcer, javac -Werror, surefire: ${summary} (${seconds(result.ms)}, no layer cache)`;
  });

  await check(t, 'I6 reproducible', 'I6: two clean builds with the same SOURCE_DATE_EPOCH give the same image', async () => {
    const buildArgs = { BUILD_DATE: new Date(EPOCH * 1000).toISOString().replace('.000', '') };
    await build('I6 build A (open mirror)', dir, { tag: `${image}:a`, noCache: true, timestamp: EPOCH, buildArgs }, ctx);
    built = true;
    // Build B: the mirror demands the credentials, which only the build secret carries, and an
    // empty Maven cache mount (buildah keeps those under TMPDIR) so every artifact is fetched again.
    mirror.requireAuth({ user: 'e2e', password: secretPassword });
    mirror.resetCounts();
    const settings = join(WORK, 'maven-settings.xml');
    writeFileSync(settings, `<settings><servers><server><id>mirror</id><username>e2e</username><password>${secretPassword}</password></server></servers></settings>\n`, { mode: 0o600 });
    const tmp = join(WORK, 'tmp-b');
    mkdirSync(tmp, { recursive: true });
    try {
      const ctxB: Env = { env: { ...ctx.env, TMPDIR: tmp } };
      await build('I6/I7 build B (mirror requires the maven-settings secret)', dir, { tag: `${image}:b`, noCache: true, timestamp: EPOCH, buildArgs, secrets: [`id=maven-settings,src=${settings}`] }, ctxB);
      builtB = true;
    } finally {
      mirror.requireAuth(null);
      rmSync(settings, { force: true });
      rmSync(tmp, { recursive: true, force: true });
    }
    authorized = mirror.counts();
    const [ia, ib] = [await imageIds(`${image}:a`, ctx), await imageIds(`${image}:b`, ctx)];
    if (ia.id !== ib.id) assert.fail(`image IDs differ: ${await explainDifference(`${image}:a`, `${image}:b`, join(WORK, 'diff'), ctx)}`);
    return `same image ID ${ia.id.slice(0, 12)} (one build through the authenticated mirror with an empty Maven cache, one without)`;
  });

  await check(t, 'I7 secret', 'I7: the mirror password passed as a build secret is in no layer and no history', async () => {
    assert.ok(builtB, 'needs image b from the I6 builds');
    assert.ok(authorized.authorized > 0, `the mirror saw no authenticated request during build B (${JSON.stringify(authorized)}): the secret was not used`);
    const found = await findSecret(`${image}:b`, secretPassword, join(WORK, 'save-java'), ctx);
    rmSync(join(WORK, 'save-java'), { recursive: true, force: true });
    assert.deepEqual(found.hits, [], `the password is in: ${found.hits.join(', ')}`);
    return `${authorized.authorized} authenticated mirror requests (${authorized.served} files); password in none of ${found.searched} layer/config/history texts`;
  });

  await check(t, 'I3 run', 'I3: runs read-only, caps dropped, as non-root; answers /healthz; stops on SIGTERM in 2 s', async () => {
    assert.ok(built, 'needs the runtime image');
    const port = await freePort();
    const name = `e2e-run-java-${process.pid}`;
    await podman('run', ['run', '-d', '--name', name, '--read-only', '--cap-drop', 'ALL', '--network', 'host', '-e', `PORT=${port}`, '-e', 'HOST=127.0.0.1', `${image}:a`], ctx);
    try {
      let status = 0;
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline && status !== 200) {
        status = await httpStatus(port, '/healthz').catch(() => 0);
        if (status !== 200) await sleep(200);
      }
      const logs = async () => tail((await podman('logs', ['logs', name], ctx, { allowFail: true })).output, 10);
      assert.equal(status, 200, `/healthz did not answer 200 within 30 s; logs:\n${await logs()}`);
      const pid = (await podman('inspect pid', ['inspect', '--format', '{{.State.Pid}}', name], ctx)).stdout.trim();
      const uids = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^Uid:\s+(.*)$/m)![1]!.split(/\s+/).map(Number);
      assert.ok(uids.every((uid) => uid !== 0), `process runs with uids ${uids.join(',')}`);
      const stopStarted = Date.now();
      await podman('stop', ['stop', '-t', '10', name], ctx, { timeout: 30_000 });
      const stopMs = Date.now() - stopStarted;
      const exit = (await podman('inspect exit', ['inspect', '--format', '{{.State.ExitCode}}', name], ctx)).stdout.trim();
      const output = await logs();
      assert.ok(stopMs < 2000, `stop took ${stopMs} ms (SIGTERM not handled?)`);
      // A JVM ended by SIGTERM exits 143 (128 + 15) after its shutdown hooks ran; the log shows the hook.
      assert.equal(exit, '143', `exit code after SIGTERM ${exit}; logs:\n${output}`);
      assert.match(output, /INFO stopped/, `the shutdown hook did not log; logs:\n${output}`);
      return `uid ${uids[0]}, /healthz 200, stopped in ${stopMs} ms by its shutdown hook (JVM exit 143 = SIGTERM)`;
    } finally {
      await podman('rm', ['rm', '-f', name], ctx, { allowFail: true });
    }
  });

  await check(t, 'I4 contents', 'I4: no shell, no JDK tools or Maven, only the jar in /app', async () => {
    assert.ok(built, 'needs the runtime image');
    const found = await withMountedImage(`${image}:a`, ctx, (root) => {
      const bad = [...forbiddenContents(root, 'app'), ...javaLeftovers(root)];
      const app = readdirSync(join(root, 'app'));
      if (app.join(',') !== `${NAME}.jar`) bad.push(`/app holds ${app.join(', ')}`);
      return bad;
    });
    assert.deepEqual(found, [], `found in the runtime image: ${found.join(', ')}`);
    return `clean: /app holds ${NAME}.jar only`;
  });

  await check(t, 'I2 broken test fails', 'I2: after adding a failing test, the default build fails', async () => {
    const broken = join(dir, 'src', 'test', 'java', 'service', 'BrokenTest.java');
    writeFileSync(broken, 'package service;\n\nimport static org.junit.jupiter.api.Assertions.assertEquals;\n\nimport org.junit.jupiter.api.Test;\n\nclass BrokenTest {\n\n    @Test\n    void e2eDeliberatelyBroken() {\n        assertEquals(3, 1 + 1);\n    }\n}\n');
    try {
      const result = await build('I2 default build with a broken test', dir, { tag: `${image}:broken`, allowFail: true }, ctx);
      assert.notEqual(result.exitCode, 0, 'the default build passed with a failing test');
      assert.ok(/e2eDeliberatelyBroken/.test(result.output), `the build failed, but not in the tests:\n${tail(result.output, 15)}`);
      return `default build exited ${result.exitCode} at the failing test`;
    } finally {
      rmSync(broken, { force: true });
    }
  });

  await check(t, 'sizes', 'sizes: runtime image next to the builder', async () => {
    assert.ok(built, 'needs the runtime image');
    await build('builder stage', dir, { tag: `${image}:builder`, target: 'builder', timestamp: EPOCH }, ctx);
    const runtime = await imageIds(`${image}:a`, ctx);
    const builder = await imageIds(`${image}:builder`, ctx);
    return `runtime ${mib(runtime.size)} (JRE ${mib((await imageIds(`localhost/e2e/java-runtime:${key}`, ctx)).size)} of it), builder stage ${mib(builder.size)}`;
  });

  for (const tag of ['cold', 'a', 'b', 'rebuild', 'broken', 'builder']) await podman('rmi', ['rmi', '-f', `${image}:${tag}`], ctx, { allowFail: true });
});

test('java: without the CA bundle, Maven fails at the mirror with a TLS error', { skip: !isRoot && 'needs root', timeout: 20 * MINUTE }, async () => {
  const dir = join(WORK, 'svc-java-no-ca');
  await generate(dir, ['--cert-bundle', 'none']);
  const tmp = join(WORK, 'tmp-no-ca');
  mkdirSync(tmp, { recursive: true });
  try {
    // An empty Maven cache mount, so the resolution step must reach the mirror.
    mirror.resetCounts();
    const result = await build('build without the CA bundle', dir, { target: 'builder', noCache: true, allowFail: true }, { env: { ...ctx.env, TMPDIR: tmp } });
    assert.notEqual(result.exitCode, 0, 'the build passed without the CA: the mirror was not verified against it?');
    // Maven logs the handshake failure at debug level only ("No plugin found for prefix …" is what it
    // says): the mirror's side shows it, handshakes refused and not one file served.
    const seen = mirror.counts();
    assert.match(result.output, /PKIX path building failed|No plugin found for prefix 'dependency'/, `not the mirror step:\n${tail(result.output, 15)}`);
    assert.ok(seen.tlsErrors > 0 && seen.served === 0, `the mirror saw ${JSON.stringify(seen)}: expected refused TLS handshakes and no file served`);
    report.notes.push(`--cert-bundle none: \`mvn dependency:go-offline\` failed; the mirror saw ${seen.tlsErrors} TLS handshakes broken off by the client and served no file (the truststore is what makes the mirror work)`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
