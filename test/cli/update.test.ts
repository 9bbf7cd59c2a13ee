// `update` on a project this version generated (the base rendered in-process): answers changed on
// the way, the lock advice, --help and the options update refuses.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { alive, assertBuilt, binDir, cliEnv, runCli, show, snapshot, startCli, tempDir, until } from '../helpers/cli.ts';

let path: string;
before(() => {
  assertBuilt();
  path = binDir({ real: ['git'] });
});

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=Team', '-c', 'user.email=team@example.com', ...args], { cwd, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' } });

async function generate(args: string[] = []): Promise<string> {
  const cwd = tempDir('chs-update-cli');
  const made = await runCli(['svc', '--yes', '--no-lock', ...args], { cwd, env: cliEnv(path), timeoutMs: 60_000 });
  assert.equal(made.exitCode, 0, show(made));
  return join(cwd, 'svc');
}

const update = (cwd: string, args: string[]) => runCli(['update', ...args], { cwd, env: cliEnv(path), timeoutMs: 60_000 });

test('a project of this version is up to date; --index-url on the way updates the manifest, the record, and prints the lock advice', async () => {
  const dir = await generate();
  const check = await update(dir, ['--check']);
  assert.equal(check.exitCode, 0, show(check));
  assert.match(check.stdout, /up to date with create-hardened-service/);

  const result = await update(dir, ['--index-url', 'https://nexus.example.com/pypi/simple']);
  assert.equal(result.exitCode, 0, show(result));
  assert.match(result.stdout, /base: create-hardened-service .* \(this one\); answers changed: indexUrl\)/);
  assert.match(result.stdout, /updated\s+Pipfile/);
  assert.match(readFileSync(join(dir, 'Pipfile'), 'utf8'), /nexus\.example\.com\/pypi\/simple/);
  assert.equal(JSON.parse(readFileSync(join(dir, '.hardened-service.json'), 'utf8')).answers.indexUrl, 'https://nexus.example.com/pypi/simple');
  assert.match(result.stdout, /A manifest changed: remake the lock\. Run: .*pipenv lock/);

  // Committed, the project is up to date with the new answer; another --check agrees.
  git(dir, 'commit', '-q', '-a', '-m', 'Mirror');
  const after = await update(dir, ['--check']);
  assert.equal(after.exitCode, 0, show(after));
});

test('--registry: the base images and the frontend move with it; a team edit elsewhere in the Dockerfile is kept', async () => {
  const dir = await generate();
  const dockerfile = readFileSync(join(dir, 'Dockerfile'), 'utf8');
  writeFileSync(join(dir, 'Dockerfile'), dockerfile.replace('WORKDIR /app', 'WORKDIR /app\n# team note'));
  git(dir, 'commit', '-q', '-a', '-m', 'Team note');
  const result = await update(dir, ['--registry', 'registry.example.com/base']);
  assert.equal(result.exitCode, 0, show(result));
  const updated = readFileSync(join(dir, 'Dockerfile'), 'utf8');
  assert.match(updated, /^# syntax=registry\.example\.com\/base\/docker\/dockerfile:1$/m);
  assert.match(updated, /^FROM registry\.example\.com\/base\/python:3\.13-slim-trixie AS builder$/m);
  assert.match(updated, /# team note/);
  assert.match(result.stdout, /merged\s+Dockerfile/);
});

test('update --help; options not its own, bad values and --check with --dry-run are refused with exit 2', async () => {
  const dir = await generate();
  const help = await update(dir, ['--help']);
  assert.equal(help.exitCode, 0, show(help));
  assert.match(help.stdout, /create-hardened-service update \[directory\]/);
  assert.match(help.stdout, /--no-base/);
  for (const [args, message] of [
    [['--force'], /update --force: is not an option of update/],
    [['--yes'], /update --yes: is not an option of update/],
    [['--registry'], /update --registry: needs a value\. Example: .*--registry registry\.example\.com/],
    [['--check', '--dry-run'], /does not take --dry-run/],
    [['--registry', 'https://x'], /--registry/],
    [['a', 'b'], /takes one directory, got 2/],
  ] as const) {
    const result = await update(dir, [...args]);
    assert.equal(result.exitCode, 2, `${args.join(' ')}: ${show(result)}`);
    assert.match(result.stderr, message);
    assert.match(result.stderr, /Nothing was changed/);
  }
  assert.equal(git(dir, 'status', '--porcelain'), '');

  // A record of a later release is not taken back to this one.
  const record = JSON.parse(readFileSync(join(dir, '.hardened-service.json'), 'utf8'));
  writeFileSync(join(dir, '.hardened-service.json'), JSON.stringify({ ...record, version: '99.0.0' }));
  git(dir, 'commit', '-q', '-a', '-m', 'From the future');
  const later = await update(dir, ['--check']);
  assert.equal(later.exitCode, 2, show(later));
  assert.match(later.stderr, /written by create-hardened-service 99\.0\.0, newer than this/);
});

test('SIGTERM while the release is fetched: exit 143, the fetch stopped, nothing changed', async () => {
  const dir = await generate();
  const record = JSON.parse(readFileSync(join(dir, '.hardened-service.json'), 'utf8'));
  writeFileSync(join(dir, '.hardened-service.json'), JSON.stringify({ ...record, version: '0.0.1' }, null, 2));
  git(dir, 'commit', '-q', '-a', '-m', 'An older record');
  const started = join(tempDir('chs-update-npm'), 'started');
  const npm = `require('node:fs').writeFileSync(${JSON.stringify(started)}, String(process.pid)); setTimeout(() => {}, 60_000);`;
  const before = Object.entries(snapshot(dir)).filter(([file]) => !file.startsWith('.git/'));
  const running = startCli(['update'], { cwd: dir, env: cliEnv(binDir({ real: ['git'], fakes: { npm } })), timeoutMs: 60_000 });
  await until(() => existsSync(started) && readFileSync(started, 'utf8') !== '', 'the fake npm to start', 30_000);
  running.child.kill('SIGTERM');
  const result = await running.result;
  assert.equal(result.exitCode, 143, show(result));
  assert.match(result.stderr, /Cancelled by SIGTERM\. Nothing was changed\./);
  await until(() => !alive(Number(readFileSync(started, 'utf8'))), 'npm to be stopped', 10_000);
  assert.deepEqual(Object.entries(snapshot(dir)).filter(([file]) => !file.startsWith('.git/')), before);
});

test('a project made with a preset file: update reads the recorded preset, follows its change, and keeps its source in the record', async () => {
  const cwd = tempDir('chs-update-preset');
  writeFileSync(join(cwd, 'team.json'), JSON.stringify({ defaults: { indexUrl: 'https://nexus.example.com/pypi/simple' }, locked: ['indexUrl'] }));
  const made = await runCli(['svc', '--yes', '--no-lock', '--preset', './team.json'], { cwd, env: cliEnv(path), timeoutMs: 60_000 });
  assert.equal(made.exitCode, 0, show(made));
  const dir = join(cwd, 'svc');
  const recorded = () => JSON.parse(readFileSync(join(dir, '.hardened-service.json'), 'utf8'));
  assert.equal(recorded().preset.source, '../team.json');

  // The team moves its mirror (a locked answer): the recorded preset is read again, from the project's own record.
  writeFileSync(join(cwd, 'team.json'), JSON.stringify({ defaults: { indexUrl: 'https://mirror.example.com/pypi/simple' }, locked: ['indexUrl'] }));
  const behind = await update(dir, ['--check']);
  assert.equal(behind.exitCode, 1, show(behind));
  const result = await update(dir, []);
  assert.equal(result.exitCode, 0, show(result));
  assert.match(readFileSync(join(dir, 'Pipfile'), 'utf8'), /mirror\.example\.com\/pypi\/simple/);
  assert.equal(recorded().preset.source, '../team.json', 'the record still names the preset, so the next update reads it too');
});

test('no registry reachable: one note of the images left on their tags and why, naming the pin command to run later', async () => {
  const dir = await generate(['--registry', 'registry.example.invalid/base']);
  const result = await runCli(['update', 'svc'], { cwd: join(dir, '..'), env: cliEnv(path), timeoutMs: 60_000 });
  assert.equal(result.exitCode, 0, show(result));
  const lines = result.stderr.trim().split('\n');
  assert.equal(lines.length, 1, show(result));
  assert.match(lines[0]!, /^note images left on their tags, no digest: registry\.example\.invalid\/base\/python:3\.13-slim-trixie, .*; registry\.example\.invalid unreachable \([A-Z_]+\)\. Once the registry can be reached, run: create-hardened-service pin svc$/, show(result));
  assert.doesNotMatch(result.stderr, /warning|only tags could be pinned|Rerun/, show(result));
});
