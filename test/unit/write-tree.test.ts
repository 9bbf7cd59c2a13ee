import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatSize, formatTree } from '../../src/write/tree.ts';

test('formatSize: bytes below 1 KiB, then KiB with one decimal', () => {
  assert.equal(formatSize(0), '0 B');
  assert.equal(formatSize(1), '1 B');
  assert.equal(formatSize(1023), '1023 B');
  assert.equal(formatSize(1024), '1.0 KiB');
  assert.equal(formatSize(1536), '1.5 KiB');
  assert.equal(formatSize(10 * 1024 * 1024), '10240.0 KiB');
});

test('formatTree: directories first, then files, nested with guides, sizes in one column, a total', () => {
  const files = new Map([
    ['README.md', '# billing-api\n'],
    ['src/app/main.py', 'é'],
    ['src/app/__init__.py', ''],
    ['Dockerfile', 'x'.repeat(1024)],
    ['.gitignore', '.venv\n'],
    ['tests/test_app.py', 'y'.repeat(1536)],
  ]);
  assert.equal(
    formatTree('svc', files),
    [
      'svc/',
      '├── src/',
      '│   └── app/',
      '│       ├── __init__.py                      0 B',
      '│       └── main.py                          2 B',
      '├── tests/',
      '│   └── test_app.py                          1.5 KiB',
      '├── .gitignore                               6 B',
      '├── Dockerfile                               1.0 KiB',
      '└── README.md                                14 B',
      '6 files, 2.5 KiB',
    ].join('\n'),
  );
});

test('formatTree: sizes are UTF-8 bytes, and the total adds them up', () => {
  const out = formatTree('p', new Map([['a.txt', '✓✓'], ['b.txt', 'ab']]));
  assert.match(out, /a\.txt +6 B$/m);
  assert.match(out, /b\.txt +2 B$/m);
  assert.match(out, /^2 files, 8 B$/m);
});

test('formatTree: a long name still gets a space before its size', () => {
  const name = `${'n'.repeat(60)}.py`;
  const out = formatTree('p', new Map([[name, 'x']]));
  assert.equal(out.split('\n')[1], `└── ${name} 1 B`);
});

test('formatTree: no trailing spaces, one line per file and directory plus root and total', () => {
  const files = new Map([
    ['a/b/c/d.txt', 'd'],
    ['a/b/e.txt', 'e'],
    ['a/f.txt', 'f'],
    ['g.txt', 'g'],
  ]);
  const lines = formatTree('root', files).split('\n');
  assert.equal(lines.length, 1 + 3 + 4 + 1);
  for (const line of lines) assert.equal(line, line.trimEnd());
  assert.equal(lines[0], 'root/');
  assert.equal(lines.at(-1), '4 files, 4 B');
  // Every size starts in the same column, whatever the depth.
  const columns = new Set(lines.slice(1, -1).filter((line) => / \d+ B$/.test(line)).map((line) => line.search(/\d+ B$/)));
  assert.equal(columns.size, 1);
});

test('formatTree: an empty project is just the root and a zero total', () => {
  assert.equal(formatTree('empty', new Map()), 'empty/\n0 files, 0 B');
});
