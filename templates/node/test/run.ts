// Runs every compiled *.test.js beside this file with node's test runner, and fails when none
// ran: a misconfigured runner (no files found, every test filtered out) must not pass the gate.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { run } from 'node:test';
import { spec } from 'node:test/reporters';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const files = readdirSync(here)
  .filter((file) => file.endsWith('.test.js'))
  .map((file) => join(here, file));

let passed = 0;
let failed = 0;
const stream = run({ files });
stream.on('test:pass', (event) => {
  // Suites, skipped and todo tests prove nothing: only tests that ran and passed count.
  if (event.details.type !== 'suite' && !event.skip && !event.todo) passed++;
});
stream.on('test:fail', () => failed++);
stream.on('end', () => {
  if (passed === 0) process.stderr.write(`no test ran (${files.length} test files found)\n`);
  process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
});
stream.compose(spec).pipe(process.stdout);
