// The name lookups digest pinning makes before it loads the registry client (steps/pin.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveHosts } from '../../src/registry/resolve.ts';

test('resolveHosts: a host that resolves (with a port, or an address in brackets) has no error', async () => {
  const answers = await resolveHosts(['localhost:5000', '127.0.0.1', '[::1]:5000', 'localhost:5000'], AbortSignal.timeout(5000));
  assert.deepEqual([...answers], [['localhost:5000', undefined], ['127.0.0.1', undefined], ['[::1]:5000', undefined]]);
});

test('resolveHosts: a name that does not resolve is unreachable, in the registry client\'s words', async () => {
  // .invalid never resolves (RFC 2606).
  const answers = await resolveHosts(['registry.example.invalid:5000'], AbortSignal.timeout(5000));
  assert.match(answers.get('registry.example.invalid:5000')!, /^registry\.example\.invalid:5000 unreachable \((ENOTFOUND|EAI_AGAIN)\)$/);
});

test('resolveHosts: the one deadline ends every lookup still waiting', async () => {
  const answers = await resolveHosts(['registry.example.invalid', 'localhost'], AbortSignal.abort(Object.assign(new Error('late'), { name: 'TimeoutError' })));
  assert.equal(answers.get('registry.example.invalid'), 'registry.example.invalid did not answer in time');
  assert.equal(answers.get('localhost'), 'localhost did not answer in time');
});
