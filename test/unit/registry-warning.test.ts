// With --registry, images named on another host get one warning before writing (issue 10): a build
// that may reach only the registry fails when it pulls them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { offRegistryWarnings } from '../../src/kit/warnings.ts';

const none = { registry: null, syntax: null, certBundle: null, builderImage: null, runtimeImage: null };
const REGISTRY = 'registry.example.com:5000/base';

test('no registry, or every image on its host: no warning', () => {
  assert.deepEqual(offRegistryWarnings({ ...none, syntax: 'docker/dockerfile:1', certBundle: 'ca.example.org/ca:1' }), []);
  const onIt = { ...none, registry: REGISTRY, syntax: `${REGISTRY}/docker/dockerfile:1`, certBundle: 'registry.example.com:5000/other/ca:1@sha256:' + 'a'.repeat(64) };
  assert.deepEqual(offRegistryWarnings({ ...onIt, builderImage: 'REGISTRY.example.com:5000/py:3.13', runtimeImage: null }), []);
});

test('one warning naming each image off the registry and the answer that named it', () => {
  const warnings = offRegistryWarnings({
    ...none,
    registry: REGISTRY,
    syntax: 'docker/dockerfile:1',
    certBundle: 'ca.example.org/base/ca-bundle:2024',
    builderImage: `${REGISTRY}/python:3.13`,
    runtimeImage: 'registry.example.com/distroless:1',
  });
  assert.equal(warnings.length, 1, 'one warning for all of them');
  const [warning] = warnings;
  assert.match(warning!, /^--registry registry\.example\.com:5000\/base: /);
  assert.ok(warning!.includes('docker/dockerfile:1 (--syntax, on Docker Hub)'), warning);
  assert.ok(warning!.includes('ca.example.org/base/ca-bundle:2024 (--cert-bundle, on ca.example.org)'), warning);
  // Another port is another registry.
  assert.ok(warning!.includes('registry.example.com/distroless:1 (--runtime-image, on registry.example.com)'), warning);
  assert.ok(!warning!.includes('--builder-image'), 'the builder is on the registry');
  assert.match(warning!, /A build that may reach only registry\.example\.com:5000 fails when it pulls them/);
});

test('one image: said in the singular', () => {
  const [warning] = offRegistryWarnings({ ...none, registry: 'localhost:5000', builderImage: 'golang:1.27' });
  assert.equal(warning, '--registry localhost:5000: golang:1.27 (--builder-image, on Docker Hub) is not on localhost:5000. A build that may reach only localhost:5000 fails when it pulls it: mirror it there and name the mirror, or make sure the build can reach that host.');
});
