// The pure merge plan of `update`, the files it reads and writes (no link followed, every change
// undone on a failure or a stop), the answers it renders with, and the tarball reader.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, test } from 'node:test';
import { RULES } from '../../src/answer-rules.ts';
import { applyChanges, readOurs } from '../../src/update/apply.ts';
import { restorePins } from '../../src/update/base.ts';
import { mergeFile } from '../../src/update/git.ts';
import { hasConflictMarkers, planUpdate, type Ours, type PathInput } from '../../src/update/plan.ts';
import { parseRecord, updateAnswers } from '../../src/update/record.ts';
import { unpackTarball } from '../../src/update/tar.ts';
import { UnsafePath } from '../../src/write/atomic.ts';
import type { Preset } from '../../src/options/preset.ts';

const dirs: string[] = [];
const temp = () => {
  const dir = mkdtempSync(join(tmpdir(), 'update-unit-'));
  dirs.push(dir);
  return dir;
};
after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const file = (text: string): Ours => ({ kind: 'file', text });
const missing: Ours = { kind: 'missing' };
const plan = (files: PathInput[], haveBase = true, lockFiles: string[] = []) => planUpdate({ files, record: '.hardened-service.json', haveBase, lockFiles });

test('plan: untouched updated, both changed merged, team-only and up-to-date left alone', () => {
  const actions = plan([
    { path: 'untouched', base: 'a\n', theirs: 'b\n', ours: file('a\n') },
    { path: 'both', base: 'a\n', theirs: 'b\n', ours: file('c\n') },
    { path: 'team-only', base: 'a\n', theirs: 'a\n', ours: file('c\n') },
    { path: 'same-change', base: 'a\n', theirs: 'b\n', ours: file('b\n') },
  ]);
  assert.deepEqual(actions, [
    { kind: 'merge', path: 'both', base: 'a\n', ours: 'c\n', theirs: 'b\n' },
    { kind: 'write', path: 'untouched', text: 'b\n', was: 'a\n', why: 'updated' },
  ]);
});

test('plan: deleted by the team stays deleted (noted when the template changed it), new template files added', () => {
  assert.deepEqual(
    plan([
      { path: 'a/deleted-changed', base: 'x\n', theirs: 'y\n', ours: missing },
      { path: 'a/deleted-same', base: 'x\n', theirs: 'x\n', ours: missing },
      { path: 'new', base: undefined, theirs: 'n\n', ours: missing },
      { path: 'new-but-taken', base: undefined, theirs: 'n\n', ours: file('mine\n') },
    ]),
    [
      { kind: 'note', path: 'a/deleted-changed', why: 'deleted-by-team' },
      { kind: 'write', path: 'new', text: 'n\n', was: undefined, why: 'added' },
      { kind: 'merge', path: 'new-but-taken', base: '', ours: 'mine\n', theirs: 'n\n' },
    ],
  );
});

test('plan: a file no longer generated is never deleted, only noted (not the lock files a generation commit holds)', () => {
  assert.deepEqual(
    plan(
      [
        { path: 'gone', base: 'x\n', theirs: undefined, ours: file('x\n') },
        { path: 'Pipfile.lock', base: '{}\n', theirs: undefined, ours: file('{}\n') },
        { path: 'gone-already', base: 'x\n', theirs: undefined, ours: missing },
      ],
      true,
      ['Pipfile.lock'],
    ),
    [{ kind: 'note', path: 'gone', why: 'no-longer-generated' }],
  );
});

test('plan: links, binaries and over-size files are refused when the template changed them, ignored when it did not', () => {
  const link: Ours = { kind: 'unsafe', why: 'a symbolic link (never written through)' };
  assert.deepEqual(
    plan([
      { path: 'changed', base: 'a\n', theirs: 'b\n', ours: link },
      { path: 'same', base: 'a\n', theirs: 'a\n', ours: link },
    ]),
    [{ kind: 'refused', path: 'changed', why: 'a symbolic link (never written through)' }],
  );
  assert.equal(plan([{ path: 'x', base: undefined, theirs: 'a\n', ours: link }], false)[0]!.kind, 'refused');
});

test('plan: the record is always rewritten as rendered; without a base every difference is a two-way merge and missing files are added', () => {
  assert.deepEqual(
    plan(
      [
        { path: '.hardened-service.json', base: '{"version":"0.1.0"}\n', theirs: '{"version":"0.2.0"}\n', ours: file('{"edited":1}\n') },
        { path: 'equal', base: undefined, theirs: 'e\n', ours: file('e\n') },
        { path: 'differs', base: undefined, theirs: 't\n', ours: file('o\n') },
        { path: 'missing', base: undefined, theirs: 'm\n', ours: missing },
      ],
      false,
    ),
    [
      { kind: 'write', path: '.hardened-service.json', text: '{"version":"0.2.0"}\n', was: '{"edited":1}\n', why: 'record' },
      { kind: 'merge', path: 'differs', base: '', ours: 'o\n', theirs: 't\n' },
      { kind: 'write', path: 'missing', text: 'm\n', was: undefined, why: 'added' },
    ],
  );
});

test('merge-file: changes apart merge cleanly, overlapping ones are marked, and the markers are found', () => {
  const labels = { ours: 'yours', base: 'create-hardened-service 0.1.0', theirs: 'create-hardened-service 0.2.0' };
  const base = 'one\ntwo\nthree\nfour\nfive\nsix\n';
  const clean = mergeFile('ONE\ntwo\nthree\nfour\nfive\nsix\n', base, 'one\ntwo\nthree\nfour\nfive\nSIX\n', labels, process.env);
  assert.deepEqual(clean, { text: 'ONE\ntwo\nthree\nfour\nfive\nSIX\n', conflicts: 0 });
  assert.equal(hasConflictMarkers(clean.text), false);
  const conflict = mergeFile('one\nTWO\nthree\nfour\nfive\nsix\n', base, 'one\n2\nthree\nfour\nfive\nsix\n', labels, process.env);
  assert.equal(conflict.conflicts, 1);
  assert.equal(conflict.text, 'one\n<<<<<<< yours\nTWO\n=======\n2\n>>>>>>> create-hardened-service 0.2.0\nthree\nfour\nfive\nsix\n');
  assert.equal(hasConflictMarkers(conflict.text), true);
  // A Markdown rule line alone is no conflict.
  assert.equal(hasConflictMarkers('=======\n'), false);
});

test('readOurs: text files read; links on the way, binaries, large files and other kinds refused', async () => {
  const dir = temp();
  mkdirSync(join(dir, 'real'));
  writeFileSync(join(dir, 'real/file'), 'héllo\n');
  writeFileSync(join(dir, 'binary'), Buffer.from([1, 0, 2]));
  writeFileSync(join(dir, 'latin1'), Buffer.from([0xe9, 0x0a]));
  writeFileSync(join(dir, 'large'), 'x'.repeat(1024 * 1024 + 1));
  symlinkSync('real', join(dir, 'linkdir'));
  symlinkSync('real/file', join(dir, 'linkfile'));
  assert.deepEqual(await readOurs(dir, 'real/file'), { kind: 'file', text: 'héllo\n' });
  assert.deepEqual(await readOurs(dir, 'nothing/here'), { kind: 'missing' });
  assert.equal((await readOurs(dir, 'binary')).kind, 'unsafe');
  assert.match((await readOurs(dir, 'latin1')) .kind, /unsafe/);
  assert.deepEqual(await readOurs(dir, 'large'), { kind: 'unsafe', why: 'over 1 MiB' });
  assert.deepEqual(await readOurs(dir, 'linkdir/file'), { kind: 'unsafe', why: 'linkdir is a symbolic link (never written through)' });
  assert.deepEqual(await readOurs(dir, 'linkfile'), { kind: 'unsafe', why: 'a symbolic link (never written through)' });
  assert.deepEqual(await readOurs(dir, 'real'), { kind: 'unsafe', why: 'not a regular file' });
  assert.deepEqual(await readOurs(dir, 'real/file/below'), { kind: 'unsafe', why: 'real/file is not a directory' });
});

const tree = (dir: string): Record<string, string> => {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const entry of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(path);
      else out[path] = readFileSync(join(dir, path), 'utf8');
    }
  };
  walk('');
  return out;
};

test('applyChanges: every file replaced, added or made in a new directory; a failure halfway puts all back', async () => {
  const dir = temp();
  writeFileSync(join(dir, 'a'), 'a0\n');
  writeFileSync(join(dir, 'b'), 'b0\n');
  const before = tree(dir);
  const changes = [
    { path: 'a', text: 'a1\n', was: 'a0\n' },
    { path: 'new/dir/c', text: 'c1\n', was: undefined },
    { path: 'b', text: 'b1\n', was: 'b0\n' },
  ];
  await assert.rejects(
    applyChanges(dir, changes, {
      beforeFile: (path) => {
        if (path === 'b') throw new Error('disk full');
      },
    }),
    /disk full/,
  );
  assert.deepEqual(tree(dir), before);
  assert.equal(existsSync(join(dir, 'new')), false, 'directories made for new files are removed');

  const stop = new AbortController();
  await assert.rejects(applyChanges(dir, changes, { signal: stop.signal, beforeFile: (path) => void (path === 'b' && stop.abort(new Error('SIGTERM'))) }), /SIGTERM/);
  assert.deepEqual(tree(dir), before);

  const applied = await applyChanges(dir, changes);
  assert.deepEqual(tree(dir), { a: 'a1\n', b: 'b1\n', 'new/dir/c': 'c1\n' });
  await applied.undo();
  assert.deepEqual(tree(dir), before);
});

test('applyChanges: a file changed since it was read, or a link swapped in, is refused and nothing stays changed', async () => {
  const dir = temp();
  writeFileSync(join(dir, 'a'), 'a0\n');
  writeFileSync(join(dir, 'b'), 'edited meanwhile\n');
  await assert.rejects(applyChanges(dir, [{ path: 'a', text: 'a1\n', was: 'a0\n' }, { path: 'b', text: 'b1\n', was: 'b0\n' }]), /b changed while update ran/);
  assert.equal(readFileSync(join(dir, 'a'), 'utf8'), 'a0\n');
  const outside = temp();
  symlinkSync(outside, join(dir, 'sub'));
  await assert.rejects(applyChanges(dir, [{ path: 'sub/c', text: 'c\n', was: undefined }]), UnsafePath);
  assert.deepEqual(readdirSync(outside), []);
});

const RECORD = {
  generator: 'create-hardened-service',
  version: '0.1.0',
  answers: {
    name: 'svc',
    language: 'python',
    manager: 'pipenv',
    runtimeVersion: '3.13',
    registry: null,
    builderImage: null,
    runtimeImage: null,
    syntax: 'docker/dockerfile:1',
    certBundle: null,
    certPath: '/certs/',
    indexUrl: null,
    gates: ['test'],
    ci: 'github',
    maintainer: null,
    devcontainer: true,
    preCommit: true,
  },
  images: { builder: 'python:3.13-slim-trixie', runtime: 'gcr.io/distroless/python3-debian13:nonroot' },
  versions: {},
};

const answersFor = (flags: Record<string, string>, preset?: Preset, record: object = RECORD) =>
  updateAnswers({ rules: RULES, record: parseRecord(record, 'svc/.hardened-service.json'), shown: 'svc/.hardened-service.json', flags, aliases: {}, preset, directory: 'svc', cwd: '/tmp' });

test('answers: the recorded ones kept; a new --registry moves the frontend it computed; a locked preset value wins over the record', () => {
  const kept = answersFor({});
  assert.equal(kept.answers.manager, 'pipenv');
  assert.deepEqual(kept.answers.gates, ['test']);
  assert.deepEqual(kept.changed, []);

  const moved = answersFor({ registry: 'registry.example.com/base' });
  assert.equal(moved.answers.registry, 'registry.example.com/base');
  assert.equal(moved.answers.syntax, 'registry.example.com/base/docker/dockerfile:1');
  assert.deepEqual(moved.changed, ['registry', 'syntax']);

  const preset: Preset = { file: 'team.json', defaults: { ci: 'gitlab', maintainer: 'Team <t@example.com>' }, locked: ['ci'], versions: {} };
  const locked = answersFor({}, preset);
  assert.equal(locked.answers.ci, 'gitlab', 'locked: the preset wins');
  assert.equal(locked.answers.maintainer, null, 'unlocked: the record wins');
  assert.throws(() => answersFor({ ci: 'github' }, preset), /--ci: "github" contradicts the preset team\.json/);

  // A record of a release without the syntax answer gets today's default.
  const { syntax: _, ...older } = RECORD.answers;
  assert.equal(answersFor({}, undefined, { ...RECORD, answers: older }).answers.syntax, 'docker/dockerfile:1');
  // A bad flag value is refused like the wizard's.
  assert.throws(() => answersFor({ registry: 'https://registry.example.com' }), /--registry/);
});

test('record: what is not a record is refused naming the file', () => {
  assert.throws(() => parseRecord([], 'svc/.hardened-service.json'), /svc\/\.hardened-service\.json: not a JSON object/);
  assert.throws(() => parseRecord({ ...RECORD, generator: 'other' }, 'r.json'), /"generator"/);
  assert.throws(() => parseRecord({ ...RECORD, answers: [] }, 'r.json'), /"answers" is not an object/);
  assert.throws(() => answersFor({}, undefined, { ...RECORD, answers: { ...RECORD.answers, manager: 'cargo' } }), /svc\/\.hardened-service\.json: answers\.manager/);
  assert.deepEqual(parseRecord({ ...RECORD, preset: { source: '@acme/preset', version: '1.2.0' } }, 'r.json').preset, { source: '@acme/preset', version: '1.2.0' });
});

test('restorePins: the digests a release run pinned today become the recorded ones; other text is untouched', () => {
  const now = `FROM python:3.13-slim-trixie@sha256:${'1'.repeat(64)} AS builder\n# python:3.13-slim-trixie\n`;
  const pins = { 'python:3.13-slim-trixie': `python:3.13-slim-trixie@sha256:${'a'.repeat(64)}` };
  assert.equal(restorePins(now, pins), `FROM python:3.13-slim-trixie@sha256:${'a'.repeat(64)} AS builder\n# python:3.13-slim-trixie\n`);
});

/** A tar archive of `entries` as GNU tar makes it. */
function tarOf(entries: Record<string, string>): Buffer {
  const dir = temp();
  for (const [path, text] of Object.entries(entries)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return execFileSync('tar', ['-c', '-C', dir, ...Object.keys(entries)]);
}

function header(name: string, size: number, type = '0'): Buffer {
  const block = Buffer.alloc(512);
  block.write(name, 0, 'utf8');
  block.write('0000644\0', 100);
  block.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  block.write(type, 156);
  block.write('ustar\0' + '00', 257);
  return block;
}

test('unpackTarball: files and long names unpacked; a path outside the directory refused', () => {
  const long = `package/${'d'.repeat(120)}/file.txt`;
  const dir = temp();
  const written = unpackTarball(gzipSync(tarOf({ 'package/bin/x.js': 'x\n', [long]: 'long\n' })), dir);
  assert.deepEqual(written.sort(), [long, 'package/bin/x.js'].sort());
  assert.equal(readFileSync(join(dir, long), 'utf8'), 'long\n');

  const evil = Buffer.concat([header('../escaped', 2), Buffer.from('x\n'.padEnd(512, '\0')), Buffer.alloc(1024)]);
  const target = temp();
  assert.throws(() => unpackTarball(gzipSync(evil), join(target, 'in')), /outside the package/);
  assert.equal(existsSync(join(target, 'escaped')), false);
  const absolute = Buffer.concat([header('/tmp/escaped', 2), Buffer.from('x\n'.padEnd(512, '\0')), Buffer.alloc(1024)]);
  assert.throws(() => unpackTarball(gzipSync(absolute), target), /outside the package/);
});
