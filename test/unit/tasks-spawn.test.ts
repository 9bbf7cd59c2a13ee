import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Interrupted, signalExitCode, throwIfInterrupted, trapSignals } from '../../src/tasks/interrupted.ts';
import { CommandFailed, run } from '../../src/tasks/spawn.ts';
import { alive, until } from '../helpers/cli.ts';

const cwd = mkdtempSync(join(tmpdir(), 'chs-spawn-'));
process.once('exit', () => rmSync(cwd, { recursive: true, force: true }));
const env = { PATH: process.env.PATH ?? '' };

test('arguments reach the command as they are: no shell interprets them', async () => {
  const { stdout } = await run(process.execPath, ['-e', 'console.log(JSON.stringify(process.argv.slice(1)))', '$(id)', 'a b', '`x`;'], { cwd, env });
  assert.deepEqual(JSON.parse(stdout), ['$(id)', 'a b', '`x`;']);
});

test('a non-zero exit rejects with the exit code and the interleaved output', async () => {
  await assert.rejects(run(process.execPath, ['-e', 'console.log("out"); console.error("err"); process.exit(3)'], { cwd, env }), (error: unknown) => {
    assert.ok(error instanceof CommandFailed);
    assert.equal(error.exitCode, 3);
    assert.match(error.output, /out/);
    assert.match(error.stderr, /err/);
    assert.equal(error.isCanceled, false);
    return true;
  });
});

test('a missing command rejects with ENOENT', async () => {
  await assert.rejects(run('no-such-command-chs', [], { cwd, env }), /ENOENT/);
});

test('cancel stops the tool and the processes it started, at once', async () => {
  const controller = new AbortController();
  // The tool starts a grandchild that would keep the pipes open for 30 s if only the tool died.
  const script = `require('node:child_process').spawn('sleep', ['37.125'], { stdio: 'inherit' }); setTimeout(() => {}, 30000);`;
  const started = Date.now();
  const running = run(process.execPath, ['-e', script], { cwd, env, signal: controller.signal });
  setTimeout(() => controller.abort(), 300);
  await assert.rejects(running, (error: unknown) => error instanceof CommandFailed && error.isCanceled);
  assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
  const leftovers = spawnSync('pgrep', ['-f', '^sleep 37.125$'], { encoding: 'utf8' }).stdout.trim();
  assert.equal(leftovers, '', 'no sleep left running');
});

test('a time-out kills the command, and counts as a failure, not a cancel', async () => {
  const started = Date.now();
  await assert.rejects(run(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { cwd, env, timeoutMs: 200 }), (error: unknown) => {
    assert.ok(error instanceof CommandFailed);
    assert.equal(error.timedOut, true);
    assert.equal(error.signal, 'SIGTERM');
    assert.doesNotThrow(() => throwIfInterrupted(error, 'node'));
    return true;
  });
  assert.ok(Date.now() - started < 5000);
});

// A tool that ignores SIGTERM and keeps a helper (that ignores it too, pipes let go) running.
const STUBBORN = `process.on('SIGTERM', () => {});
const helper = require('node:child_process').spawn(process.execPath, ['-e', "process.on('SIGTERM', () => {}); require('node:fs').writeFileSync(process.argv[1], String(process.pid)); setInterval(() => {}, 1000)", process.argv[1]], { stdio: 'ignore' });
setInterval(() => {}, 1000);`;

/** Start the stubborn tool; resolves with its helper's pid once the helper has set itself up. */
async function startStubborn(options: Omit<Parameters<typeof run>[2], 'cwd' | 'env'>) {
  const pidFile = join(cwd, `helper-${Math.random().toString(16).slice(2)}.pid`);
  const running = run(process.execPath, ['-e', STUBBORN, pidFile], { cwd, env, ...options });
  running.catch(() => {});
  for (let waited = 0; !existsSync(pidFile) || readFileSync(pidFile, 'utf8') === ''; waited += 25) {
    if (waited > 10_000) throw new Error('the helper did not start');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return { running, helper: Number(readFileSync(pidFile, 'utf8')) };
}

test('a cancelled command that ignores SIGTERM gets SIGKILL after the grace period, and its helpers too', async () => {
  const controller = new AbortController();
  const { running, helper } = await startStubborn({ signal: controller.signal, graceMs: 400 });
  const started = Date.now();
  controller.abort();
  const aborted = Date.now();
  await assert.rejects(running, (error: unknown) => {
    assert.ok(error instanceof CommandFailed);
    assert.equal(error.isCanceled, true);
    assert.equal(error.signal, 'SIGKILL', 'SIGTERM was ignored, so SIGKILL ended it');
    return true;
  });
  assert.ok(Date.now() - aborted >= 350, `waited the grace period (${Date.now() - aborted} ms)`);
  assert.ok(Date.now() - started < 5000);
  // SIGKILL went to the whole group; on a loaded machine the helper may take a moment to be scheduled and die.
  await until(() => !alive(helper), `helper ${helper} to die of the SIGKILL sent to its group`, 2000);
  assert.throws(() => throwIfInterrupted(new CommandFailed('x', null, 'SIGKILL', '', '', true), 'x'), Interrupted);
});

test('a second stop (now) kills at once, without waiting for the grace period', async () => {
  const controller = new AbortController();
  const now = new AbortController();
  const { running } = await startStubborn({ signal: controller.signal, now: now.signal, graceMs: 10_000 });
  const aborted = Date.now();
  controller.abort();
  setTimeout(() => now.abort(), 100);
  await assert.rejects(running, (error: unknown) => error instanceof CommandFailed && error.signal === 'SIGKILL');
  assert.ok(Date.now() - aborted < 3000, `took ${Date.now() - aborted} ms with a 10 s grace`);
});

test('trapSignals: the first terminating signal stops, a second means now, release restores the defaults', () => {
  const target = new EventEmitter();
  const stop = trapSignals(target as unknown as NodeJS.Process);
  assert.deepEqual(['SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGTERM'].map((name) => target.listenerCount(name)), [1, 1, 1, 1]);
  assert.equal(stop.received(), undefined);
  target.emit('SIGHUP');
  assert.equal(stop.signal.aborted, true);
  assert.equal(stop.now.aborted, false);
  assert.equal(stop.received(), 'SIGHUP');
  assert.equal(signalExitCode(stop.received()!), 129);
  target.emit('SIGINT');
  assert.equal(stop.now.aborted, true);
  assert.equal(stop.received(), 'SIGHUP', 'the first signal decides the exit code');
  stop.release();
  assert.deepEqual(['SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGTERM'].map((name) => target.listenerCount(name)), [0, 0, 0, 0]);
  assert.deepEqual((['SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGTERM'] as const).map(signalExitCode), [129, 130, 131, 143]);
});
