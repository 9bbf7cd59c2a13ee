// Issue 13: before writing, the run prints the command line that makes the same project again
// without prompts: flags only for answers the preset and the defaults would not give.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { VERSION } from '../../src/version.ts';
import { assertBuilt, binDir, cliEnv, runCli, shellWords, show, snapshot, tempDir } from '../helpers/cli.ts';

before(assertBuilt);

const MARK = 'Same project without prompts: ';

/** The arguments of the printed command, without `npx create-hardened-service@VERSION`. */
function printedArgs(stdout: string): string[] {
  const line = stdout.split('\n').find((text) => text.startsWith(MARK));
  assert.ok(line, `no command line printed:\n${stdout}`);
  const words = shellWords(line.slice(MARK.length));
  assert.deepEqual(words.slice(0, 2), ['npx', `create-hardened-service@${VERSION}`]);
  return words.slice(2);
}

const contents = (dir: string) => Object.fromEntries(Object.entries(snapshot(dir)).map(([path, { content }]) => [path, content]));

test('without a TTY: flags equal to the preset or a default are left out, and the command makes the same files', async () => {
  const cwd = tempDir();
  writeFileSync(join(cwd, 'team.json'), JSON.stringify({ defaults: { manager: 'poetry', ci: 'gitlab', registry: 'registry.example.com/base' } }));
  const args = [
    'svc', '--preset', 'team.json', '--no-git', '--no-lock', '--manager', 'poetry', '--ci', 'none', '--gates', 'test, typecheck',
    '--maintainer', 'Team Foo <foo@example.com>', '--language', 'python', '--syntax', 'registry.example.com/base/docker/dockerfile:1',
  ];
  const first = await runCli(args, { cwd, env: cliEnv(binDir()) });
  assert.equal(first.exitCode, 0, show(first));
  const printed = printedArgs(first.stdout);
  // --manager poetry is the preset's, python is the default language, the frontend follows the registry.
  assert.deepEqual(printed, ['svc', '--preset', 'team.json', '--yes', '--gates', 'typecheck,test', '--ci', 'none', '--maintainer', 'Team Foo <foo@example.com>', '--no-git', '--no-lock']);
  assert.ok(first.stdout.indexOf(MARK) < first.stdout.indexOf('Wrote '), 'printed before writing');

  const again = tempDir();
  writeFileSync(join(again, 'team.json'), readFileSync(join(cwd, 'team.json')));
  const second = await runCli(printed, { cwd: again, env: cliEnv(binDir()) });
  assert.equal(second.exitCode, 0, show(second));
  assert.deepEqual(contents(join(again, 'svc')), contents(join(cwd, 'svc')));
  assert.deepEqual(printedArgs(second.stdout), printed, 'the same command again');
});

test('--dry-run prints the command too (without --dry-run), and writes nothing', async () => {
  const cwd = tempDir();
  const result = await runCli(['--dry-run', 'orders', '--language', 'go', '--runtime-version', '1.26'], { cwd, env: cliEnv(binDir()) });
  assert.equal(result.exitCode, 0, show(result));
  // A Go version is --runtime-version; Go's own defaults (its manager, its gates) need no flag.
  assert.deepEqual(printedArgs(result.stdout), ['orders', '--yes', '--language', 'go', '--runtime-version', '1.26']);
  assert.ok(result.stdout.indexOf(MARK) < result.stdout.indexOf('orders/\n'), 'before the tree');
});

test('a value a shell would read is quoted so the shell gives it back unchanged', async () => {
  const cwd = tempDir();
  const maintainer = 'Équipe (data) <d@example.com>, on-call: +1';
  const result = await runCli(['--dry-run', 'svc', '--maintainer', maintainer], { cwd, env: cliEnv(binDir()) });
  assert.equal(result.exitCode, 0, show(result));
  assert.deepEqual(printedArgs(result.stdout).slice(-2), ['--maintainer', maintainer]);
});

test('the summary reads on/off answers as on and off, and the printed command turns them off with --no-…', async () => {
  const cwd = tempDir();
  const off = await runCli(['--dry-run', 'svc', '--no-devcontainer', '--no-pre-commit'], { cwd, env: cliEnv(binDir()) });
  assert.equal(off.exitCode, 0, show(off));
  assert.match(off.stdout, /^ {2}dev container +off$/m, show(off));
  assert.match(off.stdout, /^ {2}pre-commit +off$/m, show(off));
  assert.doesNotMatch(off.stdout, /^ {2}\S.* (true|false)$/m, 'no answer reads as a JavaScript boolean');
  assert.deepEqual(printedArgs(off.stdout), ['svc', '--yes', '--no-devcontainer', '--no-pre-commit']);
  const on = await runCli(['--dry-run', 'svc', '--no-pre-commit'], { cwd, env: cliEnv(binDir()) });
  assert.equal(on.exitCode, 0, show(on));
  assert.match(on.stdout, /^ {2}dev container +on$/m, show(on));
  assert.match(on.stdout, /^ {2}pre-commit +off$/m, show(on));
  assert.deepEqual(printedArgs(on.stdout), ['svc', '--yes', '--no-pre-commit']);
});
