// Audit time is linear in the input (issue 9 item 6, issue 12 "Speed"). Each case once took from
// seconds to minutes (quadratic rescans, a backtracking glob, a backtracking URL pattern). Bounds
// are CPU time of this process, generous because the machine is shared: linear code needs a
// fraction of them, quadratic code many times more.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { lint, PROFILES } from '../../src/audit/index.ts';
import { isIgnored, parseDockerignore } from '../../src/audit/dockerignore.ts';

function cpuMs(run: () => unknown): number {
  const start = process.cpuUsage();
  run();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

// Warm up once: the bounds are about the algorithms, not about loading and compiling the code.
for (const profile of PROFILES) lint(readFileSync('test/fixtures/audit/good.Dockerfile', 'utf8'), { profile, dockerignore: null });

function bounded(what: string, limitMs: number, run: () => unknown): void {
  const ms = cpuMs(run);
  assert.ok(ms < limitMs, `${what}: ${Math.round(ms)} ms CPU (limit ${limitMs} ms)`);
}

/**
 * Linear, told apart from quadratic whatever the machine's load: four times the input may cost at
 * most eight times the CPU (quadratic code costs sixteen), and the full size stays within a bound
 * far below what the quadratic code took (tens of seconds to minutes).
 */
function linear(what: string, limitMs: number, make: (scale: number) => () => unknown): void {
  const quarter = cpuMs(make(1 / 4));
  const full = cpuMs(make(1));
  assert.ok(full < limitMs, `${what}: ${Math.round(full)} ms CPU (limit ${limitMs} ms)`);
  assert.ok(full < 8 * Math.max(quarter, 25), `${what}: ${Math.round(full)} ms CPU for the whole, ${Math.round(quarter)} ms for a quarter: not linear`);
}

const both = (text: string, dockerignore: string | null = null) => () => PROFILES.map((profile) => lint(text, { profile, dockerignore, language: 'python' }));

test('a 200,000-character line, as one word, many commands, many variables or a URL-like run', () => {
  bounded('one word', 2000, both(`FROM x:1\nRUN echo ${'a'.repeat(200_000)}\n`));
  bounded('20,000 chained commands', 2000, both(`FROM x:1\nRUN ${'mypy a && '.repeat(20_000)}true\n`));
  bounded('20,000 commands after ;', 2000, both(`FROM x:1\nRUN ${'gofmt -l . ; '.repeat(16_000)}true\n`));
  bounded('50,000 ENV pairs', 2000, both(`FROM x:1\nENV ${'A=1 '.repeat(50_000)}\n`));
  bounded('a scheme then 50,000 colons (the credential-URL check)', 2000, both(`FROM x:1\nRUN ${'a'.repeat(100_000)}://${'b:'.repeat(50_000)}\n`));
  bounded('50,000 continuation lines', 2000, both(`FROM x:1\nRUN echo \\\n${'  a \\\n'.repeat(50_000)}  b\n`));
});

test('32,000 RUN lines, and 8,000 COPY/install pairs in one stage', () => {
  linear('32,000 RUN', 10_000, (scale) => both(`FROM x:1\n${'RUN pip install --require-hashes -r requirements.txt\n'.repeat(32_000 * scale)}`));
  linear('8,000 COPY + install', 10_000, (scale) => both(`FROM x:1 AS builder\n${'COPY src/ /app/src/\nRUN poetry install --no-root\n'.repeat(8_000 * scale)}FROM builder AS test\nRUN pytest\n`));
});

test('a 5 MB Dockerfile made of a real multi-stage file repeated', () => {
  const good = readFileSync('test/fixtures/audit/good.Dockerfile', 'utf8').replace(/^# syntax=.*\n/, '');
  const text = (scale: number) => `# syntax=docker/dockerfile:1\n${good.repeat(Math.ceil((5_000_000 * scale) / good.length))}`;
  assert.ok(text(1).length >= 5_000_000);
  linear('5 MB', 15_000, (scale) => both(text(scale)));
});

test('.dockerignore lines of repeated ** (a backtracking glob took 46 s at 18 repetitions)', () => {
  const hostile = ['**/'.repeat(20_000) + 'x', '*'.repeat(50_000) + 'a', '**'.repeat(10_000), `${'a*'.repeat(5_000)}b`].join('\n');
  bounded('hostile patterns', 2000, () => {
    const patterns = parseDockerignore(hostile);
    // The paths the rules ask about, and a deep one: time is at most pattern length x path length.
    for (const path of ['.git', '.env', 'src/pkg/__pycache__', 'internal/pkg/pkg.test', `${'a/'.repeat(100)}b`]) isIgnored(patterns, path);
  });
  bounded('the audit with it', 2000, both('FROM x:1\nCOPY . .\n', hostile));
  // The collapsed patterns still mean what they say.
  const patterns = parseDockerignore('**/**/**/x\n');
  assert.equal(isIgnored(patterns, 'x'), true);
  assert.equal(isIgnored(patterns, 'a/b/c/x'), true);
  assert.equal(isIgnored(patterns, 'a/b/c/y'), false);
});
