// What a run loads: a generation whose registries cannot be reached loads no HTTPS, TLS, crypto or
// child_process (the host lookups come first, git and the lock tool are off), and no run starts the
// ES module loader (the bundles are CommonJS and reach each other through require()).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { assertBuilt, BIN, binDir, cliEnv, tempDir } from '../helpers/cli.ts';

assertBuilt();

/** The built-in modules a run of the CLI loaded after start-up, by name (`tls`, `internal/modules/esm/loader`). */
function loaded(args: readonly string[]): { status: number | null; stderr: string; modules: Set<string> } {
  const dir = tempDir();
  const hook = join(dir, 'hook.cjs');
  const report = join(dir, 'modules.json');
  writeFileSync(
    hook,
    `const before = new Set(process.moduleLoadList);
process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(report)}, JSON.stringify(process.moduleLoadList.filter((m) => !before.has(m)))));`,
  );
  const cwd = tempDir();
  const result = spawnSync(process.execPath, ['--require', hook, BIN, ...args], { cwd, env: cliEnv(binDir()), encoding: 'utf8', timeout: 30_000 });
  let list: string[] = [];
  try {
    list = JSON.parse(readFileSync(report, 'utf8')) as string[];
  } catch {
    // no report: the assertions below say what the run printed
  }
  return { status: result.status, stderr: result.stderr, modules: new Set(list.map((entry) => entry.replace(/^NativeModule /, ''))) };
}

test('a generation whose registries do not resolve loads neither HTTPS, TLS, crypto nor child_process', () => {
  const run = loaded(['--yes', '--no-git', '--no-lock', '--registry', 'registry.example.invalid', 'svc']);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stderr, /only tags could be pinned .*registry\.example\.invalid unreachable/, 'the lookups were made, and failed');
  for (const name of ['https', 'tls', 'crypto', 'child_process', 'internal/modules/esm/loader']) assert.ok(!run.modules.has(name), `${name} loaded`);
  assert.ok(run.modules.has('dns/promises'), 'the hosts were looked up');
});

test('a subcommand runs without the ES module loader', () => {
  const run = loaded(['audit', '--help']);
  assert.equal(run.status, 0, run.stderr);
  assert.ok(run.modules.size > 0, 'the report was written');
  assert.ok(!run.modules.has('internal/modules/esm/loader'), 'the ES module loader started');
});
