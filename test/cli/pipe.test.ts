// Output piped into a reader that stops early (`create-hardened-service … | head -1`): the run must
// still finish every task, or undo; a closed stdout must not kill it half-way.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { assertBuilt, binDir, cliEnv, realTool, show, startCli, tempDir } from '../helpers/cli.ts';

before(assertBuilt);

test('stdout closed after the first line (| head -1): the run completes, lock and git included, no crash', async (t) => {
  if (!realTool('git')) return t.skip('git is not installed here');
  const cwd = tempDir();
  const pipenv = `require('node:fs').writeFileSync('Pipfile.lock', '{}');`;
  const env = cliEnv(binDir({ fakes: { pipenv }, real: ['git'] }));
  const run = startCli(['svc'], { cwd, env });
  // Like head: read the first chunk, then close the read end of the pipe.
  run.child.stdout!.once('data', () => run.child.stdout!.destroy());
  const result = await run.result;
  assert.doesNotMatch(result.stderr, /EPIPE|Unhandled 'error' event|^\s+at /m, show(result));
  assert.equal(result.exitCode, 0, show(result));
  const target = join(cwd, 'svc');
  for (const path of ['.hardened-service.json', 'Pipfile.lock', '.git']) assert.ok(existsSync(join(target, path)), `${path} present`);
  assert.equal(execFileSync('git', ['status', '--porcelain'], { cwd: target, env, encoding: 'utf8' }), '', 'committed');
});

test('stdout and stderr both closed early: still exit 0 with a complete project', async () => {
  const cwd = tempDir();
  const run = startCli(['svc', '--no-git', '--no-lock'], { cwd, env: cliEnv(binDir()) });
  run.child.stdout!.once('data', () => {
    run.child.stdout!.destroy();
    run.child.stderr!.destroy();
  });
  const result = await run.result;
  assert.equal(result.exitCode, 0, show(result));
  assert.ok(existsSync(join(cwd, 'svc', '.hardened-service.json')));
});
