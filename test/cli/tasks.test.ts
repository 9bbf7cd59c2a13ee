// The tasks after writing: the lock tool (fakes on a private PATH record how they are run), git,
// and Ctrl-C while a task runs.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { buildOptions, completeAnswers, RULES } from '../../src/answer-rules.ts';
import { languageOf } from '../../src/options/answers.ts';
import type { Answers } from '../../src/options/types.ts';
import { showCommand } from '../../src/tasks/which.ts';
import { assertBuilt, binDir, cliEnv, files, realTool, recordingTool, runCli, show, snapshot, startCli, tempDir, until, hangingGit } from '../helpers/cli.ts';

before(assertBuilt);

interface Call {
  argv: string[];
  cwd: string;
  parent: string;
  env: Record<string, string>;
}

// The parent must be the CLI's node, not a shell: proof the command was spawned as an argument array.
const tool = recordingTool;

const calls = (log: string): Call[] =>
  existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Call) : [];

/** What the CLI will run to lock with `manager` (from the manager module itself, so templates may change it). */
function expectedLock(manager: Answers['manager'], cwd: string, answers: Partial<Answers> = {}) {
  const module = languageOf(RULES.languages, 'python').managers.find((candidate) => candidate.value === manager);
  assert.ok(module, `python has the manager ${manager}`);
  const options = buildOptions(completeAnswers({ directory: 'svc', manager, ...answers }, cwd), {}, '0.0.0');
  return { commands: module.lockCommands(options), lockFiles: module.lockFiles, inImage: module.lockInImageCommand(options) };
}

const writeLockFiles = (lockFiles: string[]) =>
  lockFiles.map((path) => `fs.writeFileSync(${JSON.stringify(path)}, '# locked by a fake\\n');`).join('\n');

test('pipenv lock: runs as an argument array in the project directory; the lockfile is in the result', async () => {
  const cwd = tempDir();
  const log = join(tempDir('chs-log'), 'calls.jsonl');
  const { commands, lockFiles } = expectedLock('pipenv', cwd);
  const fakes = Object.fromEntries(commands.map((c) => [c.command, tool(log, writeLockFiles(lockFiles))]));
  const result = await runCli(['svc', '--no-git'], { cwd, env: cliEnv(binDir({ fakes })) });
  assert.equal(result.exitCode, 0, show(result));
  const made = calls(log);
  assert.deepEqual(made.map((call) => call.argv), commands.map((c) => c.args), 'each lock command with exactly its arguments');
  for (const call of made) {
    assert.equal(realpathSync(call.cwd), realpathSync(join(cwd, 'svc')), 'run inside the project');
    assert.equal(call.parent, process.execPath, 'spawned directly by the CLI, no shell between');
  }
  for (const path of lockFiles) assert.ok(existsSync(join(cwd, 'svc', path)), `${path} is in the project`);
  assert.match(result.stdout, new RegExp(`Locked: ${lockFiles[0]!.replace('.', '\\.')}`));
  assert.doesNotMatch(result.stderr, /no lockfile/);
});

for (const manager of ['pipenv', 'poetry', 'uv', 'pip-tools'] as const) {
  test(`${manager} with --index-url: the lock gets the module's arguments and environment, and sees the mirror`, async () => {
    const cwd = tempDir();
    const logs = tempDir('chs-log');
    const log = join(logs, 'calls.jsonl');
    const seen = join(logs, 'seen.json');
    const indexUrl = 'https://nexus.example.com/repository/pypi/simple';
    const { commands, lockFiles } = expectedLock(manager, cwd, { indexUrl });
    // The fake also notes which files it could read the mirror from (not the docs and the record).
    const look = `fs.writeFileSync(${JSON.stringify(seen)}, JSON.stringify(fs.readdirSync('.').filter((f) => !['README.md', 'Dockerfile', '.hardened-service.json'].includes(f) && fs.statSync(f).isFile() && fs.readFileSync(f, 'utf8').includes(${JSON.stringify(indexUrl)}))));`;
    const fakes = Object.fromEntries(commands.map((c) => [c.command, tool(log, `${look}\n${writeLockFiles(lockFiles)}`)]));
    const result = await runCli(['svc', '--no-git', '--manager', manager, '--index-url', indexUrl], { cwd, env: cliEnv(binDir({ fakes })) });
    assert.equal(result.exitCode, 0, show(result));
    const made = calls(log);
    assert.deepEqual(made.map((call) => call.argv), commands.map((c) => c.args));
    made.forEach((call, i) => {
      for (const [key, value] of Object.entries(commands[i]!.env ?? {})) assert.equal(call.env[key], value, `${key} passed to ${commands[i]!.command}`);
    });
    const viaCommand = made.some((call) => call.argv.some((arg) => arg.includes(indexUrl)) || Object.values(call.env).some((v) => v.includes(indexUrl)));
    const viaFiles: string[] = JSON.parse(readFileSync(seen, 'utf8'));
    assert.ok(viaCommand || viaFiles.length > 0, `the mirror reaches the lock tool by argv, env or its config file: ${JSON.stringify(commands)}`);
  });
}

for (const manager of ['poetry', 'uv', 'pip-tools'] as const) {
  test(`${manager}: the lock commands run in order and their lockfiles are kept`, async () => {
    const cwd = tempDir();
    const log = join(tempDir('chs-log'), 'calls.jsonl');
    const { commands, lockFiles } = expectedLock(manager, cwd);
    const fakes = Object.fromEntries(commands.map((c) => [c.command, tool(log, writeLockFiles(lockFiles))]));
    const result = await runCli(['svc', '--no-git', '--manager', manager], { cwd, env: cliEnv(binDir({ fakes })) });
    assert.equal(result.exitCode, 0, show(result));
    assert.deepEqual(calls(log).map((call) => call.argv), commands.map((c) => c.args));
    for (const path of lockFiles) assert.ok(existsSync(join(cwd, 'svc', path)), `${path} kept`);
  });
}

test('a failing lock tool: exit 0, the project stays, a warning with the exact command and the in-image command', async () => {
  const cwd = tempDir();
  const log = join(tempDir('chs-log'), 'calls.jsonl');
  const { commands, inImage } = expectedLock('pipenv', cwd);
  const failing = tool(log, `process.stderr.write('Resolution failed: no matching distribution for fastapi==99\\n'); process.exit(3);`);
  const fakes = Object.fromEntries(commands.map((c) => [c.command, failing]));
  const result = await runCli(['svc', '--no-git'], { cwd, env: cliEnv(binDir({ fakes })) });
  assert.equal(result.exitCode, 0, show(result));
  assert.ok(files(join(cwd, 'svc')).includes('.hardened-service.json'), 'the project is kept');
  assert.match(result.stderr, /Resolution failed/, 'the tool output is shown');
  const first = commands[0]!;
  assert.ok(result.stderr.includes(`cd svc && ${[first.command, ...first.args].join(' ')}`), `the exact command\n${result.stderr}`);
  assert.ok(result.stderr.includes(inImage), `the in-image command\n${result.stderr}`);
});

test('no lock tool installed: exit 0 and the same advice', async () => {
  const cwd = tempDir();
  const { commands, inImage } = expectedLock('pipenv', cwd);
  const result = await runCli(['svc', '--no-git'], { cwd, env: cliEnv(binDir()) });
  assert.equal(result.exitCode, 0, show(result));
  assert.match(result.stderr, new RegExp(`${commands[0]!.command} is not installed`));
  assert.ok(result.stderr.includes(inImage), result.stderr);
});

test('--no-lock never runs the lock tool and says what to run', async () => {
  const cwd = tempDir();
  const log = join(tempDir('chs-log'), 'calls.jsonl');
  const { commands } = expectedLock('pipenv', cwd);
  const fakes = Object.fromEntries(commands.map((c) => [c.command, tool(log)]));
  const result = await runCli(['svc', '--no-git', '--no-lock'], { cwd, env: cliEnv(binDir({ fakes })) });
  assert.equal(result.exitCode, 0, show(result));
  assert.deepEqual(calls(log), []);
  assert.match(result.stderr, /--no-lock/);
});

test('git: a repository with one commit holding every file, lockfile included', async (t) => {
  if (!realTool('git')) return t.skip('git is not installed here');
  const cwd = tempDir();
  const { commands, lockFiles } = expectedLock('pipenv', cwd);
  const fakes = Object.fromEntries(commands.map((c) => [c.command, `const fs = require('node:fs');\n${writeLockFiles(lockFiles)}`]));
  const env = cliEnv(binDir({ fakes, real: ['git'] }));
  const result = await runCli(['svc'], { cwd, env });
  assert.equal(result.exitCode, 0, show(result));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: join(cwd, 'svc'), env, encoding: 'utf8' }).trim();
  assert.equal(git('rev-list', '--count', 'HEAD'), '1');
  assert.match(git('log', '-1', '--format=%s'), /create-hardened-service/);
  assert.equal(git('status', '--porcelain'), '', 'everything committed');
  const tracked = git('ls-files').split('\n').sort();
  assert.deepEqual(tracked, files(join(cwd, 'svc')).filter((path) => !path.startsWith('.git/')));
  for (const path of lockFiles) assert.ok(tracked.includes(path));
});

test('--no-git: no repository even with git installed', async (t) => {
  if (!realTool('git')) return t.skip('git is not installed here');
  const cwd = tempDir();
  const result = await runCli(['svc', '--no-git', '--no-lock'], { cwd, env: cliEnv(binDir({ real: ['git'] })) });
  assert.equal(result.exitCode, 0, show(result));
  assert.ok(!existsSync(join(cwd, 'svc', '.git')));
});

test('inside an existing work tree: no nested repository', async (t) => {
  if (!realTool('git')) return t.skip('git is not installed here');
  const cwd = tempDir();
  const env = cliEnv(binDir({ real: ['git'] }));
  execFileSync('git', ['init', '--quiet'], { cwd, env });
  const result = await runCli(['svc', '--no-lock'], { cwd, env });
  assert.equal(result.exitCode, 0, show(result));
  assert.ok(!existsSync(join(cwd, 'svc', '.git')));
  assert.match(result.stdout, /Skipped git/);
});

/** A lock tool that signals it started, then hangs (as a slow resolver would). */
function slowLock(log: string, started: string, lockFiles: string[]): string {
  return tool(log, `${writeLockFiles(lockFiles)}\nfs.writeFileSync(${JSON.stringify(started)}, '');\nsetTimeout(() => {}, 20_000);`);
}

// A terminal's Ctrl-C reaches the whole process group: the lock tool may die of SIGINT before the
// CLI's own handler runs. That is a cancel (src/tasks/interrupted.ts), not a lock failure.
for (const how of ['to the CLI', 'to the whole process group, as a terminal does'] as const) {
  test(`Ctrl-C (SIGINT ${how}) while the lock runs: exit 130, nothing left`, async () => {
    const cwd = tempDir();
    const logs = tempDir('chs-log');
    const started = join(logs, 'started');
    const { commands, lockFiles } = expectedLock('pipenv', cwd);
    const fakes = Object.fromEntries(commands.map((c) => [c.command, slowLock(join(logs, 'calls.jsonl'), started, lockFiles)]));
    const group = how !== 'to the CLI';
    const run = startCli(['svc', '--no-git'], { cwd, env: cliEnv(binDir({ fakes })), detached: group, timeoutMs: 20_000 });
    await until(() => existsSync(started), 'the lock tool to start');
    assert.ok(existsSync(join(cwd, 'svc', lockFiles[0]!)), 'the project and a partial lock were on disk mid-run');
    if (group) process.kill(-run.child.pid!, 'SIGINT');
    else run.child.kill('SIGINT');
    const result = await run.result;
    if (group) {
      try {
        process.kill(-run.child.pid!, 'SIGKILL'); // a lock tool the CLI left behind (its own group only)
      } catch {
        // the group is gone: nothing left behind
      }
    }
    assert.equal(result.exitCode, 130, show(result));
    assert.match(result.stderr, /Cancelled\. Nothing was written\./);
    assert.doesNotMatch(result.stderr, /^\s+at /m, 'no stack trace');
    assert.deepEqual(readdirSync(cwd), [], 'the target directory is gone, no temp directory left');
  });
}

test('Ctrl-C while locking into an existing directory (--force): only what the run created is removed', async () => {
  const cwd = tempDir();
  const logs = tempDir('chs-log');
  const started = join(logs, 'started');
  const target = join(cwd, 'svc');
  mkdirSync(join(target, 'docs'), { recursive: true });
  writeFileSync(join(target, 'notes.txt'), 'mine\n');
  writeFileSync(join(target, 'docs', 'plan.md'), '# plan\n');
  const before = snapshot(target);
  const { commands, lockFiles } = expectedLock('pipenv', cwd);
  const fakes = Object.fromEntries(commands.map((c) => [c.command, slowLock(join(logs, 'calls.jsonl'), started, lockFiles)]));
  const run = startCli(['svc', '--force', '--no-git'], { cwd, env: cliEnv(binDir({ fakes })), timeoutMs: 20_000 });
  await until(() => existsSync(started), 'the lock tool to start');
  run.child.kill('SIGINT');
  const result = await run.result;
  assert.equal(result.exitCode, 130, show(result));
  assert.match(result.stderr, /Cancelled\. Nothing was written\./);
  assert.deepEqual(snapshot(target), before, 'exactly the user files remain, untouched');
  assert.deepEqual(files(target, { dirs: true }), ['docs/', 'docs/plan.md', 'notes.txt']);
});

test('SIGTERM while the lock runs (a CI job cancelled): a non-zero exit, nothing left', async () => {
  const cwd = tempDir();
  const logs = tempDir('chs-log');
  const started = join(logs, 'started');
  const { commands, lockFiles } = expectedLock('pipenv', cwd);
  const fakes = Object.fromEntries(commands.map((c) => [c.command, slowLock(join(logs, 'calls.jsonl'), started, lockFiles)]));
  const run = startCli(['svc', '--no-git'], { cwd, env: cliEnv(binDir({ fakes })), timeoutMs: 20_000 });
  await until(() => existsSync(started), 'the lock tool to start');
  run.child.kill('SIGTERM');
  const result = await run.result;
  assert.notEqual(result.exitCode, 0, show(result));
  assert.equal(result.timedOut, false, show(result));
  assert.deepEqual(readdirSync(cwd), [], 'the project is undone');
});

test('Ctrl-C while git commits into an existing directory (--force): the new .git and the project files go, user files stay', async () => {
  const cwd = tempDir();
  const logs = tempDir('chs-log');
  const started = join(logs, 'started');
  const target = join(cwd, 'svc');
  mkdirSync(target);
  writeFileSync(join(target, 'notes.txt'), 'mine\n');
  const before = snapshot(target);
  const git = hangingGit(started);
  const run = startCli(['svc', '--force', '--no-lock'], { cwd, env: cliEnv(binDir({ fakes: { git } })), timeoutMs: 20_000 });
  await until(() => existsSync(started), 'git commit to start');
  assert.ok(existsSync(join(target, '.git')), 'mid-run the repository exists');
  run.child.kill('SIGINT');
  const result = await run.result;
  assert.equal(result.exitCode, 130, show(result));
  assert.deepEqual(snapshot(target), before);
  assert.deepEqual(files(target, { dirs: true }), ['notes.txt'], 'no .git, no project file left');
});

test('a working directory with spaces, quotes and non-ASCII in its path: lock and git still run', async (t) => {
  if (!realTool('git')) return t.skip('git is not installed here');
  const cwd = join(tempDir(), `My Projects (ü) 'quoted' $HOME`);
  mkdirSync(cwd);
  const log = join(tempDir('chs-log'), 'calls.jsonl');
  const { commands, lockFiles } = expectedLock('pipenv', cwd);
  const fakes = Object.fromEntries(commands.map((c) => [c.command, tool(log, writeLockFiles(lockFiles))]));
  const env = cliEnv(binDir({ fakes, real: ['git'] }));
  const result = await runCli(['svc'], { cwd, env });
  assert.equal(result.exitCode, 0, show(result));
  assert.equal(realpathSync(calls(log)[0]!.cwd), realpathSync(join(cwd, 'svc')));
  assert.equal(execFileSync('git', ['rev-list', '--count', 'HEAD'], { cwd: join(cwd, 'svc'), env, encoding: 'utf8' }).trim(), '1');
  for (const path of lockFiles) assert.ok(existsSync(join(cwd, 'svc', path)));
});

// Issue 9: `git add --all` put the user's keys and .env files into the generated "Initial commit".
test('--force with git: the initial commit holds the generated files and the lock only; the user\'s files stay untracked and are named', async (t) => {
  if (!realTool('git')) return t.skip('git is not installed here');
  const cwd = tempDir();
  const target = join(cwd, 'svc');
  mkdirSync(join(target, 'notes'), { recursive: true });
  const mine = ['.env', 'id_rsa', 'notes/todo.md', 'data.csv', 'backup.tar', 'draft.md', 'old.py'];
  for (const path of mine) writeFileSync(join(target, path), `mine: ${path}\n`);
  const { commands, lockFiles } = expectedLock('pipenv', cwd);
  const fakes = Object.fromEntries(commands.map((c) => [c.command, `const fs = require('node:fs');\n${writeLockFiles(lockFiles)}`]));
  const env = cliEnv(binDir({ fakes, real: ['git'] }));
  const result = await runCli(['svc', '--force'], { cwd, env });
  assert.equal(result.exitCode, 0, show(result));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: target, env, encoding: 'utf8' }).trim();
  const tracked = git('ls-files').split('\n').sort();
  const generated = files(target).filter((path) => !path.startsWith('.git/') && !mine.includes(path));
  assert.deepEqual(tracked, generated, 'exactly the generated files and the lock');
  for (const path of lockFiles) assert.ok(tracked.includes(path), `${path} committed`);
  for (const path of mine) assert.ok(!tracked.includes(path), `${path} is not committed`);
  // The closing message says so: a few named, the rest counted, as git sees them (notes/ is one
  // entry; .env is ignored by the generated .gitignore, so git does not count it as untracked).
  assert.match(result.stderr, /the initial commit holds only the generated files; what was here before stays untracked: backup\.tar, data\.csv, draft\.md, id_rsa, notes\/ and 1 more$/m);
});

/** The lines of "Done. Next:" (stdout without a TTY). */
const nextSteps = (stdout: string) => stdout.slice(stdout.indexOf('Done. Next:')).split('\n').slice(1).map((line) => line.trim()).filter(Boolean);

// Issue 10: the first next step was `docker build --target test .`, which fails without the lock.
test('"Done. Next:" starts with the lock when the Docker build needs one that could not be made', async () => {
  const cwd = tempDir();
  const { commands, inImage } = expectedLock('pipenv', cwd);
  const local = commands.map((c) => showCommand(c.command, c.args, c.env)).join(' && ');

  const missing = await runCli(['svc', '--no-git'], { cwd, env: cliEnv(binDir()) });
  assert.equal(missing.exitCode, 0, show(missing));
  let steps = nextSteps(missing.stdout);
  assert.equal(steps[0], 'cd svc');
  assert.ok(steps[1]!.startsWith(`${inImage} `), `the tool is not here: lock inside the builder image first\n${steps.join('\n')}`);
  assert.match(steps[2]!, /^docker build --target test \./);

  const failing = Object.fromEntries(commands.map((c) => [c.command, `process.exit(3);`]));
  const failed = await runCli(['failed', '--no-git'], { cwd, env: cliEnv(binDir({ fakes: failing })) });
  steps = nextSteps(failed.stdout);
  assert.ok(steps[1]!.startsWith(`${local} `), `the tool is here but failed: its own command first\n${steps.join('\n')}`);

  const skipped = await runCli(['skipped', '--no-git', '--no-lock'], { cwd, env: cliEnv(binDir()) });
  steps = nextSteps(skipped.stdout);
  assert.ok(steps[1]!.startsWith(`${local} `), `--no-lock: the lock command first\n${steps.join('\n')}`);
});

test('"Done. Next:" starts with the build when the lock is there (made, or rendered complete as Go\'s go.sum)', async () => {
  const cwd = tempDir();
  const { commands, lockFiles } = expectedLock('pipenv', cwd);
  const fakes = Object.fromEntries(commands.map((c) => [c.command, `const fs = require('node:fs');\n${writeLockFiles(lockFiles)}`]));
  const locked = await runCli(['svc', '--no-git'], { cwd, env: cliEnv(binDir({ fakes })) });
  assert.equal(locked.exitCode, 0, show(locked));
  assert.match(nextSteps(locked.stdout)[1]!, /^docker build --target test \./);
  const go = await runCli(['orders', '--no-git', '--language', 'go'], { cwd, env: cliEnv(binDir()) });
  assert.equal(go.exitCode, 0, show(go));
  assert.match(nextSteps(go.stdout)[1]!, /^docker build --target test \./);
});
