// Run the test suites with node's own test runner (tsx loads the TypeScript).
// Usage: node scripts/test.mjs [unit|cli|pty|pack|e2e ...]   (default: everything but e2e)
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const suites = process.argv.slice(2);
const chosen = suites.length ? suites : ['unit', 'cli', 'pty', 'pack'];

function find(dir) {
  let out = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out = out.concat(find(path));
    else if (entry.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

const files = chosen.flatMap((suite) => {
  try {
    return find(join('test', suite));
  } catch {
    return [];
  }
}).sort();
if (files.length === 0) {
  console.error(`no test files under ${chosen.map((s) => `test/${s}`).join(', ')}`);
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
