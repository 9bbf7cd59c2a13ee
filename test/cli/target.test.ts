// A non-empty target: refused without --force; with --force written beside the user's files,
// never over them.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readlinkSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { assertBuilt, BIN, binDir, cliEnv, files, runCli, show, snapshot, tempDir } from '../helpers/cli.ts';

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

// Issue 9: with --force, a link inside the target took the project's files out of it.
test('--force with a symbolic link inside the target (to a folder, dangling, or at a file path): exit 2, listed, nothing written anywhere', async () => {
  const cwd = tempDir();
  const outside = join(tempDir('chs-outside'), 'elsewhere');
  mkdirSync(outside);
  const cases: [string, string, RegExp][] = [
    ['src', outside, /^\s+src \(a symbolic link: never written through\)$/m],
    ['Dockerfile', join(outside, 'missing'), /^\s+Dockerfile \(a symbolic link: never written through\)$/m],
    ['tests', outside, /^\s+tests \(a symbolic link/m],
  ];
  for (const [path, to, listed] of cases) {
    const target = userDirectory(cwd);
    const before = snapshot(target);
    symlinkSync(to, join(target, path));
    const result = await runCli(['svc', '--force', '--no-git', '--no-lock'], { cwd, env: cliEnv(binDir()) });
    assert.equal(result.exitCode, 2, `${path}\n${show(result)}`);
    assert.match(result.stderr, listed, path);
    assert.match(result.stderr, /nothing was written/i);
    assert.equal(readlinkSync(join(target, path)), to, `${path}: the link is left as it was`);
    rmSync(join(target, path));
    assert.deepEqual(snapshot(target), before, path);
    assert.deepEqual(readdirSync(outside), [], `${path}: nothing written through the link`);
    rmSync(target, { recursive: true });
  }
});

test('--force in a Java project whose .mvn links to ~/.m2: exit 2, no settings.xml in the home directory', async () => {
  const cwd = tempDir();
  const home = tempDir('chs-home');
  mkdirSync(join(home, '.m2'));
  const target = userDirectory(cwd);
  symlinkSync(join(home, '.m2'), join(target, '.mvn'));
  const result = await runCli(
    ['svc', '--force', '--no-git', '--no-lock', '--language', 'java', '--index-url', 'https://nexus.example.com/repository/maven'],
    { cwd, env: cliEnv(binDir()) },
  );
  assert.equal(result.exitCode, 2, show(result));
  assert.match(result.stderr, /^\s+\.mvn \(a symbolic link/m);
  assert.deepEqual(readdirSync(join(home, '.m2')), []);
});

test('--force where the user already has the lock file the lock step would write: exit 2 naming it and --no-lock', async () => {
  const cwd = tempDir();
  const target = userDirectory(cwd, { 'Pipfile.lock': '{"mine": true}\n' });
  const before = snapshot(target);
  const result = await runCli(['svc', '--force', '--no-git'], { cwd, env: cliEnv(binDir()) });
  assert.equal(result.exitCode, 2, show(result));
  assert.match(result.stderr, /^\s+Pipfile\.lock \(the lock step would replace it: move it, or pass --no-lock\)$/m);
  assert.deepEqual(snapshot(target), before);
  const again = await runCli(['svc', '--force', '--no-git', '--no-lock'], { cwd, env: cliEnv(binDir()) });
  assert.equal(again.exitCode, 0, show(again));
  assert.deepEqual(snapshot(target)['Pipfile.lock'], before['Pipfile.lock'], 'the user\'s lock is untouched');
});

test('file names with control characters are shown escaped in the "not empty" and conflict messages', async () => {
  const cwd = tempDir();
  const evil = 'notes\u001b]0;owned\u0007\u001b[2J.txt';
  const target = userDirectory(cwd, { [evil]: 'x\n' });
  const refused = await runCli(['svc', '--no-git', '--no-lock'], { cwd, env: cliEnv(binDir()) });
  assert.equal(refused.exitCode, 2, show(refused));
  assert.ok(refused.stderr.includes('"notes\\u001b]0;owned\\u0007\\u001b[2J.txt"'), refused.stderr);
  assert.doesNotMatch(refused.stderr, /[\u0000-\u0009\u000b-\u001f\u007f]/, 'no raw control character reaches the terminal');
  // A conflict named like that: a link with a hostile name where the project needs a directory is
  // not possible (generated names are plain), so check the path of the target itself instead.
  const hostileDir = join(cwd, 'svc');
  writeFileSync(join(hostileDir, 'README.md'), 'mine\n');
  const conflict = await runCli(['svc', '--force', '--no-git', '--no-lock'], { cwd, env: cliEnv(binDir()) });
  assert.equal(conflict.exitCode, 2, show(conflict));
  assert.doesNotMatch(conflict.stderr, /[\u0000-\u0009\u000b-\u001f\u007f]/);
  assert.ok(existsSync(join(target, evil)));
});

test('a killed run\'s staging directories are cleaned by the next run (only its kind, only when the owner is gone)', async () => {
  const cwd = tempDir();
  const dead = Number(execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }));
  // Beside a new target, and inside an existing (otherwise empty) one: neither makes it "not empty".
  mkdirSync(join(cwd, `.svc.tmp-${dead}-0badcafe`, 'src'), { recursive: true });
  mkdirSync(join(cwd, `.other.tmp-${dead}-0badcafe`));
  mkdirSync(join(cwd, 'existing', `.existing.tmp-${dead}-0badcafe`), { recursive: true });
  const fresh = await runCli(['svc', '--no-git', '--no-lock'], { cwd, env: cliEnv(binDir()) });
  assert.equal(fresh.exitCode, 0, show(fresh));
  const inside = await runCli(['existing', '--no-git', '--no-lock'], { cwd, env: cliEnv(binDir()) });
  assert.equal(inside.exitCode, 0, show(inside));
  assert.deepEqual(readdirSync(cwd).sort(), [`.other.tmp-${dead}-0badcafe`, 'existing', 'svc']);
  assert.deepEqual(readdirSync(join(cwd, 'existing')).filter((entry) => entry.includes('.tmp-')), []);
});

// `.` in a mounted volume, or a directory made for the user in a folder they cannot write to.
test('a writable target whose parent is not writable (run as nobody): written, no staging left anywhere', async (t) => {
  if (process.getuid?.() !== 0) return t.skip('needs root to run the CLI as another user');
  const root = tempDir();
  chmodSync(root, 0o755); // root-owned: nobody may enter, not write
  const target = join(root, 'svc');
  mkdirSync(target);
  chownSync(target, 65534, 65534);
  for (const directory of ['.', target]) {
    const result = await runCli([directory, '--no-git', '--no-lock'], {
      cwd: target,
      env: { ...cliEnv(binDir()), HOME: target },
      uid: 65534,
      gid: 65534,
    });
    assert.equal(result.exitCode, 0, `${directory}\n${show(result)}`);
    assert.ok(existsSync(join(target, '.hardened-service.json')));
    assert.deepEqual(readdirSync(root), ['svc'], 'nothing beside the target');
    assert.deepEqual(readdirSync(target).filter((entry) => entry.includes('.tmp-')), [], 'no staging left inside');
    for (const entry of readdirSync(target)) if (entry !== '.') rmSync(join(target, entry), { recursive: true });
  }
});

test('under umask 077 the project root is private, like everything in it', async () => {
  const cwd = tempDir();
  // The umask is a process setting: a shell sets it for the CLI, as a user's profile would.
  execFileSync('/bin/sh', ['-c', 'umask 077 && exec "$0" "$@"', process.execPath, BIN, 'svc', '--no-git', '--no-lock'], { cwd, env: cliEnv(binDir()), stdio: 'ignore' });
  const mode = (path: string) => statSync(join(cwd, 'svc', path)).mode & 0o777;
  assert.equal(mode('.'), 0o700);
  assert.equal(mode('src'), 0o700);
  assert.equal(mode('Dockerfile'), 0o600);
});
