// The built CLI with --language go, as users run it: the lock step spawns `go mod tidy` with the
// proxy in its environment (a recording fake go), falls back to the printed commands without Go,
// refuses gates Go does not offer, takes a preset's go version, and audits its own output clean.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertBuilt, binDir, cliEnv, recordingTool, runCli, show, tempDir } from '../helpers/cli.ts';

const PROXY = 'https://nexus.example.com/repository/go-proxy/';
assertBuilt();

test('--language go writes the Go project and runs `go mod tidy` with GOPROXY, no shell', async () => {
  const cwd = tempDir();
  const log = join(cwd, 'go.log');
  const path = binDir({ fakes: { go: recordingTool(log) } });
  const result = await runCli(['orders', '--yes', '--no-git', '--language', 'go', '--index-url', PROXY], { cwd, env: cliEnv(path) });
  assert.equal(result.exitCode, 0, show(result));
  for (const file of ['Dockerfile', 'go.mod', 'go.sum', 'cmd/orders/main.go', 'internal/server/server.go', 'internal/server/server_test.go']) {
    assert.ok(existsSync(join(cwd, 'orders', file)), `${file} written`);
  }
  const calls = readFileSync(log, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { argv: string[]; cwd: string; parent: string; env: Record<string, string> });
  assert.deepEqual(calls.map((c) => c.argv), [['mod', 'tidy']]);
  assert.equal(calls[0]!.cwd, join(cwd, 'orders'));
  assert.equal(calls[0]!.env.GOPROXY, PROXY);
  assert.doesNotMatch(calls[0]!.parent, /(^|\/)(ba|da)?sh$/, 'spawned directly, not through a shell');
});

test('without Go on PATH the project is kept and the exact commands are printed', async () => {
  const cwd = tempDir();
  const result = await runCli(['orders', '--yes', '--no-git', '--language', 'go', '--runtime-version', '1.26'], { cwd, env: cliEnv(binDir()) });
  assert.equal(result.exitCode, 0, show(result));
  assert.match(`${result.stdout}${result.stderr}`, /go mod tidy/);
  assert.match(`${result.stdout}${result.stderr}`, /docker run --rm -v "\$PWD":\/src -w \/src golang:1\.26-trixie sh -c 'go mod tidy && chown "\$\(stat -c %u:%g \.\)" go\.mod go\.sum'/);
  assert.equal(readFileSync(join(cwd, 'orders', 'go.mod'), 'utf8'), 'module orders\n\ngo 1.26\n');
  // The rendered go.sum is complete for a stdlib-only service: advice for later, not a missing lock.
  assert.match(result.stdout + result.stderr, /go\.sum as written is complete for the generated code/);
  assert.doesNotMatch(result.stdout + result.stderr, /needs the lock|no lockfile yet/);
});

test('gates Go does not offer, and --python, are usage errors that write nothing', async () => {
  for (const args of [['--gates', 'bdd'], ['--python', '3.13'], ['--runtime-version', '3.13']]) {
    const cwd = tempDir();
    const result = await runCli(['orders', '--yes', '--language', 'go', ...args], { cwd, env: cliEnv(binDir()) });
    assert.equal(result.exitCode, 2, `${args.join(' ')}\n${show(result)}`);
    assert.ok(!existsSync(join(cwd, 'orders')), `${args.join(' ')}: nothing written`);
  }
});

test('a preset pinning an older Go lowers the go directive; the audit passes the generated project', async () => {
  const cwd = tempDir();
  const preset = join(cwd, 'preset.json');
  writeFileSync(preset, JSON.stringify({ defaults: { language: 'go', gates: ['typecheck', 'format', 'test'] }, versions: { go: '1.24' } }));
  const made = await runCli(['orders', '--yes', '--no-git', '--no-lock', '--preset', preset], { cwd, env: cliEnv(binDir()) });
  assert.equal(made.exitCode, 0, show(made));
  assert.match(readFileSync(join(cwd, 'orders', 'go.mod'), 'utf8'), /^go 1\.24$/m);
  assert.doesNotMatch(readFileSync(join(cwd, 'orders', 'Dockerfile'), 'utf8'), /staticcheck|gosec/);
  const audit = await runCli(['audit', 'orders'], { cwd, env: cliEnv(binDir()) });
  assert.equal(audit.exitCode, 0, show(audit));
  assert.match(audit.stdout, /0 errors/);
});
