// --registry with images named elsewhere, through the built CLI: one warning before writing (issue 10).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { assertBuilt, binDir, cliEnv, runCli, show, tempDir } from '../helpers/cli.ts';

before(assertBuilt);

// Ports 9-11 on loopback refuse at once: pinning fails fast and the run goes on with tags.
const REGISTRY = '127.0.0.1:9/base';

test('images on other hosts: one warning naming each and its flag, and the project is still written', async () => {
  const cwd = tempDir();
  const args = ['svc', '--no-git', '--no-lock', '--registry', REGISTRY, '--cert-bundle', '127.0.0.1:10/ca:1', '--runtime-image', '127.0.0.1:11/distroless/python3-debian13:nonroot'];
  const result = await runCli(args, { cwd, env: cliEnv(binDir()) });
  assert.equal(result.exitCode, 0, show(result));
  const warnings = result.stderr.split('\n').filter((line) => line.includes('A build that may reach only'));
  assert.equal(warnings.length, 1, show(result));
  assert.match(warnings[0]!, /127\.0\.0\.1:10\/ca:1 \(--cert-bundle, on 127\.0\.0\.1:10\), 127\.0\.0\.1:11\/distroless\/python3-debian13:nonroot \(--runtime-image, on 127\.0\.0\.1:11\) are not on 127\.0\.0\.1:9/);
  assert.doesNotMatch(warnings[0]!, /--syntax|--builder-image/, 'the mirrored frontend and the computed builder are on the registry');
  assert.ok(existsSync(join(cwd, 'svc', 'Dockerfile')));
});

test('every image on the registry: no such warning', async () => {
  const cwd = tempDir();
  const result = await runCli(['svc', '--dry-run', '--registry', REGISTRY, '--cert-bundle', `${REGISTRY}/ca:1`], { cwd, env: cliEnv(binDir()) });
  assert.equal(result.exitCode, 0, show(result));
  assert.doesNotMatch(result.stderr, /A build that may reach only/, show(result));
});
