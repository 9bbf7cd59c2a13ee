import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { throwIfInterrupted } from '../../src/tasks/interrupted.ts';
import { CommandFailed, run } from '../../src/tasks/spawn.ts';

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
