// A non-empty target: refused without --force; with --force written beside the user's files,
// never over them.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { assertBuilt, binDir, cliEnv, files, runCli, show, snapshot, tempDir } from '../helpers/cli.ts';

before(assertBuilt);

/** A target directory holding some user files, with old mtimes so a rewrite would show. */
function userDirectory(cwd: string, extra: Record<string, string> = {}): string {
  const target = join(cwd, 'svc');
  mkdirSync(join(target, 'notes'), { recursive: true });
  const mine: Record<string, string> = { 'notes.txt': 'mine\n', 'notes/todo.md': '- keep me\n', 'data.csv': 'a,b\n', ...extra };
  for (const [path, content] of Object.entries(mine)) {
    mkdirSync(join(target, path, '..'), { recursive: true });
    writeFileSync(join(target, path), content);
    utimesSync(join(target, path), new Date('2020-01-01T00:00:00Z'), new Date('2020-01-01T00:00:00Z'));
  }
  return target;
}

test('a non-empty target without --force: exit 2, lists what is there, writes nothing', async () => {
  const cwd = tempDir();
  const target = userDirectory(cwd);
  const before = snapshot(target);
  const result = await runCli(['svc', '--no-git', '--no-lock'], { cwd, env: cliEnv(binDir()) });
  assert.equal(result.exitCode, 2, show(result));
  for (const entry of ['data.csv', 'notes', 'notes.txt']) assert.ok(result.stderr.includes(entry), `lists ${entry}\n${result.stderr}`);
  assert.match(result.stderr, /--force/, 'says how to proceed');
  assert.match(result.stderr, /Nothing was written/);
  assert.deepEqual(snapshot(target), before);
  assert.deepEqual(files(target, { dirs: true }), ['data.csv', 'notes.txt', 'notes/', 'notes/todo.md']);
  assert.deepEqual(readdirSync(cwd), ['svc'], 'no temp directory left beside the target');
});

test('--force without conflicts: the project is written beside the user files, which are untouched', async () => {
  const cwd = tempDir();
  const target = userDirectory(cwd);
  const before = snapshot(target);
  const result = await runCli(['svc', '--force', '--no-git', '--no-lock'], { cwd, env: cliEnv(binDir()) });
  assert.equal(result.exitCode, 0, show(result));
  const after = snapshot(target);
  for (const [path, state] of Object.entries(before)) assert.deepEqual(after[path], state, `${path} untouched (content and mtime)`);
  for (const path of ['.hardened-service.json', 'src/main.py', 'README.md']) assert.ok(after[path], `${path} written`);
  assert.deepEqual(readdirSync(cwd), ['svc'], 'no temp directory left beside the target');
});

test('--force with a conflicting file: exit 2, lists the conflict, writes nothing', async () => {
  const cwd = tempDir();
  const target = userDirectory(cwd, { 'README.md': '# my own readme\n' });
  const before = snapshot(target);
  const result = await runCli(['svc', '--force', '--no-git', '--no-lock'], { cwd, env: cliEnv(binDir()) });
  assert.equal(result.exitCode, 2, show(result));
  assert.match(result.stderr, /README\.md/);
  assert.match(result.stderr, /Nothing was written|nothing was written/);
  assert.deepEqual(snapshot(target), before);
  assert.deepEqual(files(target), ['README.md', 'data.csv', 'notes.txt', 'notes/todo.md']);
  assert.deepEqual(readdirSync(cwd), ['svc']);
});

test('--force where a file sits on a path the project needs as a directory: exit 2, nothing written', async () => {
  const cwd = tempDir();
  const target = userDirectory(cwd, { src: 'not a directory\n' });
  const before = snapshot(target);
  const result = await runCli(['svc', '--force', '--no-git', '--no-lock'], { cwd, env: cliEnv(binDir()) });
  assert.equal(result.exitCode, 2, show(result));
  assert.match(result.stderr, /\bsrc\b/);
  assert.deepEqual(snapshot(target), before);
});

test('a target that is a file, or inside one: exit 2 saying so (with or without --force), the file untouched', async () => {
  const cwd = tempDir();
  writeFileSync(join(cwd, 'svc'), 'a file\n');
  const before = snapshot(cwd);
  for (const [target, what] of [['svc', 'is a file'], ['svc/api', 'is inside a file']] as const) {
    for (const force of [[], ['--force']]) {
      const result = await runCli([target, '--no-git', '--no-lock', ...force], { cwd, env: cliEnv(binDir()) });
      assert.equal(result.exitCode, 2, show(result));
      assert.match(result.stderr, new RegExp(`\\[directory\\]: ${target} ${what}, not a directory`), show(result));
      assert.deepEqual(snapshot(cwd), before);
    }
  }
});

test('an empty existing target is used without --force', async () => {
  const cwd = tempDir();
  mkdirSync(join(cwd, 'svc'));
  const result = await runCli(['svc', '--no-git', '--no-lock'], { cwd, env: cliEnv(binDir()) });
  assert.equal(result.exitCode, 0, show(result));
  assert.ok(files(join(cwd, 'svc')).includes('.hardened-service.json'));
  assert.deepEqual(readdirSync(cwd), ['svc']);
});

test('a nested directory that does not exist yet is created', async () => {
  const cwd = tempDir();
  const result = await runCli(['services/billing/api', '--no-git', '--no-lock'], { cwd, env: cliEnv(binDir()) });
  assert.equal(result.exitCode, 0, show(result));
  assert.ok(files(join(cwd, 'services/billing/api')).includes('.hardened-service.json'));
  assert.match(result.stdout, /name\s+api\b/, 'the name defaults to the basename');
  // Outside the project: only the two parents, no temp leftovers.
  assert.deepEqual(files(cwd, { dirs: true }).filter((path) => !path.startsWith('services/billing/api/')), ['services/', 'services/billing/']);
});

test('an unexpected write failure: exit 1, says what failed and that nothing was left half-written', async (t) => {
  if (!existsSync('/proc/self')) return t.skip('needs Linux /proc (a directory nobody can create entries in)');
  const cwd = tempDir();
  const target = `/proc/chs-${process.pid}-svc`;
  const result = await runCli([target, '--no-git', '--no-lock'], { cwd, env: cliEnv(binDir()) });
  assert.equal(result.exitCode, 1, show(result));
  assert.match(result.stderr, /unexpected failure/);
  assert.match(result.stderr, /ENOENT|EACCES|EPERM/, 'the system error that stopped it');
  assert.match(result.stderr, /Nothing was left half-written/);
  assert.ok(!existsSync(target));
  assert.deepEqual(readdirSync(cwd), []);
});

// `mkdir svc && cd svc && npm create hardened-service@latest .`: replacing the empty directory
// (as once done, by rename) would leave the user's shell in a deleted directory until `cd .`.
test('`.` inside an empty directory keeps that directory (same inode), so a shell in it sees the project', async () => {
  const cwd = join(tempDir(), 'svc');
  mkdirSync(cwd);
  const inode = statSync(cwd).ino;
  const result = await runCli(['.', '--no-git', '--no-lock'], { cwd, env: cliEnv(binDir()) });
  assert.equal(result.exitCode, 0, show(result));
  assert.equal(statSync(cwd).ino, inode, 'the directory the user is in was replaced');
  assert.ok(existsSync(join(cwd, '.hardened-service.json')));
});

/** Mount a tmpfs (root only); undefined where that is not allowed. */
function tryMount(dir: string): (() => void) | undefined {
  try {
    execFileSync('mount', ['-t', 'tmpfs', 'chs-test', dir], { stdio: 'ignore' });
    return () => execFileSync('umount', [dir], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
}

// A volume mounted at the target, as in dev containers: no rename onto it (EBUSY), and no hard
// link across filesystems (EXDEV): files are copied in, never overwriting.
for (const force of [false, true]) {
  test(`a target that is a mount point (a mounted volume)${force ? ' holding a user file, with --force' : ', empty'} is written into`, async (t) => {
    const cwd = tempDir();
    const target = join(cwd, 'svc');
    mkdirSync(target);
    const unmount = tryMount(target);
    if (!unmount) return t.skip('cannot mount a tmpfs here (needs root)');
    try {
      if (force) writeFileSync(join(target, 'mine.txt'), 'mine\n');
      const result = await runCli(['svc', '--no-git', '--no-lock', ...(force ? ['--force'] : [])], { cwd, env: cliEnv(binDir()) });
      assert.equal(result.exitCode, 0, show(result));
      assert.ok(existsSync(join(target, '.hardened-service.json')));
    } finally {
      unmount();
    }
  });
}
