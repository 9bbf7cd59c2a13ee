// The built CLI writes what the source writes: dist/templates.js (the templates compiled, then
// minified apart) against the same templates compiled from source on first use, for every language
// with the options that reach the most template branches. The registry does not resolve, so
// neither run pins a digest and both see the same images.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { spawnSync } from 'node:child_process';
import { LANGUAGES } from '../../src/languages/index.ts';
import { assertBuilt, BIN, binDir, cliEnv, files, ROOT, tempDir } from '../helpers/cli.ts';

assertBuilt();

const SOURCE = join(ROOT, 'src', 'index.ts');
const TSX = import.meta.resolve('tsx');

/** Every file a run writes into `svc`, path -> text. */
function generate(entry: readonly string[], args: readonly string[]): Map<string, string> {
  const cwd = tempDir();
  const result = spawnSync(process.execPath, [...entry, 'svc', '--yes', '--no-git', '--no-lock', ...args], { cwd, env: cliEnv(binDir()), encoding: 'utf8', timeout: 60_000 });
  assert.equal(result.status, 0, `${entry.at(-1)} ${args.join(' ')}\n${result.stdout}\n${result.stderr}`);
  const dir = join(cwd, 'svc');
  return new Map(files(dir).map((path) => [path, readFileSync(join(dir, path), 'utf8')]));
}

for (const language of LANGUAGES) {
  const args = [
    '--language', language.value, '--manager', language.managers.at(-1)!.value,
    '--registry', 'registry.example.invalid/base', '--cert-bundle', 'registry.example.invalid/base/ca-bundle:1',
    '--index-url', language.mirror.example, '--maintainer', 'Team Foo <foo@example.com>', '--ci', 'gitlab',
  ];
  test(`${language.value}: the built CLI writes every file as the source does`, () => {
    const built = generate([BIN], args);
    const source = generate(['--import', TSX, SOURCE], args);
    assert.deepEqual([...built.keys()], [...source.keys()]);
    for (const [path, text] of source) assert.equal(built.get(path), text, path);
  });
}
