import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createApp, settingsFromEnv } from '../src/app.js';

describe('settingsFromEnv', () => {
  test('defaults to all interfaces on port 8080', () => {
    assert.deepEqual(settingsFromEnv({}), { host: '0.0.0.0', port: 8080 });
  });

  test('reads HOST and PORT', () => {
    assert.deepEqual(settingsFromEnv({ HOST: '127.0.0.1', PORT: '9000' }), {
      host: '127.0.0.1',
      port: 9000,
    });
  });

  for (const port of ['http', '-1', '65536', '80.5', '']) {
    test(`refuses PORT=${JSON.stringify(port)}`, () => {
      assert.throws(() => settingsFromEnv({ PORT: port }), /PORT must be a number/);
    });
  }
});

describe('the HTTP service', () => {
  const server = createApp();
  let base = '';

  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('GET /healthz answers 200 {"status":"ok"} as JSON', async () => {
    const response = await fetch(`${base}/healthz`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/json');
    assert.deepEqual(await response.json(), { status: 'ok' });
  });

  test('a query string does not change the health answer', async () => {
    assert.equal((await fetch(`${base}/healthz?probe=1`)).status, 200);
  });

  test('an unknown path is 404', async () => {
    const response = await fetch(`${base}/nope`);
    assert.equal(response.status, 404);
    assert.deepEqual(await response.json(), { error: 'not found' });
  });

  test('POST /healthz is 404', async () => {
    assert.equal((await fetch(`${base}/healthz`, { method: 'POST' })).status, 404);
  });
});
