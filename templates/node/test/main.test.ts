import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../src/main.js', import.meta.url));

test('the service logs JSON to stdout, answers /healthz and stops promptly on SIGTERM', async () => {
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH, HOST: '127.0.0.1', PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const first = JSON.parse(String((await lines.next()).value)) as { message: string; port: number };
  assert.equal(first.message, 'listening');

  const response = await fetch(`http://127.0.0.1:${first.port}/healthz`);
  assert.equal(response.status, 200);

  const started = Date.now();
  child.kill('SIGTERM');
  const [code] = (await once(child, 'exit')) as [number | null];
  assert.equal(code, 0);
  assert.ok(Date.now() - started < 2000, 'stopped within 2 s');
  const rest: string[] = [];
  for await (const line of { [Symbol.asyncIterator]: () => lines }) rest.push(line);
  assert.deepEqual(
    rest.map((line) => (JSON.parse(line) as { message: string }).message),
    ['stopping', 'stopped'],
  );
});
