import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { existingEntries, findConflicts, UnsafePath, walkNoFollow, writeProject } from '../../src/write/atomic.ts';

const FILES = new Map([
  ['README.md', '# billing-api\n'],
  ['Dockerfile', '# syntax=docker/dockerfile:1\nFROM python:3.13-slim-trixie\n'],
  ['src/billing_api/__init__.py', ''],
  ['src/billing_api/main.py', 'print("héllo ✓")\n'],
  ['tests/features/health.feature', 'Feature: health\n'],
  ['.gitignore', '.venv/\n'],
]);

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'write-atomic-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Every path under dir with its content (files) or "<dir>" and its permission bits. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (rel: string) => {
    for (const entry of (await readdir(join(dir, rel), { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      const mode = ((await stat(join(dir, path))).mode & 0o777).toString(8);
      if (entry.isDirectory()) {
        out[path] = `<dir ${mode}>`;
        await walk(path);
      } else out[path] = `${mode} ${await readFile(join(dir, path), 'utf8')}`;
    }
  };
  await walk('');
  return out;
}

async function assertProjectWritten(target: string): Promise<void> {
  for (const [path, content] of FILES) assert.equal(await readFile(join(target, path), 'utf8'), content, path);
}

async function tempLeftovers(parent: string): Promise<string[]> {
  return (await readdir(parent)).filter((name) => name.includes('.tmp-'));
}

/** A hook that throws before the nth file is written. */
function failOn(n: number) {
  let count = 0;
  const seen: string[] = [];
  return {
    seen,
    beforeFile: (path: string) => {
      seen.push(path);
      if (++count === n) throw new Error(`disk full at ${path}`);
    },
  };
}

test('writes into a missing directory (and missing parents) with mode 0755, nothing left beside it', async () => {
  const target = join(root, 'services', 'team', 'billing-api');
  const written = await writeProject(target, FILES);
  assert.equal(written.createdTarget, true);
  assert.equal(written.target, target);
  await assertProjectWritten(target);
  assert.equal((await stat(target)).mode & 0o777, 0o755);
  for (const path of FILES.keys()) assert.equal((await stat(join(target, path))).mode & 0o111, 0, `${path} is not executable`);
  assert.deepEqual(await tempLeftovers(join(root, 'services', 'team')), []);
  assert.deepEqual(await readdir(join(root, 'services', 'team')), ['billing-api']);
});

test('writes into an existing empty directory, keeping that directory (inode and mode are the user\'s)', async () => {
  const target = join(root, 'billing-api');
  await mkdir(target, { mode: 0o700 });
  const before = await stat(target);
  const written = await writeProject(target, FILES);
  assert.equal(written.createdTarget, false);
  await assertProjectWritten(target);
  const after = await stat(target);
  assert.equal(after.ino, before.ino, 'same directory: a shell inside it sees the project');
  assert.equal(after.mode & 0o777, 0o700);
  assert.deepEqual(await readdir(root), ['billing-api']);
});

test('merges into a non-empty directory without touching the files already there', async () => {
  const target = join(root, 'repo');
  await mkdir(join(target, 'src'), { recursive: true });
  await writeFile(join(target, 'NOTES.md'), 'mine\n');
  await writeFile(join(target, 'src', 'legacy.py'), 'x = 1\n');
  await chmod(join(target, 'src', 'legacy.py'), 0o600);
  const before = await snapshot(target);
  const beforeStat = await stat(join(target, 'NOTES.md'));

  const written = await writeProject(target, FILES);
  assert.equal(written.createdTarget, false);
  await assertProjectWritten(target);
  const after = await snapshot(target);
  for (const [path, value] of Object.entries(before)) assert.equal(after[path], value, `${path} untouched`);
  assert.equal((await stat(join(target, 'NOTES.md'))).mtimeMs, beforeStat.mtimeMs);
  // created = the new files and the directories this run made, not src/ which was there.
  assert.deepEqual(
    [...written.created].sort(),
    ['.gitignore', 'Dockerfile', 'README.md', 'src/billing_api', 'src/billing_api/__init__.py', 'src/billing_api/main.py', 'tests', 'tests/features', 'tests/features/health.feature'].sort(),
  );
  assert.deepEqual(await tempLeftovers(root), []);
});

test('a merge never overwrites: an existing file makes it fail and undo itself', async () => {
  const target = join(root, 'repo');
  await mkdir(target);
  await writeFile(join(target, 'NOTES.md'), 'mine\n');
  await writeFile(join(target, 'Dockerfile'), 'FROM mine\n');
  const before = await snapshot(target);
  await assert.rejects(() => writeProject(target, FILES), { code: 'EEXIST' });
  assert.deepEqual(await snapshot(target), before);
  assert.deepEqual(await tempLeftovers(root), []);
});

test('findConflicts: existing files, and files where a directory is needed', async () => {
  const target = join(root, 'repo');
  assert.deepEqual(await findConflicts(target, FILES.keys()), [], 'missing target');
  await mkdir(join(target, 'tests'), { recursive: true });
  assert.deepEqual(await findConflicts(target, FILES.keys()), [], 'an existing directory we also need is fine');
  await writeFile(join(target, 'README.md'), 'mine\n');
  await writeFile(join(target, 'src'), 'a file named src\n');
  await mkdir(join(target, 'tests', 'features', 'health.feature'), { recursive: true });
  await writeFile(join(target, 'unrelated.txt'), '');
  assert.deepEqual(await findConflicts(target, FILES.keys()), [
    { path: 'README.md', what: 'exists' },
    { path: 'src', what: 'not a directory' },
    { path: 'tests/features/health.feature', what: 'exists' },
  ]);
});

test('findConflicts: a target that is a file conflicts as a whole', async () => {
  const target = join(root, 'billing-api');
  await writeFile(target, 'not a directory\n');
  assert.deepEqual(await existingEntries(target), ['billing-api']);
  assert.deepEqual(await findConflicts(target, FILES.keys()), [{ path: '.', what: 'not a directory' }]);
  assert.deepEqual(await findConflicts(join(target, 'nested'), FILES.keys()), [{ path: '.', what: 'not a directory' }], 'a parent that is a file');
});

// Issue 9: a `src` link to another folder got main.py written there; a `.mvn` link to ~/.m2 got settings.xml.
test('findConflicts: a symbolic link on the way to a generated path, or at it (dangling too), is a conflict', async () => {
  const target = join(root, 'repo');
  const elsewhere = join(root, 'elsewhere');
  await mkdir(elsewhere);
  await mkdir(join(target, 'tests'), { recursive: true });
  await symlink(elsewhere, join(target, 'src'));
  await symlink(join(root, 'missing'), join(target, 'Dockerfile'));
  await symlink(elsewhere, join(target, 'tests', 'features'));
  await symlink('README.md', join(target, 'README.md')); // a link to itself: a loop
  assert.deepEqual(await findConflicts(target, FILES.keys()), [
    { path: 'Dockerfile', what: 'symbolic link' },
    { path: 'README.md', what: 'symbolic link' },
    { path: 'src', what: 'symbolic link' },
    { path: 'tests/features', what: 'symbolic link' },
  ]);
  assert.deepEqual(await readdir(elsewhere), []);
});

test('findConflicts: the target itself may be a symbolic link to a directory (the user named it)', async () => {
  const real = join(root, 'real');
  await mkdir(real);
  await symlink(real, join(root, 'link'));
  assert.deepEqual(await findConflicts(join(root, 'link'), FILES.keys()), []);
});

// The one walk findConflicts and update's readOurs share: where it stops, following no link.
test('walkNoFollow: stops at the first missing component, link or non-directory; finds the path itself otherwise', async () => {
  await mkdir(join(root, 'a', 'b'), { recursive: true });
  await writeFile(join(root, 'a', 'b', 'file'), 'x');
  await writeFile(join(root, 'a', 'plain'), 'x');
  await symlink(join(root, 'a'), join(root, 'link'));
  await symlink(join(root, 'nowhere'), join(root, 'a', 'dangling'));
  const found = await walkNoFollow(root, 'a/b/file');
  assert.equal(found.kind, 'found');
  assert.ok(found.kind === 'found' && found.info.isFile() && found.at === 'a/b/file');
  assert.equal((await walkNoFollow(root, 'a/b')).kind, 'found', 'a directory is found too');
  assert.deepEqual(await walkNoFollow(root, 'a/missing/file'), { kind: 'missing', at: 'a/missing' });
  assert.deepEqual(await walkNoFollow(root, 'link/b/file'), { kind: 'link', at: 'link' }, 'a link to a directory is not followed');
  assert.deepEqual(await walkNoFollow(root, 'a/dangling'), { kind: 'link', at: 'a/dangling' }, 'nor is a dangling one');
  assert.deepEqual(await walkNoFollow(root, 'a/plain/file'), { kind: 'not a directory', at: 'a/plain' });
  assert.equal((await walkNoFollow(join(root, 'link'), 'b/file')).kind, 'found', 'the root itself may be a link');
});

test('the writer refuses a directory that turned into a symbolic link after the check, and undoes', async () => {
  const target = join(root, 'repo');
  const outside = join(root, 'outside');
  await mkdir(outside);
  await mkdir(join(target, 'src'), { recursive: true });
  await writeFile(join(target, 'NOTES.md'), 'mine\n');
  // Between the conflict check and the write, src/billing_api becomes a link out of the target.
  const beforePlace = async (path: string) => {
    if (path === 'src/billing_api/__init__.py') await symlink(outside, join(target, 'src', 'billing_api'));
  };
  await assert.rejects(() => writeProject(target, FILES, { beforePlace }), (error: Error) => error instanceof UnsafePath && /src\/billing_api/.test(error.message));
  assert.deepEqual(await readdir(outside), [], 'nothing written through the link');
  // What the run placed is gone; the link it refused to follow is not its to remove.
  assert.deepEqual((await readdir(target)).sort(), ['NOTES.md', 'src']);
  assert.deepEqual(await readdir(join(target, 'src')), ['billing_api']);
});

test('the writer never replaces a symbolic link that appeared at a file path after the check', async () => {
  const target = join(root, 'repo');
  await mkdir(target);
  const victim = join(root, 'victim.txt');
  await writeFile(victim, 'precious\n');
  const beforePlace = async (path: string) => {
    if (path === 'Dockerfile') await symlink(victim, join(target, 'Dockerfile'));
  };
  await assert.rejects(() => writeProject(target, FILES, { beforePlace }), { code: 'EEXIST' });
  assert.equal(await readFile(victim, 'utf8'), 'precious\n');
  assert.deepEqual(await readdir(target), ['Dockerfile'], 'only the link is left, untouched');
});

test('into an existing directory the project is staged inside it, never in its parent', async () => {
  const parent = join(root, 'volume-parent');
  const target = join(parent, 'svc');
  await mkdir(target, { recursive: true });
  const seen: string[][] = [];
  const beforeFile = async () => void seen.push([...(await readdir(parent)), ...(await readdir(target)).map((entry) => `svc/${entry}`)]);
  await writeProject(target, FILES, { beforeFile });
  assert.match(seen[0]!.join(' '), new RegExp(`^svc svc/\\.svc\\.tmp-${process.pid}-[0-9a-f]{8}$`), 'only the staging directory, inside the target');
  assert.deepEqual(await tempLeftovers(target), []);
  assert.deepEqual(await readdir(parent), ['svc']);
});

/** The pid of a process that has exited (so a staging directory named after it is stale). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

test('stale staging directories of killed runs are removed: only ours, only when their owner is gone', async () => {
  const dead = deadPid();
  const parent = join(root, 'p');
  await mkdir(parent);
  const stale = [`.svc.tmp-${dead}-0badcafe`, `.svc.tmp-${dead}-deadbeef`];
  for (const name of stale) await mkdir(join(parent, name, 'src'), { recursive: true });
  // Kept: another target's, one whose owner lives (pid 1), one not in our format, and a file.
  const kept = [`.other.tmp-${dead}-0badcafe`, '.svc.tmp-1-0badcafe', '.svc.tmp-0badcafe', `.svc.tmp-${dead}-feedf00d`];
  for (const name of kept.slice(0, 3)) await mkdir(join(parent, name));
  await writeFile(join(parent, kept[3]!), 'a file with that name\n');
  await writeProject(join(parent, 'svc'), FILES);
  assert.deepEqual((await readdir(parent)).sort(), [...kept, 'svc'].sort());

  // Inside an existing target too (an earlier run staged there), and it does not make the target "not empty".
  const target = join(root, 'existing');
  await mkdir(join(target, `.existing.tmp-${dead}-00c0ffee`), { recursive: true });
  assert.deepEqual(await existingEntries(target), []);
  await writeProject(target, FILES);
  assert.deepEqual(await tempLeftovers(target), []);
});

test('under umask 077 the project root is private like everything in it', async () => {
  const previous = process.umask(0o077);
  try {
    const target = join(root, 'private', 'svc');
    await writeProject(target, FILES);
    assert.equal((await stat(target)).mode & 0o777, 0o700);
    assert.equal((await stat(join(target, 'src'))).mode & 0o777, 0o700);
    assert.equal((await stat(join(target, 'README.md'))).mode & 0o777, 0o600);
  } finally {
    process.umask(previous);
  }
});

test('existingEntries lists what is there, sorted, and [] for a missing directory', async () => {
  assert.deepEqual(await existingEntries(join(root, 'missing')), []);
  await writeFile(join(root, 'b'), '');
  await mkdir(join(root, 'a'));
  assert.deepEqual(await existingEntries(root), ['a', 'b']);
});

test('a failure on the 3rd file leaves a missing target missing, with no parents or temp dir left', async () => {
  const target = join(root, 'deep', 'er', 'billing-api');
  const hook = failOn(3);
  await assert.rejects(() => writeProject(target, FILES, hook), /disk full at src\/billing_api\/__init__.py/);
  assert.equal(hook.seen.length, 3);
  assert.deepEqual(await readdir(root), [], 'created parents removed too');
});

test('a failure on the 3rd file leaves an existing empty directory as it was', async () => {
  const target = join(root, 'billing-api');
  await mkdir(target);
  await assert.rejects(() => writeProject(target, FILES, failOn(3)), /disk full/);
  assert.deepEqual(await readdir(target), []);
  assert.deepEqual(await readdir(root), ['billing-api']);
});

test('a failure on the 3rd file leaves an existing directory with exactly its entries', async () => {
  const target = join(root, 'repo');
  await mkdir(join(target, 'src'), { recursive: true });
  await writeFile(join(target, 'NOTES.md'), 'mine\n');
  await writeFile(join(target, 'src', 'legacy.py'), 'x = 1\n');
  const before = await snapshot(target);
  await assert.rejects(() => writeProject(target, FILES, failOn(3)), /disk full/);
  assert.deepEqual(await snapshot(target), before);
  assert.deepEqual(await readdir(root), ['repo']);
});

test('an abort signal mid-write stops and undoes, like a failure', async () => {
  for (const existing of [false, true]) {
    const target = join(root, existing ? 'repo' : 'fresh');
    if (existing) {
      await mkdir(target);
      await writeFile(join(target, 'NOTES.md'), 'mine\n');
    }
    const before = existing ? await snapshot(target) : undefined;
    const controller = new AbortController();
    let count = 0;
    const beforeFile = () => {
      if (++count === 2) controller.abort(new Error('cancelled by the user'));
    };
    await assert.rejects(() => writeProject(target, FILES, { signal: controller.signal, beforeFile }), /cancelled by the user/);
    assert.equal(count, 2, 'no file written after the abort');
    if (existing) assert.deepEqual(await snapshot(target), before);
    else await assert.rejects(() => stat(target), { code: 'ENOENT' });
    assert.deepEqual(await tempLeftovers(root), []);
  }
});

test('an already-aborted signal writes nothing', async () => {
  const target = join(root, 'fresh');
  let calls = 0;
  await assert.rejects(() => writeProject(target, FILES, { signal: AbortSignal.abort(), beforeFile: () => void calls++ }));
  assert.equal(calls, 0);
  assert.deepEqual(await readdir(root), []);
});

test('undo() of a fresh project removes the directory and the parents it created', async () => {
  const target = join(root, 'a', 'b', 'billing-api');
  const written = await writeProject(target, FILES);
  await mkdir(join(target, '.git'));
  await written.undo();
  assert.deepEqual(await readdir(root), []);
});

test('undo() of a project written into an empty directory keeps that directory', async () => {
  const target = join(root, 'billing-api');
  await mkdir(target, { mode: 0o750 });
  await chmod(target, 0o750);
  const written = await writeProject(target, FILES);
  await written.undo();
  assert.deepEqual(await readdir(target), []);
  assert.equal((await stat(target)).mode & 0o777, 0o750, 'its mode restored');
});

test('undo() of a merge removes exactly what was written (and the extras), nothing the user had', async () => {
  const target = join(root, 'repo');
  await mkdir(join(target, 'src'), { recursive: true });
  await mkdir(join(target, 'tests'));
  await writeFile(join(target, 'NOTES.md'), 'mine\n');
  await writeFile(join(target, 'src', 'legacy.py'), 'x = 1\n');
  await writeFile(join(target, 'tests', 'test_legacy.py'), 'def test(): pass\n');
  const before = await snapshot(target);
  const written = await writeProject(target, FILES);
  // What later tasks create (lock file, .git) is passed to undo as extras.
  await writeFile(join(target, 'Pipfile.lock'), '{}');
  await mkdir(join(target, '.git', 'objects'), { recursive: true });
  await written.undo(['Pipfile.lock', '.git']);
  assert.deepEqual(await snapshot(target), before);
});

test('undo() twice is harmless', async () => {
  const target = join(root, 'a', 'b', 'billing-api');
  const written = await writeProject(target, FILES);
  await written.undo();
  await written.undo();
  assert.deepEqual(await readdir(root), []);
});
