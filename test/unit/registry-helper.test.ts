// docker-credential-<name> get, run for real: small helper scripts on a private PATH.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { helperSecret } from '../../src/registry/credential-helper.ts';
import { RegistryError } from '../../src/registry/errors.ts';

const dir = mkdtempSync(join(tmpdir(), 'chs-helper-'));
const savedPath = process.env.PATH;

function helper(name: string, body: string): void {
  const path = join(dir, `docker-credential-${name}`);
  writeFileSync(path, `#!${process.execPath}\n${body}\n`);
  chmodSync(path, 0o755);
}

before(() => {
  helper('token', `require('node:fs').readFileSync(0); process.stdout.write(JSON.stringify({ ServerURL: 'x', Username: '<token>', Secret: 'refresh-token-value' }));`);
  helper('basic', `const s = require('node:fs').readFileSync(0, 'utf8'); process.stdout.write(JSON.stringify({ Username: 'u-' + s, Secret: 'p' }));`);
  helper('hang', `setTimeout(() => {}, 60_000);`);
  helper('garbage', `process.stdout.write('password=hunter2 not json');`);
  helper('crash', `process.stderr.write('boom'); process.exit(3);`);
  process.env.PATH = dir;
});

after(() => {
  process.env.PATH = savedPath;
  rmSync(dir, { recursive: true, force: true });
});

const never = new AbortController().signal;

test('a helper answer: user and secret, or an identity token for the `<token>` user; the server address goes on stdin', async () => {
  assert.deepEqual(await helperSecret('basic', 'registry.example.com', never, 5000), { kind: 'basic', username: 'u-registry.example.com', password: 'p' });
  assert.deepEqual(await helperSecret('token', 'x', never, 5000), { kind: 'identity-token', token: 'refresh-token-value' });
});

test('a helper that hangs is killed after its time-out', async () => {
  const start = Date.now();
  await assert.rejects(helperSecret('hang', 'x', never, 300), (e: unknown) => e instanceof RegistryError && e.kind === 'auth' && /docker-credential-hang get failed/.test(e.message));
  assert.ok(Date.now() - start < 3000, `${Date.now() - start} ms`);
});

test('a helper that fails or prints something else: an error that does not repeat what it printed', async () => {
  await assert.rejects(helperSecret('garbage', 'x', never, 5000), (e: unknown) => e instanceof RegistryError && /not the helper protocol's JSON/.test(e.message) && !e.message.includes('hunter2'));
  await assert.rejects(helperSecret('crash', 'x', never, 5000), /docker-credential-crash get failed \(exit 3\)/);
  await assert.rejects(helperSecret('absent', 'x', never, 5000), /docker-credential-absent is not on PATH/);
});

test('cancelling (Ctrl-C, the wizard deadline) stops a helper at once', async () => {
  const start = Date.now();
  await assert.rejects(helperSecret('hang', 'x', AbortSignal.timeout(200), 30_000), (e: unknown) => e instanceof RegistryError && e.kind === 'timeout');
  assert.ok(Date.now() - start < 3000);
});
