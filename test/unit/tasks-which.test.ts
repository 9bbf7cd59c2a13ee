import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, before, test } from 'node:test';
import { showCommand, which } from '../../src/tasks/which.ts';

let root: string;
let first: string;
let second: string;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'which-test-'));
  first = join(root, 'first');
  second = join(root, 'second');
  await mkdir(first);
  await mkdir(second);
  for (const [dir, name, mode] of [
    [first, 'tool', 0o755],
    [second, 'tool', 0o755],
    [second, 'only-second', 0o755],
    [first, 'not-executable', 0o644],
  ] as const) {
    await writeFile(join(dir, name), '#!/bin/sh\nexit 0\n');
    await chmod(join(dir, name), mode);
  }
  // A directory is searchable (X_OK) but not a command.
  await mkdir(join(first, 'a-directory'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

test('which finds an executable on the given PATH, first directory first', () => {
  const path = [first, second].join(delimiter);
  assert.equal(which('tool', path), join(first, 'tool'));
  assert.equal(which('tool', [second, first].join(delimiter)), join(second, 'tool'));
  assert.equal(which('only-second', path), join(second, 'only-second'));
});

test('which ignores missing commands, non-executable files, directories and empty PATH entries', () => {
  const path = [first, second].join(delimiter);
  assert.equal(which('missing', path), undefined);
  assert.equal(which('not-executable', path), undefined);
  assert.equal(which('a-directory', path), undefined);
  assert.equal(which('tool', ''), undefined);
  // An empty entry would mean the current directory: never search it.
  assert.equal(which('tool', `${delimiter}${join(root, 'nowhere')}`), undefined);
  assert.equal(which('tool', `${join(root, 'nowhere')}${delimiter}${delimiter}${second}`), join(second, 'tool'));
});

test('showCommand leaves plain arguments alone', () => {
  assert.equal(showCommand('pipenv', ['lock']), 'pipenv lock');
  assert.equal(
    showCommand('pip-compile', ['--index-url=https://nexus.example.com/pypi/simple', '-o', 'requirements.txt', 'a@b', '50%', 'x+y,z:1']),
    'pip-compile --index-url=https://nexus.example.com/pypi/simple -o requirements.txt a@b 50% x+y,z:1',
  );
});

test('showCommand quotes what a shell would interpret', () => {
  assert.equal(showCommand('echo', ['two words']), "echo 'two words'");
  assert.equal(showCommand('echo', ['']), "echo ''");
  assert.equal(showCommand('echo', ["it's"]), `echo 'it'\\''s'`);
  assert.equal(showCommand('echo', ['$(id)', '`id`', '${HOME}', 'a;b', 'a|b', 'a&b', '*', '~', '#x']), "echo '$(id)' '`id`' '${HOME}' 'a;b' 'a|b' 'a&b' '*' '~' '#x'");
});

test('a shown command, pasted into sh, gives the program exactly the original arguments', () => {
  const args = ['plain', 'two words', "it's", "'", "''", '$(id)', '`id`', '${HOME}', 'a;b', 'line\nbreak', '\\', '"', '*', '~user', '-', '', 'ünï ✓'];
  const shown = showCommand('printf', ['%s\\0', ...args]);
  // The test passes the shown text to sh on purpose: it checks that pasting it is safe.
  const output = execFileSync('/bin/sh', ['-c', shown], { encoding: 'utf8' });
  assert.deepEqual(output.split('\0').slice(0, -1), args);
});

test("showCommand puts the command's own environment first, quoted like any argument", () => {
  assert.equal(
    showCommand('pnpm', ['install', '--lockfile-only'], { pnpm_config_registry: 'https://nexus.example.com/repository/npm/' }),
    'pnpm_config_registry=https://nexus.example.com/repository/npm/ pnpm install --lockfile-only',
  );
  assert.equal(showCommand('go', ['mod', 'tidy'], { GOFLAGS: '-mod=mod -x' }), "GOFLAGS='-mod=mod -x' go mod tidy");
});
