// Issue 10: every language x manager the buildah suites build, built again with Docker Engine
// (Debian's docker.io 20.10, `DOCKER_BUILDKIT=1 docker build`) behind a local TLS registry and the
// same package mirrors: I1-I7, cold and one-line-change rebuild times with the time of each gate,
// sizes, and the `# syntax=` frontend served from the internal registry (never Docker Hub). The
// stand-in images come from the buildah suites' caches (provisioned once, shared); the suite's own
// cache (.cache/e2e-docker, scripts/e2e/docker.sh) adds docker.io, its CA and a Dockerfile frontend
// built from Debian's source. It starts its own dockerd and stops it at the end, even on failure.
// Needs root. Writes e2e-report-docker.md. Run alone: node --import tsx --test test/e2e/docker.test.ts
import { after, before, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { VERSIONS } from '../../src/versions.ts';
import { python } from '../../src/languages/python/index.ts';
import { node } from '../../src/languages/node/index.ts';
import { run, tail } from './lib/exec.ts';
import { containersEnv, type Env } from './lib/containers.ts';
import { docker, dockerBuild, dockerImage, registryAddress, serverCertificate, startDockerd, vertices, type DockerBuildOptions, type Dockerd, type Vertex } from './lib/docker.ts';
import { dependencyRebuilds, gateTimes, instrumentGates, type GateTime } from './lib/docker-build.ts';
import { sameContents, findSecretInSave, exportRoot } from './lib/docker-inspect.ts';
import { normalize, startIndex, type IndexServer } from './lib/index-server.ts';
import { startGoProxy, type GoProxy } from './lib/goproxy.ts';
import { startNpmMirror, type NpmMirror } from './lib/npm-mirror.ts';
import { servedVersions, startMavenMirror, type MavenMirror } from './lib/maven-mirror.ts';
import { freePort, httpsStatus, startRegistry, type Registry } from './lib/registry.ts';
import { forbiddenContents, forbiddenNodeContents, goLeftovers, javaLeftovers, walk } from './lib/inspect.ts';
import { writeHashedRequirements } from './lib/hashed-lock.ts';
import { Report, type Column } from './lib/report.ts';
import { check as reportCheck, httpStatus, inImageCommand, mib, nodeOnlyPath, provisionTimings, seconds } from './lib/suite.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CACHE = join(ROOT, '.cache', 'e2e-docker');
const WORK = join(CACHE, 'run');
const BIN = join(ROOT, 'bin', 'create-hardened-service.js');
const EPOCH = 1735689600; // SOURCE_DATE_EPOCH for the reproducibility builds (2025-01-01)
const MINUTE = 60_000;
const TAG = 'chs-e2e-docker';

/** The buildah suites' caches: their provisioning (shared, run once) and stand-in images. */
const SOURCES = {
  python: { cache: 'e2e', script: 'provision.sh', images: [['python-builder', 'base/python:3.13-slim-trixie'], ['python-runtime', 'base/distroless/python3-debian13:nonroot']] },
  go: { cache: 'e2e-go', script: 'provision-go.sh', images: [['go-builder', 'base/golang:1.24-trixie'], ['go-runtime', 'base/distroless/static-debian13:nonroot']] },
  node: { cache: 'e2e-node', script: 'provision-node.sh', images: [['node-builder', 'base/node:20-trixie-slim'], ['node-runtime', 'base/distroless/nodejs20-debian13:nonroot']] },
  java: { cache: 'e2e-java', script: 'provision-java.sh', images: [['java-builder', 'base/maven:3.9-amazoncorretto-21-debian-trixie'], ['java-runtime', 'base/distroless/java21-debian13:nonroot']] },
} as const;
type Language = keyof typeof SOURCES;

// Gates built per language: what the mirrors here can serve (see the buildah suites' notes).
const PYTHON_GATES = ['typecheck', 'format', 'security', 'test', 'bdd'];
const GO_GATES = ['typecheck', 'format', 'test'];
const JAVA_NAME = 'billing-api';

const report = new Report('service (Docker Engine + BuildKit)');
const stops: (() => Promise<unknown>)[] = [];
const isRoot = process.getuid?.() === 0;
const started = Date.now();
/** One service's rebuild measurements: the cold build, the plain rebuilds, and the median instrumented one. */
interface GateRow {
  row: string;
  cold: number;
  rebuilds: number[];
  /** 1-minute load average before and after: the machine is shared, so the numbers move with it. */
  load: number[];
  timed: { ms: number; run: number; gates: GateTime[]; other: string };
}
const gateRows: GateRow[] = [];

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const loadAverage = () => Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);

/** Where an instrumented rebuild's time went: the gate RUN by command, the other steps, the rest. */
function gateBreakdown(ms: number, steps: Vertex[], labels: string[]): GateRow['timed'] {
  const gates = gateTimes(steps, labels);
  const run = steps.find((step) => step.stage === 'test' && /e2e-gate/.test(step.instruction ?? ''));
  const others = steps.filter((step) => step.stage && !step.cached && step !== run && !/^FROM /.test(step.instruction ?? '') && (step.seconds ?? 0) >= 0.05);
  const otherSeconds = others.reduce((sum, step) => sum + step.seconds!, 0);
  const other = [
    ...others.map((step) => `${step.stage} ${(step.instruction ?? '').split(' ')[0]} ${step.seconds!.toFixed(2)}`),
    `client, context, solver and export ${(ms / 1000 - (run?.seconds ?? 0) - otherSeconds).toFixed(2)}`,
  ].join('; ');
  return { ms, run: run?.seconds ?? 0, gates, other };
}

let engine: Dockerd;
let registry: Registry;
let ctx: Env; // the Docker cache's container storage (buildah pushes the frontend and CA-bundle images from it)
let key = '';
let accessLog = '';
let frontend = ''; // REGISTRY/base/docker/dockerfile:1@sha256:…
let pki = { ca: '', cert: '', key: '' };
let index: IndexServer;
let goProxy: GoProxy;
let npmMirror: NpmMirror;
let mavenMirror: MavenMirror;
const presets: Partial<Record<Language, string>> = {};
const keys: Partial<Record<Language, string>> = {};

before(async () => {
  if (!isRoot) return;
  // 1. Provision: the Docker cache, then the buildah suites' caches (each a no-op when warm).
  const own = await run('provision (scripts/e2e/docker.sh)', 'bash', [join(ROOT, 'scripts', 'e2e', 'docker.sh'), CACHE], { timeout: 30 * MINUTE, loud: true });
  report.timings.push(...provisionTimings(own.output, own.ms).map((line) => `docker: ${line}`));
  for (const [language, source] of Object.entries(SOURCES) as [Language, (typeof SOURCES)[Language]][]) {
    const cache = join(ROOT, '.cache', source.cache);
    const done = await run(`provision ${language} (${source.script})`, 'bash', [join(ROOT, 'scripts', 'e2e', source.script), cache], { timeout: 40 * MINUTE, loud: true });
    report.timings.push(...provisionTimings(done.output, done.ms).map((line) => `${language} (shared with the buildah suite): ${line}`));
    keys[language] = readFileSync(join(cache, 'key'), 'utf8').trim();
  }
  key = readFileSync(join(CACHE, 'key'), 'utf8').trim();
  ctx = containersEnv(CACHE);
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });

  // 2. The registry on a non-loopback address under a host name, trusted through certs.d, then
  //    dockerd (which reads that trust once, at start). Every server uses one certificate.
  const host = await registryAddress(TAG);
  stops.push(async () => host.remove());
  const cert = await serverCertificate(join(CACHE, 'pki'), join(WORK, 'pki'), [host.name, 'localhost', '127.0.0.1', host.address]);
  pki = { ca: join(CACHE, 'pki', 'ca.crt'), ...cert };
  accessLog = join(WORK, 'registry-access.log');
  registry = await startRegistry(WORK, join(CACHE, 'registry'), pki, readFileSync(pki.ca), { listen: { address: host.address, name: host.name }, dockerTrust: true, accessLog });
  stops.push(() => registry.stop());
  engine = await startDockerd(join(WORK, 'docker'), `/run/${TAG}-${process.pid}`);
  stops.push(() => engine.stop());

  // 3. Push the stand-ins (each from its suite's storage), the CA bundle and the frontend.
  const pushes: [Env, string, string][] = [
    [ctx, `localhost/e2e/ca-bundle:${key}`, `base/ca-bundle:${key}`],
    [ctx, `localhost/e2e/dockerfile-frontend:${key}`, 'base/docker/dockerfile:1'],
  ];
  for (const [language, source] of Object.entries(SOURCES) as [Language, (typeof SOURCES)[Language]][]) {
    const suiteEnv: Env = { env: { CONTAINERS_STORAGE_CONF: join(ROOT, '.cache', source.cache, 'storage.conf') } };
    for (const [local, remote] of source.images) pushes.push([suiteEnv, `localhost/e2e/${local}:${keys[language]}`, remote]);
  }
  for (const [env, local, remote] of pushes) {
    await run(`push ${remote}`, 'buildah', ['push', '--quiet', local, `docker://${registry.host}/${remote}`], { timeout: 10 * MINUTE, env: env.env });
  }
  frontend = `${registry.host}/base/docker/dockerfile:1@${await manifestDigest('base/docker/dockerfile', '1')}`;

  // 4. The package mirrors, all over TLS with the suite's CA, and the presets the buildah suites use.
  index = await startIndex(join(ROOT, '.cache', SOURCES.python.cache, 'index'), pki);
  stops.push(() => index.close());
  goProxy = await startGoProxy(pki);
  stops.push(() => goProxy.close());
  npmMirror = await startNpmMirror(pki);
  stops.push(() => npmMirror.close());
  mavenMirror = await startMavenMirror(join(ROOT, '.cache', SOURCES.java.cache, 'maven-repo'), pki);
  stops.push(() => mavenMirror.close());
  const wheels = JSON.parse(readFileSync(join(ROOT, '.cache', SOURCES.python.cache, 'index', 'wheels.json'), 'utf8')) as { name: string; version: string }[];
  const served = new Map(wheels.map((wheel) => [normalize(wheel.name), wheel.version]));
  presets.python = writePreset('python', Object.fromEntries(Object.keys(VERSIONS).filter((tool) => served.has(tool)).map((tool) => [tool, served.get(tool)!])));
  presets.go = writePreset('go', { go: '1.24' });
  presets.java = writePreset('java', servedVersions(join(ROOT, '.cache', SOURCES.java.cache, 'maven-repo')));

  const frontendFrom = readFileSync(join(CACHE, 'frontend', 'built-from.txt'), 'utf8').trim();
  report.notes.push(`engine: ${engine.version}, Debian's client /usr/bin/docker, DOCKER_BUILDKIT=1, --network host (no bridge); dockerd of the suite's own (data and exec roots under the run, --bridge=none --iptables=false)`);
  report.notes.push(`registry: ${registry.host} (${host.address} on lo, name in /etc/hosts) over TLS with the suite's CA in /etc/docker/certs.d: Docker 20.10's BuildKit speaks plain HTTP to loopback registries (a TLS registry on 127.0.0.1 answers 400), so the suite serves it as a company registry is served, under a host name`);
  report.notes.push(`frontend: ${frontend}, built offline from ${frontendFrom}`);
});

after(async () => {
  for (const stop of stops.reverse()) await stop().catch((error) => console.error(`cleanup: ${(error as Error).message}`));
  if (!isRoot) return;
  if (gateRows.length) report.sections.push(gateSection());
  report.notes.push(`suite time ${Math.round((Date.now() - started) / 1000)} s`);
  const text = report.markdown(`# e2e report, Docker Engine + BuildKit (${new Date().toISOString()})`);
  writeFileSync(join(ROOT, 'e2e-report-docker.md'), text);
  console.log(`\n${text}`);
});

function writePreset(language: Language, versions: Record<string, string>): string {
  const file = join(WORK, `preset-${language}.json`);
  writeFileSync(file, JSON.stringify({ description: `e2e (docker): ${language} tools as the local mirrors serve them`, versions }, null, 2));
  return file;
}

/** The registry's digest for a tag (the same call the CLI pins with). */
async function manifestDigest(name: string, tag: string): Promise<string> {
  const accept = ['application/vnd.oci.image.manifest.v1+json', 'application/vnd.docker.distribution.manifest.v2+json', 'application/vnd.oci.image.index.v1+json'].join(', ');
  const answer = await httpsStatus(`https://${registry.host}/v2/${name}/manifests/${tag}`, readFileSync(pki.ca), { Accept: accept }, 'HEAD');
  const digest = answer.headers['docker-content-digest'];
  assert.ok(answer.status === 200 && typeof digest === 'string', `the registry has no ${name}:${tag} (HTTP ${answer.status})`);
  return digest;
}

/**
 * The `# syntax=` line: with --registry the CLI names the frontend mirrored in that registry
 * (issue 10) and pins it by digest, since the suite pushed it there before generating.
 */
function frontendLine(dir: string): string {
  const [first = ''] = readFileSync(join(dir, 'Dockerfile'), 'utf8').split('\n');
  assert.equal(first, `# syntax=${frontend}`, 'line 1 is not the mirrored frontend pinned by digest');
  return 'written by the CLI, pinned by digest';
}

/** A build of a generated project; none may ask Docker Hub for anything. */
async function build(step: string, dir: string, options: DockerBuildOptions) {
  const result = await dockerBuild(step, dir, options, engine);
  assert.doesNotMatch(result.output, /registry-1\.docker\.io|docker\.io\/docker\/dockerfile/, `${step}: the build asked Docker Hub`);
  return result;
}

/**
 * `docker` for the printed lock command: Debian's client on the suite's engine, with the host
 * network added (no bridge here; the mirrors listen on 127.0.0.1). Everything else is as printed.
 */
function dockerShim(): string {
  const dir = join(WORK, 'docker-shim');
  if (!existsSync(join(dir, 'docker'))) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'docker'), `#!/bin/sh\n[ "$1" = run ] || { echo "e2e docker shim: only 'docker run', got: $*" >&2; exit 2; }\nshift\nexec /usr/bin/docker run --network host "$@"\n`);
    chmodSync(join(dir, 'docker'), 0o755);
  }
  return dir;
}

async function runPrinted(step: string, command: string, dir: string) {
  return run(step, 'bash', ['-c', command], {
    cwd: dir,
    timeout: 15 * MINUTE,
    env: { ...engine.env, PATH: `${dockerShim()}:${process.env.PATH}`, CA_BUNDLE: pki.ca },
  });
}

/** What one generated service needs for its checks; the rest is the same for every language. */
interface Service {
  row: string;
  language: Language;
  dir: string;
  image: string;
  args: string[];
  /** Lock (or verify there is nothing to lock) after generating; returns the report text. */
  lock(generated: string): Promise<string>;
  /** The file a one-line change goes to, and change number n (each n a different line). */
  change: { file: string; edit(text: string, n: number): string };
  /** How many one-line-change rebuilds to time (their median is reported). */
  rebuilds: number;
  /** Time each gate of the gate RUN (Java's gate RUN is one `mvn verify`: nothing to split). */
  perGate: boolean;
  /** Break one test; returns the undo. The build must then fail with `broken` in its output. */
  breakTest(): () => void;
  broken: RegExp;
  /** The test stage's output shows tests passing: a summary for the report, or a thrown error. */
  passed(output: string): string;
  forbidden(root: string): string[];
  /** Exit code and log line after SIGTERM, and how long the service may take to answer. */
  stop: { exit: string; log?: RegExp; readyMs: number };
  /** Make the mirror demand a fresh credential: build B's secret arguments, the counts, the undo. */
  protect(): { secret: string; secrets: string[]; counts(): { authorized: number }; undo(): void };
  /** Build secrets every build of this service needs (Go: the proxy asks for the netrc always). */
  secrets: string[];
}

function generateArgs(language: Language, dir: string, extra: string[]): string[] {
  return [BIN, dir, '--yes', '--no-git', '--language', language, '--registry', `${registry.host}/base`, '--cert-bundle', `${registry.host}/base/ca-bundle:${key}`, '--ci', 'none', ...extra];
}

function secretFile(name: string, content: string): string {
  const file = join(WORK, name);
  writeFileSync(file, content, { mode: 0o600 });
  return file;
}

const password = () => `e2e-secret-${Math.random().toString(36).slice(2)}-${Date.now()}`;

function pythonService(manager: string): Service {
  const dir = join(WORK, `python-${manager}`);
  const tests = join(dir, 'tests');
  return {
    row: `python/${manager}`,
    language: 'python',
    dir,
    image: `e2e-docker/python-${manager}`,
    args: ['--manager', manager, '--index-url', index.url, '--preset', presets.python!, '--gates', PYTHON_GATES.join(',')],
    async lock(generated) {
      if (manager === 'pip-tools') {
        const builder = `${registry.host}/${SOURCES.python.images[0][1]}`;
        await writeHashedRequirements(dir, builder, index.url, pki.ca, ctx, (step, args) => docker(step, args, engine, { timeout: 10 * MINUTE }));
        return 'hashed requirements from the index with the builder image\'s pip under Docker (pip-tools is not in Debian)';
      }
      const command = inImageCommand(generated);
      await runPrinted(`lock ${manager}`, command, dir);
      for (const file of python.managers.find((m) => m.value === manager)!.lockFiles) assert.ok(existsSync(join(dir, file)), `${file} was not written`);
      return "the printed in-image command under Docker Engine (docker run, host network added)";
    },
    change: { file: join(dir, 'src', 'main.py'), edit: (text, n) => `${text}# e2e: one-line change ${n}\n` },
    rebuilds: 3,
    perGate: true,
    breakTest() {
      const file = join(tests, readdirSync(tests).filter((name) => /^test_.*\.py$/.test(name)).sort()[0]!);
      const original = readFileSync(file, 'utf8');
      appendFileSync(file, '\n\ndef test_e2e_deliberately_broken() -> None:\n    assert sum([1, 1]) == 3\n');
      return () => writeFileSync(file, original);
    },
    broken: /test_e2e_deliberately_broken/,
    passed(output) {
      const passed = [...output.matchAll(/\b(\d+) passed\b/g)].map((m) => m[0]);
      assert.ok(passed.length > 0, `pytest reported no passing test:\n${tail(output, 15)}`);
      return `mypy, black, bandit, pytest: ${passed.join(' + ')}`;
    },
    forbidden: (root) => forbiddenContents(root, 'app'),
    stop: { exit: '0', readyMs: 20_000 },
    protect() {
      const secret = password();
      index.requireAuth({ user: 'e2e', password: secret });
      index.resetCounts();
      const file = secretFile(`netrc-${manager}`, `machine localhost login e2e password ${secret}\n`);
      return { secret, counts: () => index.counts(), undo: () => index.requireAuth(null), secrets: [`id=netrc,src=${file}`] };
    },
    secrets: [],
  };
}

function goService(): Service {
  const dir = join(WORK, 'svc-go');
  const secret = password();
  const netrc = secretFile('netrc-go', `machine ${new URL(goProxy.url).host} login e2e password ${secret}\n`);
  return {
    row: 'go/modules',
    language: 'go',
    dir,
    image: 'e2e-docker/go',
    args: ['--builder-image', `${registry.host}/${SOURCES.go.images[0][1]}`, '--index-url', goProxy.url, '--preset', presets.go!, '--gates', GO_GATES.join(',')],
    async lock(generated) {
      const command = inImageCommand(generated);
      await runPrinted('go mod tidy', command, dir);
      // A dependency from the TLS proxy, so builds must fetch it (with the netrc secret, once locked).
      writeFileSync(join(dir, 'internal', 'server', 'greeting.go'), `package server\n\nimport "${goProxy.module}"\n\n// Greeting comes from a module the build fetches through the proxy.\nfunc Greeting() string { return greet.Hello() }\n`);
      await runPrinted('go mod tidy with the proxy module', command.replace('docker run --rm ', `docker run --rm -e GONOSUMDB=${goProxy.module} `), dir);
      assert.match(readFileSync(join(dir, 'go.sum'), 'utf8'), new RegExp(goProxy.version.replace(/\./g, '\\.')));
      goProxy.requireAuth({ user: 'e2e', password: secret });
      return `the printed in-image \`go mod tidy\` under Docker Engine; ${goProxy.module} ${goProxy.version} locked from the TLS proxy`;
    },
    // A code change (a comment alone would leave go test's result cache valid).
    change: { file: join(dir, 'internal', 'server', 'server.go'), edit: (text, n) => text.replace('const ShutdownTimeout = 5 * time.Second', `const ShutdownTimeout = ${5 + n} * time.Second`) },
    rebuilds: 3,
    perGate: true,
    breakTest() {
      const file = join(dir, 'internal', 'server', 'server_test.go');
      const original = readFileSync(file, 'utf8');
      writeFileSync(file, `${original}\nfunc TestE2EDeliberatelyBroken(t *testing.T) {\n\tif 1+1 != 3 {\n\t\tt.Fatal("1+1 is not 3")\n\t}\n}\n`);
      return () => writeFileSync(file, original);
    },
    broken: /--- FAIL: TestE2EDeliberatelyBroken/,
    passed(output) {
      assert.match(output, /ok\s+\S+\/internal\/server/, `go test reported no passing package:\n${tail(output, 15)}`);
      return 'go vet, gofmt, go test and the no-test check passed';
    },
    forbidden(root) {
      const found = [...forbiddenContents(root, 'app'), ...goLeftovers(root)];
      const app = walk(join(root, 'app')).sort();
      if (app.join(',') !== '.gates-passed,svc-go') found.push(`/app holds ${app.join(', ')}`);
      return found;
    },
    stop: { exit: '0', log: /shutting down[\s\S]*stopped/, readyMs: 20_000 },
    protect() {
      // The proxy demands the netrc from the lock on: every build passes it (service.secrets).
      return { secret, counts: () => goProxy.counts(), undo: () => {}, secrets: [] };
    },
    secrets: [`id=netrc,src=${netrc}`],
  };
}

function nodeService(manager: string): Service {
  const dir = join(WORK, `node-${manager}`);
  return {
    row: `node/${manager}`,
    language: 'node',
    dir,
    image: `e2e-docker/node-${manager}`,
    args: ['--manager', manager, '--runtime-version', '24', '--builder-image', `${registry.host}/${SOURCES.node.images[0][1]}`, '--runtime-image', `${registry.host}/${SOURCES.node.images[1][1]}`, '--index-url', npmMirror.url],
    async lock(generated) {
      await runPrinted(`lock ${manager}`, inImageCommand(generated), dir);
      for (const file of node.managers.find((m) => m.value === manager)!.lockFiles) assert.ok(existsSync(join(dir, file)), `${file} was not written`);
      return 'the printed in-image command under Docker Engine, through the TLS mirror';
    },
    change: { file: join(dir, 'src', 'main.ts'), edit: (text, n) => `${text}// e2e: one-line change ${n}\n` },
    rebuilds: 3,
    perGate: true,
    breakTest() {
      const file = join(dir, 'test', 'app.test.ts');
      const original = readFileSync(file, 'utf8');
      appendFileSync(file, "\ntest('e2e deliberately broken', () => {\n  assert.equal(1 + 1, 3);\n});\n");
      return () => writeFileSync(file, original);
    },
    broken: /e2e deliberately broken/,
    passed(output) {
      const passed = Number(/ℹ pass (\d+)/.exec(output)?.[1] ?? 0);
      assert.ok(passed > 0 && /ℹ fail 0/.test(output), `node's test runner reported no passing test:\n${tail(output, 15)}`);
      return `tsc, prettier, eslint, ${passed} tests passed`;
    },
    forbidden(root) {
      const found = forbiddenNodeContents(root);
      if (!existsSync(join(root, 'app', 'dist', 'main.js'))) found.push('no /app/dist/main.js');
      return found;
    },
    stop: { exit: '0', log: /"message":"stopping","signal":"SIGTERM"/, readyMs: 20_000 },
    protect() {
      const secret = password();
      npmMirror.requireToken(secret);
      npmMirror.resetCounts();
      const file = secretFile(`npmrc-${manager}`, `//localhost:${npmMirror.port}/:_authToken=${secret}\n`);
      return { secret, counts: () => npmMirror.counts(), undo: () => npmMirror.requireToken(null), secrets: [`id=npmrc,src=${file}`] };
    },
    secrets: [],
  };
}

function javaService(): Service {
  const dir = join(WORK, 'svc-java');
  return {
    row: 'java/maven',
    language: 'java',
    dir,
    image: 'e2e-docker/java',
    args: ['--name', JAVA_NAME, '--index-url', mavenMirror.url, '--preset', presets.java!],
    async lock(generated) {
      assert.ok(existsSync(join(dir, '.mvn', 'settings.xml')) && /Wrote \d+ files/.test(generated), 'the mirror settings were written');
      return 'no lock step (Maven has none; the pom pins every version)';
    },
    change: { file: join(dir, 'src', 'main', 'java', 'service', 'Main.java'), edit: (text, n) => `${text}// e2e: one-line change ${n}\n` },
    // Maven takes ~40 s a rebuild here: one is enough, and not the goal's (Python, Go, Node.js).
    rebuilds: 1,
    perGate: false,
    breakTest() {
      const file = join(dir, 'src', 'test', 'java', 'service', 'BrokenTest.java');
      writeFileSync(file, 'package service;\n\nimport static org.junit.jupiter.api.Assertions.assertEquals;\n\nimport org.junit.jupiter.api.Test;\n\nclass BrokenTest {\n\n    @Test\n    void e2eDeliberatelyBroken() {\n        assertEquals(3, 1 + 1);\n    }\n}\n');
      return () => rmSync(file, { force: true });
    },
    broken: /e2eDeliberatelyBroken/,
    passed(output) {
      const summary = [...output.matchAll(/Tests run: (\d+), Failures: (\d+), Errors: (\d+), Skipped: (\d+)\s*$/gm)].at(-1)?.[0];
      assert.ok(summary && !/Tests run: 0,/.test(summary) && /Failures: 0, Errors: 0/.test(summary), `no passing surefire summary:\n${tail(output, 15)}`);
      return `enforcer, javac -Werror, surefire: ${summary}`;
    },
    forbidden(root) {
      const found = [...forbiddenContents(root, 'app'), ...javaLeftovers(root)];
      const app = readdirSync(join(root, 'app'));
      if (app.join(',') !== `${JAVA_NAME}.jar`) found.push(`/app holds ${app.join(', ')}`);
      return found;
    },
    // A JVM ended by SIGTERM exits 143 (128 + 15) after its shutdown hooks ran.
    stop: { exit: '143', log: /INFO stopped/, readyMs: 30_000 },
    protect() {
      const secret = password();
      mavenMirror.requireAuth({ user: 'e2e', password: secret });
      mavenMirror.resetCounts();
      const file = secretFile('maven-settings.xml', `<settings><servers><server><id>mirror</id><username>e2e</username><password>${secret}</password></server></servers></settings>\n`);
      return { secret, counts: () => mavenMirror.counts(), undo: () => mavenMirror.requireAuth(null), secrets: [`id=maven-settings,src=${file}`] };
    },
    secrets: [],
  };
}

/** The per-gate section of the report: where a one-line-change rebuild spends its time. */
function gateSection(): string {
  const lines = [
    '## Rebuild after a one-line source change, per gate (Docker BuildKit)',
    '',
    "Goal (issue 10): at most 2 s and at most 10 % of the cold build for Python, Go and Node.js. Cold: empty BuildKit cache (layers and cache mounts), base images already pulled. Rebuild: the median of three, each after a different one-line change. Each gate is timed inside the one gate RUN from BuildKit's plain progress output: a copy of the Dockerfile echoes a marker before each command (the same layers otherwise); the median of three such rebuilds is shown. The machine has 2 cores shared with other work: the load average is given beside the times.",
    '',
    '| service | cold | rebuilds | ratio | goal | load | instrumented rebuild | gate RUN | in the gate RUN (s) | the rest (s) |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  for (const row of gateRows) {
    const typical = median(row.rebuilds);
    const ratio = typical / row.cold;
    const goal = typical <= 2000 && ratio <= 0.1 ? 'met' : 'not met';
    const gates = row.timed.gates.map((gate) => `${gate.label} ${gate.seconds.toFixed(2)}`).join('; ');
    const rebuilds = row.rebuilds.map((ms) => (ms / 1000).toFixed(1)).join(', ');
    lines.push(`| ${row.row} | ${seconds(row.cold)} | ${rebuilds} s | ${ratio.toFixed(2)} | ${goal} | ${row.load.map((l) => l.toFixed(1)).join(' → ')} | ${seconds(row.timed.ms)} | ${row.timed.run.toFixed(2)} s | ${cell(gates)} | ${cell(row.timed.other)} |`);
  }
  return lines.join('\n');
}

const check = (t: TestContext, row: string, column: Column, name: string, fn: () => Promise<string | { limit: string }>, requires: Column[] = ['lock']) =>
  reportCheck(t, report, row, column, name, fn, requires);

const SERVICES: { name: string; make: () => Service }[] = [
  ...['pipenv', 'poetry', 'pip-tools'].map((manager) => ({ name: `python/${manager}`, make: () => pythonService(manager) })),
  { name: 'go/modules', make: goService },
  ...['npm', 'pnpm'].map((manager) => ({ name: `node/${manager}`, make: () => nodeService(manager) })),
  { name: 'java/maven', make: javaService },
];
const ONLY = process.env.E2E_DOCKER_ONLY?.split(',');

test('frontend: with a registry, BuildKit asks that registry for the Dockerfile frontend, never Docker Hub', { skip: !isRoot && 'needs root (dockerd)', timeout: 10 * MINUTE }, async () => {
  const dir = join(WORK, 'frontend');
  mkdirSync(dir, { recursive: true });
  const builder = `${registry.host}/${SOURCES.python.images[0][1]}`;
  // Features the frontend must understand: a cache mount and an optional secret mount.
  const body = `FROM ${builder}\nRUN --mount=type=cache,target=/root/.cache --mount=type=secret,id=none,required=false python3 -c "print('frontend ok')"\n`;
  writeFileSync(join(dir, 'Dockerfile'), `# syntax=${frontend}\n${body}`);
  const logBefore = readFileSync(accessLog, 'utf8').length;
  const result = await build('build with the registry frontend', dir, { noCache: true });
  const steps = vertices(result.output);
  const loaded = steps.find((step) => step.name.startsWith(`docker-image://${registry.host}/base/docker/dockerfile:1@sha256:`));
  assert.ok(loaded, `the build did not load the frontend from ${registry.host}:\n${tail(result.output, 20)}`);
  assert.match(result.output, /frontend ok/);
  await sleep(500); // the registry's log is written by a stream
  // BuildKit pulls through containerd: its user agent tells the build's requests from the suite's pushes.
  const requests = readFileSync(accessLog, 'utf8').slice(logBefore).split('\n').filter((line) => /"(GET|HEAD) \/v2\/base\/docker\/dockerfile\/.*"containerd\//.test(line));
  assert.ok(requests.some((line) => /manifests\/sha256:/.test(line)) && requests.some((line) => /blobs\/sha256:/.test(line)), `the registry's access log shows no frontend pull:\n${requests.join('\n')}`);
  // The control: the line as the CLI writes it today goes to Docker Hub, which is unreachable here.
  writeFileSync(join(dir, 'Dockerfile'), `# syntax=docker/dockerfile:1\n${body}`);
  const hub = await dockerBuild('build with docker/dockerfile:1', dir, { noCache: true, allowFail: true }, engine);
  assert.notEqual(hub.exitCode, 0, 'the Docker Hub frontend resolved: this machine reaches Docker Hub, so the other builds prove less');
  assert.match(hub.output, /registry-1\.docker\.io/);
  const hubError = hub.output.split('\n').find((line) => /ERROR: .*registry-1\.docker\.io/.test(line)) ?? '';
  report.notes.push(`frontend: the build (${seconds(result.ms)}, the frontend's own step ${loaded.seconds?.toFixed(1)} s) loaded \`${loaded.name.replace('docker-image://', '')}\`; the registry logged ${requests.length} frontend requests (manifest and blobs, user agent ${requests[0]?.match(/"([^"]+)"\s*$/)?.[1] ?? '?'}); the generated builds below all resolve it the same way and none mentions docker.io`);
  report.notes.push(`frontend control: \`# syntax=docker/dockerfile:1\` (what the CLI writes today with --registry) fails at once here: ${hubError.replace(/^#\d+ /, '').slice(0, 220)}`);
});

for (const entry of SERVICES) {
  const skip = !isRoot ? 'needs root (dockerd)' : ONLY && !ONLY.includes(entry.name) ? 'not in E2E_DOCKER_ONLY' : false;
  test(`${entry.name} under Docker BuildKit: builds, gates, runs and ships clean`, { skip, timeout: 60 * MINUTE }, async (t) => {
    const service = entry.make();
    const { row, dir, image } = service;
    let built = false;
    let builtB = false;
    let counts = { authorized: 0 };
    let secret = '';

    await check(t, row, 'lock', 'generate with the real CLI, frontend from the registry, lock under Docker Engine', async () => {
      const generated = await run(`generate ${row}`, process.execPath, generateArgs(service.language, dir, service.args), {
        timeout: 2 * MINUTE,
        env: { PATH: nodeOnlyPath(WORK), NO_COLOR: '1', NODE_EXTRA_CA_CERTS: pki.ca },
      });
      const bases = [...readFileSync(join(dir, 'Dockerfile'), 'utf8').matchAll(/^FROM (\S+)/gm)].map((m) => m[1]!).filter((ref) => ref.includes('/'));
      assert.equal(bases.length, 3, `cert-bundle, builder and runtime FROM lines expected: ${bases.join(', ')}`);
      assert.deepEqual(bases.filter((ref) => !/@sha256:[0-9a-f]{64}$/.test(ref)), [], 'base images the CLI did not pin by digest');
      const syntax = frontendLine(dir);
      const how = await service.lock(generated.output);
      return `${how}; 3 base images pinned by digest; frontend line ${syntax}`;
    }, []);

    await check(t, row, 'I5 rebuild', 'I5: a one-line change rebuilds only source steps; every gate re-runs; time per gate', async () => {
      // Cold: no layer and no cache mount survives from earlier builds (base images stay pulled).
      await docker('builder prune', ['builder', 'prune', '-af'], engine);
      const load = [loadAverage()];
      const cold = await build('I5 cold build', dir, { tag: `${image}:cold`, secrets: service.secrets });
      const original = readFileSync(service.change.file, 'utf8');
      const dockerfileText = readFileSync(join(dir, 'Dockerfile'), 'utf8');
      // Each rebuild follows a different one-line change, so none can come from the cache.
      const change = (n: number) => {
        const changed = service.change.edit(original, n);
        assert.notEqual(changed, original, 'the one-line change changed nothing');
        writeFileSync(service.change.file, changed);
      };
      try {
        const rebuilds: number[] = [];
        let gateSeconds = 0;
        let ran = 0;
        for (let n = 1; n <= service.rebuilds; n++) {
          change(n);
          const rebuild = await build(`I5 rebuild ${n} after a one-line change`, dir, { tag: `${image}:rebuild`, secrets: service.secrets });
          const steps = vertices(rebuild.output);
          const rebuilt = dependencyRebuilds(dockerfileText, steps);
          assert.deepEqual(rebuilt.map((step) => step.name.slice(0, 100)), [], 'dependency steps ran again instead of coming from the cache');
          const gateRun = steps.find((step) => step.stage === 'test' && /\.gates-passed/.test(step.instruction ?? ''));
          assert.ok(gateRun && !gateRun.cached, 'the gate RUN did not run again after a source change');
          rebuilds.push(rebuild.ms);
          gateSeconds = gateRun.seconds ?? 0;
          ran = steps.filter((step) => step.stage && !step.cached && !/^FROM /.test(step.instruction ?? '')).length;
        }
        if (service.perGate) {
          // The same changes on a copy of the Dockerfile whose gate RUN announces each command.
          const gatesFile = join(WORK, `${row.replace('/', '-')}.gates.Dockerfile`);
          const { dockerfile, labels } = instrumentGates(dockerfileText);
          writeFileSync(gatesFile, dockerfile);
          writeFileSync(service.change.file, original);
          await build('instrumented build (warm)', dir, { file: gatesFile, tag: `${image}:gates`, secrets: service.secrets });
          const timings: GateRow['timed'][] = [];
          for (let n = 1; n <= service.rebuilds; n++) {
            change(service.rebuilds + n);
            const timed = await build(`instrumented rebuild ${n}`, dir, { file: gatesFile, tag: `${image}:gates`, secrets: service.secrets });
            timings.push(gateBreakdown(timed.ms, vertices(timed.output), labels));
          }
          load.push(loadAverage());
          gateRows.push({ row, cold: cold.ms, rebuilds, load, timed: timings.sort((a, b) => a.ms - b.ms)[Math.floor(timings.length / 2)]! });
        }
        const typical = median(rebuilds);
        return `cold ${seconds(cold.ms)}, rebuild ${seconds(typical)} (median of ${rebuilds.length}; ratio ${(typical / cold.ms).toFixed(2)}; ${ran} steps ran, gate RUN ${gateSeconds.toFixed(1)} s); dependency steps all CACHED`;
      } finally {
        writeFileSync(service.change.file, original);
      }
    });

    await check(t, row, 'I1 test target', 'I1: --target test passes on the project as generated', async () => {
      const result = await build('I1 --target test', dir, { target: 'test', noCache: true, secrets: service.secrets });
      return `${service.passed(result.output)} (${seconds(result.ms)}, --no-cache)`;
    });

    await check(t, row, 'I6 reproducible', 'I6: two clean builds of the same commit (same SOURCE_DATE_EPOCH)', async () => {
      const buildArgs = { BUILD_DATE: new Date(EPOCH * 1000).toISOString().replace('.000', ''), SOURCE_DATE_EPOCH: String(EPOCH) };
      await docker('builder prune', ['builder', 'prune', '-af'], engine);
      await build('I6 build A', dir, { tag: `${image}:a`, noCache: true, buildArgs, secrets: service.secrets });
      built = true;
      // Build B: empty cache mounts, and the mirror demands the credentials only the build secret has (I7).
      await docker('builder prune', ['builder', 'prune', '-af'], engine);
      const protection = service.protect();
      secret = protection.secret;
      try {
        await build('I6/I7 build B (mirror requires the secret)', dir, { tag: `${image}:b`, noCache: true, buildArgs, secrets: [...service.secrets, ...protection.secrets] });
        builtB = true;
      } finally {
        protection.undo();
      }
      counts = protection.counts();
      const [a, b] = [await dockerImage(`${image}:a`, engine), await dockerImage(`${image}:b`, engine)];
      if (a.id === b.id) return `same image ID ${a.id.slice(7, 19)}`;
      const comparison = await sameContents(`${image}:a`, `${image}:b`, join(WORK, 'i6'), engine);
      assert.deepEqual(comparison.contentDiffers, [], `the two builds differ in file contents, not only in times: ${comparison.contentDiffers.slice(0, 8).join(', ')}`);
      return { limit: `image IDs differ (${a.id.slice(7, 19)} / ${b.id.slice(7, 19)}): Docker 20.10 stamps the build time into the config and history (\`created\`), BuildKit v0.8 has no SOURCE_DATE_EPOCH; ${comparison.sameLayers} of ${a.layers.length} layers identical, the other ${a.layers.length - comparison.sameLayers} differ only in file times (${comparison.timeOnly.length} files: ${comparison.timeOnly.slice(0, 4).join(', ')}${comparison.timeOnly.length > 4 ? ', …' : ''}); every file's content identical` };
    });

    await check(t, row, 'I7 secret', 'I7: the mirror credential passed as a build secret is in no layer and no history', async () => {
      assert.ok(builtB, 'needs image b from the I6 builds');
      assert.ok(counts.authorized > 0, `the mirror saw no authenticated request during build B (${JSON.stringify(counts)}): the secret was not used`);
      const found = await findSecretInSave(`${image}:b`, secret, join(WORK, 'i7'), engine);
      assert.deepEqual(found.hits, [], `the secret is in: ${found.hits.join(', ')}`);
      return `${counts.authorized} authenticated mirror requests in build B; the secret is in none of ${found.searched} layers, config and history texts`;
    });

    await check(t, row, 'I3 run', 'I3: runs read-only, caps dropped, as non-root; answers /healthz; stops on SIGTERM in 2 s', async () => {
      assert.ok(built, 'needs the runtime image');
      const port = await freePort();
      const name = `e2e-docker-${row.replace('/', '-')}-${process.pid}`;
      await docker('run', ['run', '-d', '--name', name, '--read-only', '--cap-drop', 'ALL', '--network', 'host', '-e', `PORT=${port}`, '-e', 'HOST=127.0.0.1', `${image}:a`], engine);
      try {
        let status = 0;
        const deadline = Date.now() + service.stop.readyMs;
        while (Date.now() < deadline && status !== 200) {
          status = await httpStatus(port, '/healthz').catch(() => 0);
          if (status !== 200) await sleep(100);
        }
        const logs = async () => tail((await docker('logs', ['logs', name], engine, { allowFail: true })).output, 10);
        assert.equal(status, 200, `/healthz did not answer 200 in time; logs:\n${await logs()}`);
        const pid = (await docker('inspect pid', ['inspect', '--format', '{{.State.Pid}}', name], engine)).stdout.trim();
        const uids = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^Uid:\s+(.*)$/m)![1]!.split(/\s+/).map(Number);
        assert.ok(uids.every((uid) => uid !== 0), `the service runs with uids ${uids.join(',')}`);
        const began = Date.now();
        await docker('stop', ['stop', '-t', '10', name], engine, { timeout: 30_000 });
        const stopMs = Date.now() - began;
        const exit = (await docker('inspect exit', ['inspect', '--format', '{{.State.ExitCode}}', name], engine)).stdout.trim();
        const log = await logs();
        assert.ok(stopMs < 2000, `stop took ${stopMs} ms (SIGTERM not handled?)`);
        assert.equal(exit, service.stop.exit, `exit code after SIGTERM ${exit}; logs:\n${log}`);
        if (service.stop.log) assert.match(log, service.stop.log, 'the service did not log its graceful stop');
        return `uid ${uids[0]}, /healthz 200, SIGTERM -> stopped in ${stopMs} ms, exit ${exit}`;
      } finally {
        await docker('rm', ['rm', '-f', name], engine, { allowFail: true });
      }
    });

    await check(t, row, 'I4 contents', 'I4: no shell, managers, dev tools or tests in the runtime image', async () => {
      assert.ok(built, 'needs the runtime image');
      const root = await exportRoot(`${image}:a`, join(WORK, 'i4'), engine);
      try {
        const found = service.forbidden(root);
        assert.deepEqual(found, [], `found in the runtime image: ${found.join(', ')}`);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
      return 'clean (exported with docker export)';
    });

    await check(t, row, 'I2 broken test fails', 'I2: after breaking one test, the default build fails', async () => {
      const undo = service.breakTest();
      try {
        const result = await build('I2 default build with a broken test', dir, { tag: `${image}:broken`, allowFail: true, secrets: service.secrets });
        assert.notEqual(result.exitCode, 0, 'the default build passed with a failing test');
        assert.match(result.output, service.broken, `the build failed, but not in the tests:\n${tail(result.output, 15)}`);
        return `default build exited ${result.exitCode} at the failing test`;
      } finally {
        undo();
      }
    });

    await check(t, row, 'sizes', 'sizes: runtime image next to the builder stage', async () => {
      assert.ok(built, 'needs the runtime image');
      await build('builder stage', dir, { tag: `${image}:builder`, target: 'builder', secrets: service.secrets });
      const [runtime, builder] = [await dockerImage(`${image}:a`, engine), await dockerImage(`${image}:builder`, engine)];
      return `runtime ${mib(runtime.size)}, builder stage ${mib(builder.size)}`;
    });

    const tags = ['cold', 'rebuild', 'gates', 'a', 'b', 'broken', 'builder'].map((tag) => `${image}:${tag}`);
    await docker('rmi', ['rmi', '-f', ...tags], engine, { allowFail: true });
    await docker('builder prune', ['builder', 'prune', '-af'], engine, { allowFail: true });
  });
}
