// What a run loads: a generation whose registries cannot be reached loads no HTTPS, TLS, crypto or
// child_process (the host lookups come first, git and the lock tool are off), and no run starts the
// ES module loader (the bundles are CommonJS and reach each other through require()).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { assertBuilt, BIN, binDir, cliEnv, tempDir } from '../helpers/cli.ts';
import { KEY, startPty } from '../helpers/pty.ts';

assertBuilt();

/** A script that runs the CLI and writes the built-in modules it loaded after start-up to `report` at exit. */
function recorder(dir: string, report: string): string {
  const hook = join(dir, 'record.cjs');
  writeFileSync(
    hook,
    `const before = new Set(process.moduleLoadList);
process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(report)}, JSON.stringify(process.moduleLoadList.filter((m) => !before.has(m)))));
require(${JSON.stringify(BIN)});`,
  );
  return hook;
}

const names = (report: string) => new Set((JSON.parse(readFileSync(report, 'utf8')) as string[]).map((entry) => entry.replace(/^NativeModule /, '')));

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

// Writing uses synchronous file calls (write/atomic.ts): node:fs/promises would bring readline,
// fs/dir and the fs watchers along, a few ms of a generation's CPU.
test('a generation writes without node:fs/promises (nor the readline and watcher modules it loads)', () => {
  const run = loaded(['--yes', '--no-git', '--no-lock', 'svc']);
  assert.equal(run.status, 0, run.stderr);
  assert.ok(run.modules.size > 0, 'the report was written');
  for (const name of ['fs/promises', 'internal/fs/promises', 'internal/readline/interface', 'internal/fs/dir', 'internal/fs/watchers']) assert.ok(!run.modules.has(name), `${name} loaded`);
});

test('a subcommand runs without the ES module loader', () => {
  const run = loaded(['audit', '--help']);
  assert.equal(run.status, 0, run.stderr);
  assert.ok(run.modules.size > 0, 'the report was written');
  assert.ok(!run.modules.has('internal/modules/esm/loader'), 'the ES module loader started');
});

// The steps after the answers (later.ts: the lookups' node:dns/promises, writing's node:fs/promises
// among them) load while a person answers, not before the first question is drawn nor while it waits
// there: that CPU is start-up time (`npm run bench` counts it until the prompt is killed).
async function modulesAtPrompt(answers: readonly string[], waitFor?: string): Promise<Set<string>> {
  const dir = tempDir();
  const report = join(dir, 'modules.json');
  const session = startPty([], { cwd: tempDir(), env: cliEnv(binDir()), bin: recorder(dir, report) });
  await session.waitFor('Where should the service go?');
  for (const keys of answers) await session.type(keys);
  if (waitFor !== undefined) await session.waitFor(waitFor);
  await new Promise((resolve) => setTimeout(resolve, 400)); // idle at the question, as a person reading it
  await session.type(KEY.ctrlC);
  assert.equal((await session.exit).exitCode, 130, session.screen());
  return names(report);
}

test('the first question is drawn and waits without loading the steps after the answers', async () => {
  const modules = await modulesAtPrompt([]);
  assert.ok(modules.has('readline'), 'the report was written (the prompt reads the terminal)');
  for (const name of ['dns/promises', 'fs/promises', 'https', 'child_process']) assert.ok(!modules.has(name), `${name} loaded at the first question`);
});

test('once the first answer is in, the steps after the answers load while the next question waits', async () => {
  const modules = await modulesAtPrompt([KEY.enter], 'Service name?');
  assert.ok(modules.has('dns/promises'), 'the lookups were not loaded while the second question waited');
});
