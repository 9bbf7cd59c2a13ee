import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { readTextFile, UnreadableFile } from '../../src/fs/read-text.ts';

const dir = mkdtempSync(join(tmpdir(), 'chs-read-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const reason = (path: string, maxBytes = 1024): string => {
  try {
    readTextFile(path, { maxBytes });
  } catch (error) {
    assert.ok(error instanceof UnreadableFile, String(error));
    assert.equal(error.path, path);
    return error.reason;
  }
  assert.fail(`${path} was read`);
};

test('readTextFile: a regular UTF-8 file is read whole, a leading BOM dropped', () => {
  writeFileSync(join(dir, 'ok.json'), '\uFEFF{"é": 1}\n');
  assert.equal(readTextFile(join(dir, 'ok.json'), { maxBytes: 100 }), '{"é": 1}\n');
  writeFileSync(join(dir, 'empty'), '');
  assert.equal(readTextFile(join(dir, 'empty'), { maxBytes: 100 }), '');
});

test('readTextFile: a symlink to a regular file is followed; one to a device is refused', () => {
  writeFileSync(join(dir, 'target'), 'x');
  symlinkSync(join(dir, 'target'), join(dir, 'link'));
  assert.equal(readTextFile(join(dir, 'link'), { maxBytes: 10 }), 'x');
  symlinkSync('/dev/zero', join(dir, 'zero'));
  assert.equal(reason(join(dir, 'zero')), 'is a device');
  assert.equal(reason('/dev/zero'), 'is a device');
});

test('readTextFile: a FIFO is refused at once, without waiting for a writer', () => {
  execFileSync('mkfifo', [join(dir, 'fifo')]);
  const started = Date.now();
  assert.equal(reason(join(dir, 'fifo')), 'is a FIFO (named pipe)');
  assert.ok(Date.now() - started < 1000);
});

test('readTextFile: directories, missing files, oversized, binary and non-UTF-8 files are refused', () => {
  mkdirSync(join(dir, 'sub'));
  assert.equal(reason(join(dir, 'sub')), 'is a directory');
  assert.equal(reason(join(dir, 'missing')), 'does not exist');
  writeFileSync(join(dir, 'big'), 'a'.repeat(2000));
  assert.match(reason(join(dir, 'big')), /^is larger than 1024 bytes/);
  writeFileSync(join(dir, 'bin'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1]));
  assert.equal(reason(join(dir, 'bin')), 'is binary, not text');
  writeFileSync(join(dir, 'latin1'), Buffer.from([0x63, 0x61, 0x66, 0xe9]));
  assert.equal(reason(join(dir, 'latin1')), 'is not UTF-8 text');
});

test('readTextFile: accepts and decodes exactly what a fatal TextDecoder does (overlong, surrogates, truncated, BOMs)', () => {
  const cases: Array<[string, number[]]> = [
    ['overlong slash', [0x61, 0xc0, 0xaf]],
    ['overlong three bytes', [0xe0, 0x80, 0xaf]],
    ['surrogate half', [0xed, 0xa0, 0x80]],
    ['above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ['truncated', [0x61, 0xe2, 0x82]],
    ['lone continuation', [0x80, 0x61]],
    ['four bytes', [0xf0, 0x9f, 0x90, 0xb3, 0x0a]],
    ['two BOMs', [0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf, 0x61]],
    ['BOM only', [0xef, 0xbb, 0xbf]],
    ['U+FEFF inside', [0x61, 0xef, 0xbb, 0xbf]],
  ];
  for (const [name, bytes] of cases) {
    const path = join(dir, `utf8-${name.replace(/\W/g, '-')}`);
    writeFileSync(path, Buffer.from(bytes));
    let expected: string | null;
    try {
      const decoded = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(bytes));
      expected = decoded.startsWith('\uFEFF') ? decoded.slice(1) : decoded;
    } catch {
      expected = null;
    }
    if (expected === null) assert.equal(reason(path), 'is not UTF-8 text', name);
    else assert.equal(readTextFile(path, { maxBytes: 100 }), expected, name);
  }
});
