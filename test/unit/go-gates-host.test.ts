// The generated Go project, as it stands, through the host's own Go (Debian's golang-go: 1.19 on
// bookworm, 1.24 on trixie) and the exact gate commands the Dockerfile runs. Go 1.19 builds a
// module whose go directive names a newer Go, and the service uses nothing newer than Go 1.16, so
// there the default rendering is checked as generated; Go 1.21+ gets the directive lowered.
// staticcheck is Debian's go-staticcheck (2023.1 on bookworm); gosec is not in Debian: each of
// those gates runs only where its tool is on PATH.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { goGateSteps, GO_GATES } from '../../src/languages/go/gates.ts';
import { go } from '../../src/languages/go/index.ts';
import { renderProject } from '../../src/render/render.ts';
import { goOptions } from './go-options.ts';

const GO = ['/usr/bin/go', '/usr/lib/go/bin/go'].find((path) => existsSync(path));
const root = mkdtempSync(join(tmpdir(), 'chs-go-gates-'));
after(() => rmSync(root, { recursive: true, force: true }));

/**
 * Go 1.21+ refuses a go directive newer than itself under GOTOOLCHAIN=local (older Go only reads
 * it), so on such a host the project is rendered the way a team preset pins an older toolchain.
 */
function hostPins(): Record<string, string> {
  const minor = Number(/go1\.(\d+)/.exec(GO ? spawnSync(GO, ['env', 'GOVERSION'], { encoding: 'utf8' }).stdout : '')?.[1] ?? 0);
  return minor >= 21 ? { go: `1.${minor}` } : {};
}

/** A fresh copy of the generated project (each test may break its own). */
function project(name: string): string {
  const dir = join(root, name);
  const options = goOptions({ gates: [...GO_GATES] });
  for (const [path, content] of renderProject({ ...options, versions: { ...options.versions, ...hostPins() } })) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

// The builder's settings (GOTOOLCHAIN=local, CGO_ENABLED=0, -mod=readonly) and no network.
const env = {
  PATH: `${join(root, 'gopath', 'bin')}:/usr/local/bin:/usr/bin:/bin`,
  HOME: root,
  GOPATH: join(root, 'gopath'),
  GOCACHE: join(root, 'cache'),
  GOTOOLCHAIN: 'local',
  CGO_ENABLED: '0',
  GOFLAGS: '-mod=readonly -trimpath',
  GOPROXY: 'off',
};

function sh(cwd: string, script: string): { status: number | null; output: string } {
  const result = spawnSync('/bin/sh', ['-c', script], { cwd, env, encoding: 'utf8', timeout: 180_000 });
  if (result.error) throw result.error;
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

const onPath = (tool: string) => sh(root, `command -v ${tool}`).status === 0;
/** The name a linter has on this host (Debian calls staticcheck go-staticcheck), or undefined. */
const installed = (tool: string) => [tool, `go-${tool}`].find(onPath);

/** The gate RUN of the Dockerfile, as one script, for the gates whose tools are installed here. */
function gateScript(): string {
  const commands = goGateSteps(GO_GATES, go.managers[0]!.testCommand).flatMap((step) => {
    if (!['lint', 'security'].includes(step.gate)) return [step.command];
    const [tool, ...args] = step.command.split(' ');
    const local = installed(tool!);
    return local ? [[local, ...args].join(' ')] : [];
  });
  return commands.join(' && ');
}

test('every gate the host can run passes on the generated project, and the release binary builds', (t) => {
  if (!GO) return t.skip('go not installed (apt-get install golang-go)');
  t.diagnostic(`${sh(root, 'go version').output.trim()}; go.mod: ${readFileSync(join(project('directive'), 'go.mod'), 'utf8').match(/^go .*$/m)?.[0]}`);
  for (const tool of ['staticcheck', 'gosec']) {
    const local = installed(tool);
    t.diagnostic(local ? `${tool}: ${sh(root, `${local} -version`).output.trim()}` : `${tool} not on PATH: that gate not verified here`);
  }
  const dir = project('clean');
  const gates = sh(dir, `set -x; ${gateScript()}`);
  assert.equal(gates.status, 0, gates.output);
  assert.match(gates.output, /ok\s+billing-api\/internal\/server/);
  const download = sh(dir, 'go mod download && go mod verify');
  assert.equal(download.status, 0, download.output);
  const built = sh(dir, 'go build -trimpath -ldflags=-buildid= -o /tmp/chs-go-bin-$$ ./cmd/billing-api && rm /tmp/chs-go-bin-$$');
  assert.equal(built.status, 0, built.output);
});

test('a failing test fails the gate script', (t) => {
  if (!GO) return t.skip('go not installed');
  const dir = project('failing');
  const file = join(dir, 'internal/server/server_test.go');
  writeFileSync(file, readFileSync(file, 'utf8').replace('want: Settings{Port: 8080}}', 'want: Settings{Port: 8081}}'));
  const result = sh(dir, gateScript());
  assert.notEqual(result.status, 0, result.output);
  assert.match(result.output, /FAIL/);
});

test('an unformatted file fails the gofmt gate (gofmt -l alone would exit 0)', (t) => {
  if (!GO) return t.skip('go not installed');
  const dir = project('unformatted');
  const file = join(dir, 'internal/server/server.go');
  writeFileSync(file, readFileSync(file, 'utf8').replace('const ShutdownTimeout = 5 * time.Second', 'const ShutdownTimeout   =   5*time.Second'));
  assert.equal(sh(dir, 'gofmt -l .').status, 0, 'gofmt -l itself exits 0: that is why the gate tests its output');
  const format = goGateSteps(['format'], go.managers[0]!.testCommand)[0]!.command;
  const result = sh(dir, format);
  assert.notEqual(result.status, 0, result.output);
  assert.match(result.output, /internal\/server\/server\.go/, 'the gate names the file');
});

test('the gofmt gate keeps its listing to itself: no file written (two clones or users at once), silent when clean, failing on a syntax error', (t) => {
  const format = goGateSteps(['format'], go.managers[0]!.testCommand)[0]!.command;
  assert.doesNotMatch(format, />\s*[\w/.$"]|\/tmp\//, 'no file for the listing');
  if (!GO) return t.skip('go not installed');
  const dir = project('format-clean');
  assert.deepEqual(sh(dir, format), { status: 0, output: '' });
  writeFileSync(join(dir, 'internal/server/broken.go'), 'package server\n\nfunc (\n');
  const broken = sh(dir, format);
  assert.notEqual(broken.status, 0, 'gofmt failing (a syntax error) fails the gate');
  assert.match(broken.output, /broken\.go/);
});

test('without any test, go test passes but the gate script fails (no test ran)', (t) => {
  if (!GO) return t.skip('go not installed');
  const dir = project('no-tests');
  rmSync(join(dir, 'internal/server/server_test.go'));
  assert.equal(sh(dir, 'go test ./...').status, 0, 'go test alone passes with no test files');
  const result = sh(dir, gateScript());
  assert.notEqual(result.status, 0, result.output);
});

test('a vet finding fails the gate script', (t) => {
  if (!GO) return t.skip('go not installed');
  const dir = project('vet');
  const file = join(dir, 'internal/server/server.go');
  writeFileSync(file, readFileSync(file, 'utf8').replace('logger.Print("stopped")', 'logger.Printf("stopped %d", "x")'));
  const result = sh(dir, gateScript());
  assert.notEqual(result.status, 0, result.output);
  assert.match(result.output, /Printf/);
});

test('a staticcheck finding fails the gate script (where staticcheck is installed)', (t) => {
  if (!GO) return t.skip('go not installed');
  if (!installed('staticcheck')) return t.skip('staticcheck not installed (apt-get install go-staticcheck)');
  const dir = project('lint');
  writeFileSync(join(dir, 'internal/server/unused.go'), 'package server\n\nfunc neverCalled() int { return 1 }\n');
  const result = sh(dir, gateScript());
  assert.notEqual(result.status, 0, result.output);
  assert.match(result.output, /neverCalled is unused \(U1000\)/);
});
