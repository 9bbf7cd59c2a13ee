// Every terminating signal while a real child runs (issue 9, item 4): the run is undone, the exit
// code is 128+N, and no process the CLI started outlives it, not even one that ignores SIGTERM.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { KILL_GRACE_MS } from '../../src/tasks/spawn.ts';
import { alive, assertBuilt, binDir, cliEnv, files, show, snapshot, startCli, stubbornTool, tempDir, until } from '../helpers/cli.ts';

before(assertBuilt);

const CODES = { SIGHUP: 129, SIGINT: 130, SIGQUIT: 131, SIGTERM: 143 } as const;
type Name = keyof typeof CODES;

/** Start the CLI with the stubborn pipenv, and wait until the tool and its helper both run. */
async function startStubborn(args: string[], cwd = tempDir()) {
  const logs = tempDir('chs-log');
  const log = join(logs, 'activity.log');
  const pidsFile = join(logs, 'pids.json');
  const env = cliEnv(binDir({ fakes: { pipenv: stubbornTool(log, pidsFile) } }));
  const run = startCli(['svc', '--no-git', ...args], { cwd, env, timeoutMs: 30_000 });
  await until(() => existsSync(pidsFile) && existsSync(log) && readFileSync(log, 'utf8').includes('helper up'), 'the lock tool and its helper to run', 15_000);
  const pids = JSON.parse(readFileSync(pidsFile, 'utf8')) as number[];
  return { cwd, run, log, pids };
}

/** After the CLI has exited: nothing it started runs, and nothing writes any more. */
async function assertNothingLeft(log: string, pids: number[], label: string): Promise<void> {
  for (const pid of pids) assert.equal(alive(pid), false, `${label}: process ${pid} outlived the CLI`);
  const size = statSync(log).size;
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(statSync(log).size, size, `${label}: something still writes after the CLI exited`);
}

test('SIGHUP, SIGINT, SIGQUIT and SIGTERM while a lock tool that ignores SIGTERM runs: undone, 128+N, no process left', async (t) => {
  const runs = await Promise.all(
    (Object.keys(CODES) as Name[]).map(async (name) => {
      const started = await startStubborn([]);
      started.run.child.kill(name);
      const sent = Date.now();
      const result = await started.run.result;
      return { name, ...started, result, elapsed: Date.now() - sent };
    }),
  );
  for (const { name, cwd, log, pids, result, elapsed } of runs) {
    assert.equal(result.exitCode, CODES[name], `${name}\n${show(result)}`);
    assert.equal(result.timedOut, false, `${name}\n${show(result)}`);
    assert.match(result.stderr, name === 'SIGINT' ? /^Cancelled\. Nothing was written\.$/m : new RegExp(`^Cancelled by ${name}\\. Nothing was written\\.$`, 'm'), name);
    assert.doesNotMatch(result.stderr, /^\s+at /m, `${name}: no stack trace`);
    assert.deepEqual(readdirSync(cwd), [], `${name}: the project and its staging are gone`);
    assert.match(readFileSync(log, 'utf8'), /tool got SIGTERM/, `${name}: the tool was asked to stop first`);
    assert.ok(elapsed < KILL_GRACE_MS + 5_000, `${name}: took ${elapsed} ms`);
    t.diagnostic(`${name}: exit ${result.exitCode} ${elapsed} ms after the signal (grace ${KILL_GRACE_MS} ms)`);
    await assertNothingLeft(log, pids, name);
  }
});

test('a second Ctrl-C does not wait for the grace period: the tool is killed at once', async (t) => {
  const { cwd, run, log, pids } = await startStubborn([]);
  run.child.kill('SIGINT');
  await until(() => readFileSync(log, 'utf8').includes('tool got SIGTERM'), 'the tool to be asked to stop');
  const sent = Date.now();
  run.child.kill('SIGINT');
  const result = await run.result;
  const elapsed = Date.now() - sent;
  assert.equal(result.exitCode, 130, show(result));
  // Waiting out the grace would take most of KILL_GRACE_MS from here.
  assert.ok(elapsed < KILL_GRACE_MS - 1000, `the second Ctrl-C still waited: ${elapsed} ms (grace ${KILL_GRACE_MS} ms)`);
  t.diagnostic(`second Ctrl-C: exit ${elapsed} ms after it`);
  assert.deepEqual(readdirSync(cwd), []);
  await assertNothingLeft(log, pids, 'second Ctrl-C');
});

test('SIGHUP (the terminal closed) during the lock with --force: only what the run created is removed', async () => {
  const cwd = tempDir();
  const target = join(cwd, 'svc');
  mkdirSync(join(target, 'docs'), { recursive: true });
  writeFileSync(join(target, 'notes.txt'), 'mine\n');
  writeFileSync(join(target, 'docs', 'plan.md'), '# plan\n');
  const before = snapshot(target);
  const { run, log, pids } = await startStubborn(['--force'], cwd);
  run.child.kill('SIGHUP');
  const result = await run.result;
  assert.equal(result.exitCode, 129, show(result));
  assert.deepEqual(snapshot(target), before, 'exactly the user files remain, untouched');
  assert.deepEqual(files(target, { dirs: true }), ['docs/', 'docs/plan.md', 'notes.txt']);
  await assertNothingLeft(log, pids, 'SIGHUP --force');
});

test('SIGTERM while the registry is slow to answer (before anything is written): exit 143 at once, nothing written', async () => {
  // A registry that accepts the connection and never answers: the digest lookup waits on it.
  const sockets: Socket[] = [];
  const server = createServer((socket) => void sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const cwd = tempDir();
    const port = (server.address() as AddressInfo).port;
    const run = startCli(['svc', '--no-git', '--no-lock', '--registry', `127.0.0.1:${port}`], { cwd, env: cliEnv(binDir()), timeoutMs: 20_000 });
    await until(() => sockets.length > 0, 'the CLI to ask the registry');
    const sent = Date.now();
    run.child.kill('SIGTERM');
    const result = await run.result;
    assert.equal(result.exitCode, 143, show(result));
    assert.ok(Date.now() - sent < 2_000, 'did not wait for the lookup to time out');
    assert.match(result.stderr, /Cancelled by SIGTERM\. Nothing was written\./);
    assert.deepEqual(readdirSync(cwd), []);
  } finally {
    for (const socket of sockets) socket.destroy();
    server.close();
  }
});
