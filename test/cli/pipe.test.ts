// Output piped into a reader that stops early (`create-hardened-service … | head -1`): the run must
// still finish every task, or undo; a closed stdout must not kill it half-way.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { assertBuilt, BIN, binDir, cliEnv, realTool, show, startCli, tempDir } from '../helpers/cli.ts';

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

/** Run the built CLI with its standard output on /dev/full: every write fails with ENOSPC. */
async function runToFullDisk(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ exitCode: number | null; stderr: string }> {
  const full = openSync('/dev/full', 'w');
  try {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env, stdio: ['ignore', full, 'pipe'] });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    const exitCode = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    clearTimeout(timer);
    return { exitCode, stderr };
  } finally {
    closeSync(full);
  }
}

// Issue 9: `> /dev/full` crashed with a stack trace, and after writing exited 1 with the project left.
test('standard output on a full disk: the project is written and committed, exit 0, the lost output said on stderr', async (t) => {
  if (!existsSync('/dev/full')) return t.skip('no /dev/full here');
  if (!realTool('git')) return t.skip('git is not installed here');
  const cwd = tempDir();
  const env = cliEnv(binDir({ real: ['git'] }));
  const result = await runToFullDisk(['svc', '--no-lock'], cwd, env);
  assert.equal(result.exitCode, 0, result.stderr);
  assert.doesNotMatch(result.stderr, /^\s+at |node:internal|Unhandled/m, 'no stack trace');
  assert.match(result.stderr, /^warning could not write to standard output \(ENOSPC[^)]*\); what it said is lost, but the project was written to svc\.$/m);
  assert.ok(existsSync(join(cwd, 'svc', '.hardened-service.json')));
  assert.equal(execFileSync('git', ['status', '--porcelain'], { cwd: join(cwd, 'svc'), env, encoding: 'utf8' }), '', 'committed');
});

test('when the output is the product (--dry-run, --help, --version), a full disk fails the run: exit 1, no stack trace', async (t) => {
  if (!existsSync('/dev/full')) return t.skip('no /dev/full here');
  const cwd = tempDir();
  for (const args of [['svc', '--dry-run'], ['--help'], ['--version'], ['--help', '--no-git']]) {
    const result = await runToFullDisk(args, cwd, cliEnv(binDir()));
    assert.equal(result.exitCode, 1, `${args.join(' ')}\n${result.stderr}`);
    assert.match(result.stderr, /^error could not write to standard output \(ENOSPC/m, args.join(' '));
    assert.doesNotMatch(result.stderr, /^\s+at |node:internal/m, `${args.join(' ')}: no stack trace`);
  }
  assert.deepEqual(readdirSync(cwd), []);
});
