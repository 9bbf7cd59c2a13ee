// The layering of issue 11, read from the import lines of src/**: options never reach the CLI and
// receive the languages instead of importing them, write/ knows only files, tasks/ take plain
// values, the audit reads neither the languages nor the answers.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../helpers/cli.ts';

const SRC = join(ROOT, 'src');

interface Import {
  /** The importing file, relative to src/. */
  from: string;
  /** The imported module, relative to src/ (or the bare name of a package or node: module). */
  to: string;
  /** `import type` / `export type`: erased, nothing runs. */
  typeOnly: boolean;
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Every static import/export-from and dynamic import() of a file. */
function importsOf(file: string, text: string): Import[] {
  const found: Import[] = [];
  const add = (specifier: string, typeOnly: boolean) => {
    const to = specifier.startsWith('.') ? relative(SRC, resolve(dirname(file), specifier)) : specifier;
    found.push({ from: relative(SRC, file), to, typeOnly });
  };
  for (const match of text.matchAll(/^\s*(import|export)\s+(type\s+)?(?:[\w*${}\s,]+?\s+from\s+)?['"]([^'"]+)['"]/gm)) add(match[3]!, Boolean(match[2]));
  for (const match of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) add(match[1]!, false);
  return found;
}

const IMPORTS = sources(SRC).flatMap((file) => importsOf(file, readFileSync(file, 'utf8')));
const under = (path: string, folder: string) => path.startsWith(`${folder}/`);
const crossing = (from: string, to: readonly string[], { types = true } = {}) =>
  IMPORTS.filter((i) => under(i.from, from) && to.some((folder) => under(i.to, folder)) && (types || !i.typeOnly)).map((i) => `${i.from} -> ${i.to}`);

test('the import reader finds static, re-exported, type-only and dynamic imports', () => {
  const sample = importsOf(join(SRC, 'x/a.ts'), [
    "import { a } from './b.ts';",
    "import type { T } from '../y/c.ts';",
    "export { d } from './d.ts';",
    "import * as e from 'node:path';",
    "const f = await import('../z/f.ts');",
  ].join('\n'));
  assert.deepEqual(sample.map((i) => [i.to, i.typeOnly]), [['x/b.ts', false], ['y/c.ts', true], ['x/d.ts', false], ['node:path', false], ['z/f.ts', false]]);
  // And it reads this tree: the answers table is imported by the resolution.
  assert.ok(IMPORTS.some((i) => i.from === 'options/resolve.ts' && i.to === 'options/answers.ts'), 'options/resolve.ts -> options/answers.ts found');
});

test('options import nothing from the CLI, the steps, the UI or the writing, and never the language registry itself', () => {
  assert.deepEqual(crossing('options', ['cli', 'steps', 'ui', 'prompts', 'write', 'tasks', 'render']), []);
  // Types of a language module are fine; the registry (its values) is handed in.
  assert.deepEqual(crossing('options', ['languages'], { types: false }), []);
});

test('write/ knows only files: no options, languages, rendering or CLI', () => {
  assert.deepEqual(crossing('write', ['options', 'languages', 'render', 'cli', 'steps', 'tasks', 'ui']), []);
});

test('tasks/ take plain values: no options, languages, CLI, steps or UI', () => {
  assert.deepEqual(crossing('tasks', ['options', 'languages', 'render', 'cli', 'steps', 'ui', 'write']), []);
});

test('the audit imports neither the languages nor the answers', () => {
  assert.deepEqual(crossing('audit', ['languages', 'options', 'cli', 'steps']), []);
});

test('no step reaches for the language registry: the runner hands the languages in', () => {
  assert.deepEqual(
    IMPORTS.filter((i) => under(i.from, 'steps') && i.from !== 'steps/run.ts' && i.to === 'languages/index.ts').map((i) => i.from),
    [],
  );
});
