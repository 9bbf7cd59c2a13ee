// A registry that accepts connections and never answers (a black-holed proxy): looking up image
// digests must be bounded, and Ctrl-C while it waits must leave nothing behind.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { assertBuilt, binDir, cliEnv, runCli, show, startCli, tempDir } from '../helpers/cli.ts';

let server: Server;
let port: number;
const sockets = new Set<Socket>();
let connections = 0;

before(async () => {
  assertBuilt();
  server = createServer((socket) => {
    connections++;
    sockets.add(socket); // hold it open, say nothing
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});

after(() => {
  for (const socket of sockets) socket.destroy();
  server.close();
});

test('an unresponsive registry delays the run by a bounded time; the project is written with tags only', async () => {
  const cwd = tempDir();
  const before = connections;
  const start = Date.now();
  const result = await runCli(['svc', '--no-git', '--no-lock', '--registry', `127.0.0.1:${port}/base`], { cwd, env: cliEnv(binDir()), timeoutMs: 30_000 });
  const elapsed = Date.now() - start;
  assert.equal(result.exitCode, 0, show(result));
  assert.ok(connections > before, 'the digest lookup did contact the registry');
  assert.ok(elapsed < 10_000, `took ${elapsed} ms`);
  assert.match(result.stderr, /127\.0\.0\.1/, 'the warning names the registry that did not answer');
  assert.ok(existsSync(join(cwd, 'svc', 'Dockerfile')));
});

test('Ctrl-C while waiting for the registry: the run stops and nothing is written', async () => {
  const cwd = tempDir();
  const before = connections;
  const run = startCli(['svc', '--no-git', '--no-lock', '--registry', `127.0.0.1:${port}/base`], { cwd, env: cliEnv(binDir()), timeoutMs: 30_000 });
  const start = Date.now();
  while (connections === before && Date.now() - start < 10_000) await new Promise((resolve) => setTimeout(resolve, 20));
  assert.ok(connections > before, 'the lookup started');
  run.child.kill('SIGINT');
  const result = await run.result;
  assert.equal(result.exitCode, 130, show(result));
  assert.match(result.stderr, /Cancelled\. Nothing was written\./, show(result));
  assert.deepEqual(readdirSync(cwd), []);
});
