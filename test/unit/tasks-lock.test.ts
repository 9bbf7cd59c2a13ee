import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Interrupted } from '../../src/tasks/interrupted.ts';
import { runLock, type Command, type LockPlan } from '../../src/tasks/lock.ts';

// A fake lock tool: a small executable script on a temporary PATH that records its working
// directory, its argv (one [arg] per argument) and one environment variable, then acts on $1.
const FAKE_TOOL = `#!/bin/sh
{
  printf 'cwd=%s\\n' "$PWD"
  for arg in "$@"; do printf '[%s]\\n' "$arg"; done
  printf 'env=%s\\n' "$LOCK_EXTRA"
} >> "$RECORD"
case "$1" in
  fail) echo on stdout; sleep 0.2; echo two >&2; echo three >&2; echo four >&2; exit 3 ;;
  hang) exec sleep 30 ;;
  *) printf '{}\\n' > fake.lock ;;
esac
`;

// The lock step gets plain values: the commands, the files they write, the in-image command.
function fakeManager(commands: Command[]): LockPlan {
  return { commands, files: ['fake.lock'], inImage: 'docker run --rm -v "$PWD:/src" -w /src builder fakelock lock' };
}

let root: string;
let bin: string;
let project: string;
let record: string;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'lock-test-'));
  bin = join(root, 'bin');
  await mkdir(bin);
  await writeFile(join(bin, 'fakelock'), FAKE_TOOL);
  await chmod(join(bin, 'fakelock'), 0o755);
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

async function freshProject(name: string): Promise<void> {
  project = join(root, name);
  record = join(root, `${name}.record`);
  await mkdir(project);
}

const env = () => ({ PATH: `${bin}:/usr/bin:/bin`, RECORD: record });

test('success: the tool runs in the project with the exact argv and env, and the lock files are reported', async () => {
  await freshProject('ok');
  const args = ['lock', 'two words', "it's", '$(id)', '--index-url=https://nexus.example.com/pypi/simple', ''];
  const result = await runLock(fakeManager([{ command: 'fakelock', args, env: { LOCK_EXTRA: 'from-command' } }]), project, env());
  assert.deepEqual(result, { status: 'locked', files: ['fake.lock'] });
  assert.equal(await readFile(join(project, 'fake.lock'), 'utf8'), '{}\n');
  const recorded = await readFile(record, 'utf8');
  assert.equal(recorded, [`cwd=${project}`, ...args.map((arg) => `[${arg}]`), 'env=from-command', ''].join('\n'));
});

test('several commands run in order', async () => {
  await freshProject('order');
  const result = await runLock(
    fakeManager([
      { command: 'fakelock', args: ['first'] },
      { command: 'fakelock', args: ['second'] },
    ]),
    project,
    env(),
  );
  assert.equal(result.status, 'locked');
  assert.deepEqual((await readFile(record, 'utf8')).split('\n').filter((line) => line.startsWith('[')), ['[first]', '[second]']);
});

test('missing tool: nothing runs, and the commands to run by hand are given', async () => {
  await freshProject('missing');
  const manager = fakeManager([
    { command: 'fakelock', args: ['export', '-o', 'requirements.txt'] },
    { command: 'not-installed-tool', args: ['lock', '--pypi-mirror', 'https://nexus.example.com/pypi/simple'] },
  ]);
  const result = await runLock(manager, project, env());
  assert.deepEqual(result, {
    status: 'missing-tool',
    tool: 'not-installed-tool',
    commands: ['fakelock export -o requirements.txt', 'not-installed-tool lock --pypi-mirror https://nexus.example.com/pypi/simple'],
    inImage: manager.inImage,
  });
  await assert.rejects(() => stat(record), { code: 'ENOENT' }, 'no command ran, not even the installed one');
});

test('missing tool: PATH without the tool directory, or no PATH at all', async () => {
  await freshProject('no-path');
  const manager = fakeManager([{ command: 'fakelock', args: ['lock'] }]);
  assert.equal((await runLock(manager, project, { PATH: '/usr/bin:/bin', RECORD: record })).status, 'missing-tool');
  assert.equal((await runLock(manager, project, { RECORD: record })).status, 'missing-tool');
});

test('failing tool: the last lines of its output and the commands to retry', async () => {
  await freshProject('fail');
  const result = await runLock(
    fakeManager([
      { command: 'fakelock', args: ['fail', 'with arg'] },
      { command: 'fakelock', args: ['never-reached'] },
    ]),
    project,
    env(),
  );
  assert.equal(result.status, 'failed');
  assert.ok(result.status === 'failed');
  assert.equal(result.message, 'two\nthree\nfour');
  assert.deepEqual(result.commands, ["fakelock fail 'with arg'", 'fakelock never-reached']);
  assert.equal(result.inImage, 'docker run --rm -v "$PWD:/src" -w /src builder fakelock lock');
  assert.ok(!(await readFile(record, 'utf8')).includes('[never-reached]'), 'stops at the first failure');
});

test('an aborted signal stops a running tool promptly, as an interruption rather than a failed lock', async () => {
  await freshProject('abort');
  const controller = new AbortController();
  const started = performance.now();
  setTimeout(() => controller.abort(new Error('cancelled')), 300);
  const run = runLock(fakeManager([{ command: 'fakelock', args: ['hang'] }]), project, env(), { signal: controller.signal });
  await assert.rejects(run, (error: unknown) => error instanceof Interrupted && /fakelock/.test(error.message));
  const elapsed = performance.now() - started;
  assert.ok(elapsed < 5_000, `took ${elapsed.toFixed(0)} ms`);
});

test('a tool killed by SIGINT (Ctrl-C reaches the whole process group) is an interruption', async () => {
  await freshProject('sigint');
  await writeFile(join(bin, 'selfkill'), '#!/bin/sh\nkill -INT $$\nsleep 5\n');
  await chmod(join(bin, 'selfkill'), 0o755);
  const run = runLock(fakeManager([{ command: 'selfkill', args: [] }]), project, env());
  await assert.rejects(run, Interrupted);
});

test('a failing tool whose output holds control characters: the message shows them escaped', async () => {
  await freshProject('hostile-output');
  await writeFile(join(bin, 'noisylock'), `#!/bin/sh\nprintf 'resolving\\n\\033]0;owned\\007\\033[2Jbad package\\n' >&2\nexit 1\n`);
  await chmod(join(bin, 'noisylock'), 0o755);
  const result = await runLock(fakeManager([{ command: 'noisylock', args: [] }]), project, env());
  assert.ok(result.status === 'failed', JSON.stringify(result));
  assert.equal(result.message, 'resolving\n\\u001b]0;owned\\u0007\\u001b[2Jbad package');
});
