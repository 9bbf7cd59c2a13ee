import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { targetProblem } from '../../src/write/target.ts';

const root = mkdtempSync(join(tmpdir(), 'chs-target-'));
after(() => rmSync(root, { recursive: true, force: true }));

const deadPid = () => Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);

test('targetProblem: a killed run\'s staging directory does not make a directory "not empty"; a live run\'s does', () => {
  const target = join(root, 'svc');
  mkdirSync(join(target, `.svc.tmp-${deadPid()}-0badcafe`), { recursive: true });
  assert.equal(targetProblem('svc', target, false), undefined);
  // pid 1 is alive: a run may be writing there right now.
  mkdirSync(join(target, '.svc.tmp-1-0badcafe'));
  assert.match(targetProblem('svc', target, false) ?? '', /svc is not empty \(\.svc\.tmp-1-0badcafe\)/);
});

test('targetProblem: a symbolic link to nothing is refused, with or without --force', () => {
  const link = join(root, 'dangling');
  symlinkSync(join(root, 'nowhere'), link);
  for (const force of [false, true]) {
    assert.match(targetProblem('dangling', link, force) ?? '', /^dangling is a symbolic link to a path that does not exist\. Example: /);
  }
});

test('targetProblem: names in the directory are shown escaped, plain ones as they are', () => {
  const target = join(root, 'names');
  mkdirSync(target);
  writeFileSync(join(target, 'plain.txt'), '');
  writeFileSync(join(target, 'evil\u001b[2J\u0007'), '');
  writeFileSync(join(target, 'two words'), '');
  const problem = targetProblem('names', target, false) ?? '';
  assert.ok(problem.includes('("evil\\u001b[2J\\u0007", plain.txt, "two words")'), problem);
  assert.doesNotMatch(problem, /[\u0000-\u001f]/);
});
