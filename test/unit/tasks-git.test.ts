import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { initGit } from '../../src/tasks/git.ts';
import { which } from '../../src/tasks/which.ts';

const hasGit = which('git') !== undefined;
let root: string;
let home: string;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'git-test-'));
  // An empty HOME so the developer's own git config (identity, signing, hooks) plays no part.
  home = join(root, 'home');
  await mkdir(home);
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

const env = (extra: NodeJS.ProcessEnv = {}) => ({ PATH: process.env.PATH, HOME: home, GIT_CONFIG_NOSYSTEM: '1', ...extra });
const git = (cwd: string, args: string[], extra: NodeJS.ProcessEnv = {}) =>
  execFileSync('git', args, { cwd, env: env(extra), encoding: 'utf8' }).trim();

const GENERATED = ['.gitignore', 'README.md', 'src/main.py'];

async function project(name: string): Promise<string> {
  const dir = join(root, name);
  await mkdir(join(dir, 'src'), { recursive: true });
  await writeFile(join(dir, 'README.md'), '# svc\n');
  await writeFile(join(dir, 'src', 'main.py'), 'print(1)\n');
  await writeFile(join(dir, '.gitignore'), 'ignored.txt\n');
  await writeFile(join(dir, 'ignored.txt'), 'not committed\n');
  return dir;
}

test('initGit in a fresh directory: one commit with every file, as the generator when no identity is set', { skip: !hasGit && 'git is not installed' }, async () => {
  const dir = await project('fresh');
  assert.deepEqual(await initGit(dir, '1.2.3', env(), { paths: GENERATED }), { status: 'committed', untracked: [] });
  assert.equal(git(dir, ['rev-list', '--count', 'HEAD']), '1');
  assert.equal(git(dir, ['log', '-1', '--format=%s']), 'Initial commit from create-hardened-service 1.2.3');
  assert.equal(git(dir, ['log', '-1', '--format=%an <%ae>']), 'create-hardened-service <create-hardened-service@localhost>');
  assert.deepEqual(git(dir, ['ls-files']).split('\n'), ['.gitignore', 'README.md', 'src/main.py']);
  assert.equal(git(dir, ['status', '--porcelain']), '', 'nothing left uncommitted');
});

test('initGit uses the configured identity when there is one', { skip: !hasGit && 'git is not installed' }, async () => {
  const dir = await project('identity');
  const configured = join(root, 'home-with-identity');
  await mkdir(configured);
  await writeFile(join(configured, '.gitconfig'), '[user]\n\tname = Dev Eloper\n\temail = dev@example.com\n');
  assert.deepEqual(await initGit(dir, '1.2.3', env({ HOME: configured }), { paths: GENERATED }), { status: 'committed', untracked: [] });
  assert.equal(git(dir, ['log', '-1', '--format=%an <%ae>']), 'Dev Eloper <dev@example.com>');
});

test('initGit inside an existing work tree is skipped and creates no nested repository', { skip: !hasGit && 'git is not installed' }, async () => {
  const outer = join(root, 'monorepo');
  await mkdir(outer);
  git(outer, ['init', '--quiet']);
  const dir = join(outer, 'services', 'svc');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'README.md'), '# svc\n');
  const result = await initGit(dir, '1.2.3', env(), { paths: ['README.md'] });
  assert.equal(result.status, 'skipped');
  assert.ok(result.status === 'skipped' && /already inside a git work tree/.test(result.reason));
  assert.deepEqual(await readdir(dir), ['README.md']);
  assert.throws(() => git(outer, ['rev-parse', 'HEAD']), 'the outer repository got no commit either');
});

test('initGit without git on PATH is skipped with the reason', async () => {
  const dir = await project('no-git');
  const emptyBin = join(root, 'empty-bin');
  await mkdir(emptyBin);
  assert.deepEqual(await initGit(dir, '1.2.3', { PATH: emptyBin, HOME: home }, { paths: GENERATED }), { status: 'skipped', reason: 'git is not installed' });
  assert.ok(!(await readdir(dir)).includes('.git'));
});

test('initGit reports a failing commit as failed with git\'s message', { skip: !hasGit && 'git is not installed' }, async () => {
  const dir = await project('failing');
  // A commit that must be signed with a program that does not exist fails in git itself.
  const configured = join(root, 'home-gpg');
  await mkdir(configured);
  await writeFile(
    join(configured, '.gitconfig'),
    '[user]\n\tname = Dev\n\temail = dev@example.com\n[commit]\n\tgpgsign = true\n[gpg]\n\tprogram = /nonexistent/gpg\n',
  );
  const result = await initGit(dir, '1.2.3', env({ HOME: configured }), { paths: GENERATED });
  assert.equal(result.status, 'failed');
  assert.ok(result.status === 'failed' && result.message.length > 0 && !/^\s+at /m.test(result.message), JSON.stringify(result));
});

test('initGit commits exactly the paths given: the files already there stay untracked and are listed', { skip: !hasGit && 'git is not installed' }, async () => {
  const dir = await project('force');
  // What a user had before --force: a key, an .env, notes, a folder of their own, a file beside ours.
  await writeFile(join(dir, 'id_rsa'), 'PRIVATE KEY\n');
  await writeFile(join(dir, '.env'), 'TOKEN=secret\n');
  await mkdir(join(dir, 'notes'));
  await writeFile(join(dir, 'notes', 'todo.md'), '- x\n');
  await writeFile(join(dir, 'src', 'legacy.py'), 'x = 1\n');
  const result = await initGit(dir, '1.2.3', env(), { paths: GENERATED });
  assert.deepEqual(result, { status: 'committed', untracked: ['.env', 'id_rsa', 'notes/', 'src/legacy.py'] });
  assert.deepEqual(git(dir, ['ls-files']).split('\n'), GENERATED);
});

test('initGit adds a generated file even when the user\'s global excludes would ignore it', { skip: !hasGit && 'git is not installed' }, async () => {
  const dir = await project('excluded');
  const configured = join(root, 'home-excludes');
  await mkdir(configured);
  await writeFile(join(configured, 'ignore'), '*.md\n');
  await writeFile(join(configured, '.gitconfig'), `[core]\n\texcludesFile = ${join(configured, 'ignore')}\n`);
  assert.equal((await initGit(dir, '1.2.3', env({ HOME: configured }), { paths: GENERATED })).status, 'committed');
  assert.deepEqual(git(dir, ['ls-files']).split('\n'), GENERATED);
});
