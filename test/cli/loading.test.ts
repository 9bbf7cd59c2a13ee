// What a run loads: a generation whose registries cannot be reached loads no HTTPS, TLS, crypto or
// child_process (the host lookups come first, git and the lock tool are off), and no run starts the
// ES module loader (the bundles are CommonJS and reach each other through require()).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { assertBuilt, BIN, binDir, cliEnv, ROOT, tempDir } from '../helpers/cli.ts';
import { KEY, startPty } from '../helpers/pty.ts';

assertBuilt();

const PACKAGE = resolve(ROOT);

/**
 * A script that runs the CLI and writes to `report` at exit the built-in modules it loaded after
 * start-up, and to `report`.files the files of this package it loaded (relative: `dist/run.js`).
 */
function recorder(dir: string, report: string): string {
  const hook = join(dir, 'record.cjs');
  writeFileSync(
    hook,
    `const before = new Set(process.moduleLoadList);
process.on('exit', () => {
  const { writeFileSync } = require('node:fs');
  writeFileSync(${JSON.stringify(report)}, JSON.stringify(process.moduleLoadList.filter((m) => !before.has(m))));
  const ours = Object.keys(require.cache).filter((path) => path.startsWith(${JSON.stringify(`${PACKAGE}/`)})).map((path) => path.slice(${PACKAGE.length + 1}));
  writeFileSync(${JSON.stringify(`${report}.files`)}, JSON.stringify(ours.sort()));
});
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
  return (await loadedAtPrompt(answers, waitFor)).modules;
}

/** The built-in modules and our files a run loaded by the time it was cancelled (Ctrl-C) at a question. */
async function loadedAtPrompt(answers: readonly string[], waitFor?: string, { args = [], extra = {}, first = 'Where should the service go?' }: { args?: readonly string[]; extra?: Record<string, string>; first?: string } = {}): Promise<{ modules: Set<string>; files: string[] }> {
  const dir = tempDir();
  const report = join(dir, 'modules.json');
  const cwd = tempDir();
  writeFileSync(join(cwd, 'team.json'), JSON.stringify({ defaults: { ci: 'gitlab' } }));
  const session = startPty(args, { cwd, env: cliEnv(binDir(), extra), bin: recorder(dir, report) });
  await session.waitFor(first);
  for (const keys of answers) await session.type(keys);
  if (waitFor !== undefined) await session.waitFor(waitFor);
  await new Promise((resolve) => setTimeout(resolve, 400)); // idle at the question, as a person reading it
  await session.type(KEY.ctrlC);
  assert.equal((await session.exit).exitCode, 130, session.screen());
  return { modules: names(report), files: JSON.parse(readFileSync(`${report}.files`, 'utf8')) as string[] };
}

test('the first question is drawn and waits without loading the steps after the answers', async () => {
  const modules = await modulesAtPrompt([]);
  assert.ok(modules.has('readline'), 'the report was written (the prompt reads the terminal)');
  for (const name of ['dns/promises', 'fs/promises', 'https', 'child_process']) assert.ok(!modules.has(name), `${name} loaded at the first question`);
});

// `npm create hardened-service` in a terminal: the first question is drawn (and cancelled) with only
// the entry and the first stage loaded (steps/first.ts, dist/run.js): not the wizard (the answer
// rules, languages, presets) nor dist/shared.js, which loading compiles whole.
test('the first question of a run without arguments loads only the entry and the first stage, and a cancel there loads nothing more', async () => {
  const { files } = await loadedAtPrompt([]);
  assert.deepEqual(files, ['bin/create-hardened-service.js', 'dist/index.js', 'dist/run.js']);
  // What the first stage is built from: no other question's words, no language, no preset reading.
  const firstStage = readFileSync(join(ROOT, 'dist', 'run.js'), 'utf8');
  for (const words of ['Service name?', 'Language?', 'hardenedServicePreset', 'require("./shared.js")']) {
    assert.ok(!firstStage.includes(words), `dist/run.js holds ${JSON.stringify(words)}: the first stage took in more than the first question`);
  }
});

test('once the first question is answered, the wizard loads', async () => {
  const { files } = await loadedAtPrompt(['svc', KEY.enter], 'Service name?');
  for (const file of ['dist/run.js', 'dist/wizard.js', 'dist/shared.js']) assert.ok(files.includes(file), `${file} not loaded: ${files.join(', ')}`);
});

test('once the first answer is in, the steps after the answers load while the next question waits', async () => {
  const modules = await modulesAtPrompt([KEY.enter], 'Service name?');
  assert.ok(modules.has('dns/promises'), 'the lookups were not loaded while the second question waited');
});

// Every other run takes the wizard's own way from the start: what comes before its first question
// (a directory, flags, a preset) is settled by the wizard itself.
for (const [what, args, extra, first] of [
  ['a directory on the command line', ['svc'], {}, 'Service name?'],
  ['a flag', ['--no-git'], {}, 'Where should the service go?'],
  ['--preset', ['--preset', 'team.json'], {}, 'Where should the service go?'],
  ['HARDENED_SERVICE_PRESET', [], { HARDENED_SERVICE_PRESET: 'team.json' }, 'Where should the service go?'],
] as const) {
  test(`with ${what}, the wizard is loaded before its first question`, async () => {
    const { files } = await loadedAtPrompt([], undefined, { args, extra, first });
    assert.ok(files.includes('dist/wizard.js'), files.join(', '));
  });
}
