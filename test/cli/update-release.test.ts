// `update` on a project the previous release (0.1.0, packed from git history) generated, with team
// edits, the base coming from a loopback npm registry stand-in, then from git history, then none.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { assertBuilt, binDir, cliEnv, files, runCli, show, snapshot, tempDir } from '../helpers/cli.ts';
import { releaseTarball, startFakeRegistry, unpackRelease, type FakeRegistry } from '../helpers/release.ts';

const VERSION = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version as string;
const TEAM_README_LINE = 'Our team locks on the build host only.';
const TEAM_CODE_LINE = '# team: keep the health check cheap';

let registry: FakeRegistry;
let releaseBin: string;
let path: string;
/** A project 0.1.0 generated and the team edited, committed; each test works on a copy. */
let pristine: string;
/** The same answers rendered by this version, for the files update should bring in unchanged. */
let fresh: string;

const env = (extra: Record<string, string> = {}) =>
  cliEnv(path, { npm_config_registry: `${registry.url}/`, npm_config_update_notifier: 'false', npm_config_audit: 'false', npm_config_fund: 'false', ...extra });

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=Team', '-c', 'user.email=team@example.com', ...args], { cwd, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' } });

const read = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8');

/** The work tree's files (git may refresh its own index on a status). */
const worktree = (dir: string) => Object.fromEntries(Object.entries(snapshot(dir)).filter(([file]) => !file.startsWith('.git/')));

/** A copy of the edited project, .git included. */
function copy(): string {
  const dir = join(tempDir('chs-update'), 'svc');
  cpSync(pristine, dir, { recursive: true });
  return dir;
}

const update = (dir: string, args: string[] = [], extra: Record<string, string> = {}) => runCli(['update', ...args], { cwd: dir, env: env(extra), timeoutMs: 120_000 });

before(async () => {
  assertBuilt();
  const tarball = releaseTarball('0.1.0');
  releaseBin = unpackRelease(tarball);
  registry = await startFakeRegistry({ '0.1.0': tarball });
  path = binDir({ real: ['git', 'node', 'npm'] });

  // 0.1.0 generates, commits ("Initial commit from create-hardened-service 0.1.0"); the team edits and commits.
  const work = tempDir('chs-update-pristine');
  const generated = spawnSync(process.execPath, [releaseBin, 'svc', '--yes', '--no-lock'], { cwd: work, env: env(), encoding: 'utf8', timeout: 60_000 });
  assert.equal(generated.status, 0, generated.stderr);
  pristine = join(work, 'svc');
  assert.match(git(pristine, 'log', '--format=%s'), /^Initial commit from create-hardened-service 0\.1\.0$/m);
  const readme = read(pristine, 'README.md');
  // The team rewrites the lock command's line, which this version's template changes too: a conflict.
  const lockLine = readme.split('\n').find((line) => line.startsWith('docker run') && line.includes('pipenv lock'));
  assert.ok(lockLine, 'the README has an in-image lock command line');
  writeFileSync(join(pristine, 'README.md'), readme.replace(lockLine, `${TEAM_README_LINE}\n${lockLine} --clear`));
  writeFileSync(join(pristine, 'src/main.py'), `${TEAM_CODE_LINE}\n${read(pristine, 'src/main.py')}`);
  rmSync(join(pristine, 'features'), { recursive: true });
  git(pristine, 'add', '-A');
  git(pristine, 'commit', '-q', '-m', 'Team edits');

  const freshWork = tempDir('chs-update-fresh');
  const made = await runCli(['svc', '--yes', '--no-lock', '--no-git'], { cwd: freshWork, env: env() , timeoutMs: 60_000 });
  assert.equal(made.exitCode, 0, show(made));
  fresh = join(freshWork, 'svc');
});

after(async () => {
  await registry?.stop();
});

test('update --check on a 0.1.0 project: exit 1, the files behind listed, nothing changed', async () => {
  const dir = copy();
  const before = worktree(dir);
  const result = await update(dir, ['--check']);
  assert.equal(result.exitCode, 1, show(result));
  for (const file of ['.github/workflows/ci.yml', 'README.md', '.hardened-service.json']) assert.match(result.stdout, new RegExp(`\\s${file.replace(/\./g, '\\.')}\\b`), show(result));
  assert.match(result.stdout, /behind create-hardened-service .*npm registry/);
  assert.deepEqual(worktree(dir), before);
});

test('update with the base from the npm registry: untouched files updated, the edited README in conflict, the deleted folder stays deleted, team code kept, nothing committed', async () => {
  const dir = copy();
  const head = git(dir, 'rev-parse', 'HEAD');
  registry.asked.length = 0;
  const result = await update(dir);
  assert.equal(result.exitCode, 0, show(result));
  assert.ok(registry.asked.includes('/create-hardened-service'), `npm asked the stand-in: ${registry.asked.join(', ')}`);
  assert.match(result.stdout, /base: create-hardened-service 0\.1\.0 from the npm registry/);
  // Untouched: exactly what this version renders.
  assert.notEqual(read(pristine, '.github/workflows/ci.yml'), read(fresh, '.github/workflows/ci.yml'), 'the template changed the pipeline');
  assert.equal(read(dir, '.github/workflows/ci.yml'), read(fresh, '.github/workflows/ci.yml'));
  assert.equal(read(dir, 'Dockerfile'), read(fresh, 'Dockerfile'));
  // Both changed the lock line: merged with markers, the team's words and the template's both there.
  const readme = read(dir, 'README.md');
  assert.match(readme, /^<<<<<<< yours$/m);
  assert.match(readme, new RegExp(`^>>>>>>> create-hardened-service ${VERSION.replace(/\./g, '\\.')}$`, 'm'));
  assert.ok(readme.includes(TEAM_README_LINE));
  assert.ok(readme.includes('chown "$(stat -c %u:%g .)" Pipfile.lock'), 'the template side of the conflict');
  // Changes elsewhere in the README merged cleanly: this version's new section is in.
  assert.ok(readme.includes('## The `# syntax=` line'));
  assert.match(result.stdout, /conflict\s+README\.md/);
  assert.equal(existsSync(join(dir, 'features')), false, 'the deleted folder stays deleted');
  assert.ok(read(dir, 'src/main.py').startsWith(TEAM_CODE_LINE));
  const record = JSON.parse(read(dir, '.hardened-service.json'));
  assert.equal(record.version, VERSION);
  assert.equal(record.answers.name, 'svc');
  assert.equal(git(dir, 'rev-parse', 'HEAD'), head, 'nothing committed');
  assert.match(git(dir, 'status', '--porcelain'), /M \.github\/workflows\/ci\.yml/);
  assert.match(result.stdout, /Nothing was committed/);

  // --check afterwards: the conflict markers keep it at exit 1 until they are resolved.
  const after = await update(dir, ['--check']);
  assert.equal(after.exitCode, 1, show(after));
  assert.match(after.stdout, /unresolved README\.md: conflict markers/);
  assert.doesNotMatch(after.stdout, /ci\.yml/);
  // Resolved (the template's side kept, plus the team's line) and committed: up to date.
  writeFileSync(join(dir, 'README.md'), read(fresh, 'README.md').replace('# svc\n', `# svc\n\n${TEAM_README_LINE}\n`));
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'Update to the current templates');
  const clean = await update(dir, ['--check']);
  assert.equal(clean.exitCode, 0, show(clean));
  assert.match(clean.stdout, /up to date/);
});

test('update with the base from git history when the registry lacks the release', async () => {
  const dir = copy();
  registry.serving = false;
  try {
    const result = await update(dir);
    assert.equal(result.exitCode, 0, show(result));
    assert.match(result.stdout, /base: the generation commit [0-9a-f]{12}/);
    assert.equal(read(dir, '.github/workflows/ci.yml'), read(fresh, '.github/workflows/ci.yml'));
    assert.match(read(dir, 'README.md'), /^<<<<<<< yours$/m);
    assert.equal(existsSync(join(dir, 'features')), false);
    assert.ok(read(dir, 'src/main.py').startsWith(TEAM_CODE_LINE));
    // The lock file of the generation commit is no template file: not touched, not reported.
    assert.doesNotMatch(result.stdout, /no longer generated/);
  } finally {
    registry.serving = true;
  }
});

test('no base anywhere: update names each source that failed and stops (exit 1); --no-base merges two ways', async () => {
  const dir = copy();
  // History without the generation commit, and a registry without the release.
  rmSync(join(dir, '.git'), { recursive: true });
  git(dir, 'init', '-q');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'Imported');
  const before = worktree(dir);
  registry.serving = false;
  try {
    const result = await update(dir);
    assert.equal(result.exitCode, 1, show(result));
    assert.match(result.stderr, /this package is .*, the record says 0\.1\.0/);
    assert.match(result.stderr, /the npm registry: npm pack create-hardened-service@0\.1\.0/);
    assert.match(result.stderr, /git history: no commit "Initial commit from create-hardened-service 0\.1\.0"/);
    assert.match(result.stderr, /--no-base/);
    assert.deepEqual(worktree(dir), before);

    const twoWay = await update(dir, ['--no-base']);
    assert.equal(twoWay.exitCode, 0, show(twoWay));
    // Every file that differs is a conflict: the untouched pipeline too (no base says it is untouched).
    assert.match(read(dir, '.github/workflows/ci.yml'), /^<<<<<<< yours$/m);
    assert.match(twoWay.stdout, /conflict\s+\.github\/workflows\/ci\.yml/);
    // A file the release and this version write alike is no conflict: it is left as it was.
    const alike = Object.keys(before).filter((file) => existsSync(join(fresh, file)) && before[file]?.content === read(fresh, file));
    assert.ok(alike.length > 0, 'some file is written alike by 0.1.0 and this version');
    for (const file of alike) assert.equal(read(dir, file), before[file]?.content, `${file}: equal files are fine`);
    // Equal files are fine; without a base a deleted file cannot be told from a new one: it comes back.
    assert.equal(read(dir, 'features/health.feature'), read(fresh, 'features/health.feature'));
    assert.match(twoWay.stdout, /added\s+features\/health\.feature/);
    assert.equal(JSON.parse(read(dir, '.hardened-service.json')).version, VERSION);
  } finally {
    registry.serving = true;
  }
});

test('a dirty working tree is refused: exit 2, nothing changed; --check still runs', async () => {
  const dir = copy();
  writeFileSync(join(dir, 'src/main.py'), `${read(dir, 'src/main.py')}# not committed\n`);
  const before = worktree(dir);
  const result = await update(dir);
  assert.equal(result.exitCode, 2, show(result));
  assert.match(result.stderr, /uncommitted changes \(src\/main\.py\)/);
  assert.deepEqual(worktree(dir), before);
  const check = await update(dir, ['--check']);
  assert.equal(check.exitCode, 1, show(check));
});

test('--dry-run prints a diff that git apply takes and that makes what update makes; nothing changed', async () => {
  const dir = copy();
  const twin = copy();
  const before = worktree(dir);
  const dry = await update(dir, ['--dry-run']);
  assert.equal(dry.exitCode, 0, show(dry));
  assert.deepEqual(worktree(dir), before);
  assert.match(dry.stdout, /^diff --git a\/\.github\/workflows\/ci\.yml b\/\.github\/workflows\/ci\.yml$/m);
  const patch = join(tempDir('chs-patch'), 'update.patch');
  writeFileSync(patch, dry.stdout);
  git(dir, 'apply', '--check', patch);
  git(dir, 'apply', patch);
  const real = await update(twin);
  assert.equal(real.exitCode, 0, show(real));
  const content = (root: string) => Object.fromEntries(files(root).filter((file) => !file.startsWith('.git/')).map((file) => [file, read(root, file)]));
  assert.deepEqual(content(dir), content(twin));
});

test('outside git, or without a valid record: exit 2 naming the path, nothing changed', async () => {
  const plain = join(tempDir('chs-update-nogit'), 'svc');
  cpSync(pristine, plain, { recursive: true });
  rmSync(join(plain, '.git'), { recursive: true });
  const outside = await update(plain);
  assert.equal(outside.exitCode, 2, show(outside));
  assert.match(outside.stderr, /is not inside a git work tree/);

  const dir = copy();
  rmSync(join(dir, '.hardened-service.json'));
  git(dir, 'commit', '-q', '-a', '-m', 'No record');
  const missing = await update(dir);
  assert.equal(missing.exitCode, 2, show(missing));
  assert.match(missing.stderr, /\.hardened-service\.json (does not exist|.*no such)/i);

  writeFileSync(join(dir, '.hardened-service.json'), '{"generator": "create-hardened-service", "version": 3}');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'Bad record');
  const invalid = await update(dir, ['--check']);
  assert.equal(invalid.exitCode, 2, show(invalid));
  assert.match(invalid.stderr, /\.hardened-service\.json: "version" is not a version/);
});
