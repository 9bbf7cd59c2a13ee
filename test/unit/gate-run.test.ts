// The gate RUN as every language writes it (templates/shared/dockerfile/gate-run.ejs), for every
// subset of its gates, run through `sh` with stub tools: each gate that fails, fast or slow, in the
// background job or beside it, fails the RUN and leaves no marker; the marker only when all pass;
// a failing gate never leaves the background job running past the RUN.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LANGUAGES } from '../../src/languages/index.ts';
import type { Gate } from '../../src/options/types.ts';
import { renderProject } from '../../src/render/render.ts';
import { testOptions } from '../helpers/options.ts';

const root = mkdtempSync(join(tmpdir(), 'chs-gate-run-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** The tools the gate RUNs call; `go vet`, `go test` and `go test -list` are told apart. */
const TOOLS = ['mypy', 'black', 'ruff', 'bandit', 'pytest', 'tsc', 'node', 'prettier', 'eslint', 'go', 'gofmt', 'staticcheck', 'gosec'];

/**
 * One stub for every tool: it logs its start and end, sleeps when named in $SLOW, and fails when
 * named in $FAIL (gofmt as gofmt fails: it lists a file and exits 0; `go test -list` lists no test).
 */
const STUB = `#!/bin/sh
name=\${0##*/}
case "$name $*" in "go vet"*) name=go-vet ;; "go test -list"*) name=go-test-list ;; "go test"*) name=go-test ;; esac
echo "$name started" >> "$LOG"
case " $SLOW " in *" $name "*) sleep 0.2 ;; esac
echo "$name finished" >> "$LOG"
case " $FAIL " in
  *" $name "*)
    echo "$name: failed on purpose" >&2
    [ "$name" = gofmt ] && { echo unformatted.go; exit 0; }
    [ "$name" = go-test-list ] && exit 0
    exit 3 ;;
esac
[ "$name" = go-test-list ] && echo TestServe
exit 0
`;
const bin = join(root, 'bin');
mkdirSync(bin);
for (const tool of TOOLS) {
  writeFileSync(join(bin, tool), STUB);
  chmodSync(join(bin, tool), 0o755);
}

/** The gate RUN of a rendered Dockerfile as a shell script: no mounts, no line continuations. */
function gateScript(dockerfile: string): string {
  const marker = dockerfile.indexOf('> /app/.gates-passed');
  assert.notEqual(marker, -1, 'the Dockerfile writes the marker');
  const run = dockerfile.slice(dockerfile.lastIndexOf('\nRUN ', marker) + 5, dockerfile.indexOf('\n\n', marker));
  return run.replace(/\\\n\s*/g, '').replace(/--mount=\S+\s*/g, '');
}

/** Every subset of the gates, the empty one included. */
function subsets(gates: readonly Gate[]): Gate[][] {
  return Array.from({ length: 2 ** gates.length }, (_, bits) => gates.filter((_, i) => bits & (1 << i)));
}

interface Outcome {
  status: number;
  output: string;
  marker: string | null;
  log: string[];
}

let cases = 0;
/** At most this many scripts at once: the machine is shared, and a loaded one would time them out. */
let running = 0;
const queue: Array<() => void> = [];
async function slot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= 6) await new Promise<void>((resolve) => queue.push(resolve));
  running++;
  try {
    return await work();
  } finally {
    running--;
    queue.shift()?.();
  }
}

/** Run a gate script in a fresh directory, with the stubs first on PATH. */
function runGates(script: string, fail: string[], slow: string[]): Promise<Outcome> {
  return slot(() => runScript(script, fail, slow));
}

async function runScript(script: string, fail: string[], slow: string[]): Promise<Outcome> {
  const dir = join(root, `case-${cases++}`);
  mkdirSync(dir);
  const log = join(dir, 'log');
  writeFileSync(log, '');
  const local = script.replaceAll('/app/.gates-passed', join(dir, 'marker'));
  const env = { PATH: `${bin}:/usr/bin:/bin`, LOG: log, FAIL: fail.join(' '), SLOW: slow.join(' ') };
  const { status, output } = await new Promise<{ status: number; output: string }>((resolve) => {
    execFile('sh', ['-c', local], { cwd: dir, env, timeout: 20_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ status: code, output: `${stdout}${stderr}${error?.killed ? '\n(killed: timed out)' : ''}` });
    });
  });
  // Read right away: a background job the RUN left running would log after this.
  const lines = readFileSync(log, 'utf8').split('\n').filter(Boolean);
  const markerFile = join(dir, 'marker');
  return { status, output, marker: existsSync(markerFile) ? readFileSync(markerFile, 'utf8').trim() : null, log: lines };
}

/** The stub names a script calls, from a passing run's log. */
const called = (outcome: Outcome) => [...new Set(outcome.log.filter((l) => l.endsWith(' started')).map((l) => l.replace(/ started$/, '')))];

/** The stub names of the background job: the commands before ` & tests=$!;`. */
function backgroundTools(script: string, all: string[]): string[] {
  const job = script.includes(' & tests=$!;') ? script.slice(0, script.indexOf(' & tests=$!;')) : '';
  return all.filter((name) => {
    const [tool, sub] = name.split('-');
    return new RegExp(`(^|&& )${tool}${sub ? ` ${sub}` : ''}\\b`).test(job) && (name !== 'go-test' || !job.includes('go test -list'));
  });
}

const MANAGER: Record<string, string> = { python: 'pipenv', node: 'npm', go: 'modules' };

for (const language of LANGUAGES.filter((l) => l.value in MANAGER)) {
  test(`${language.value}: every gate subset's RUN fails when any gate fails, and writes the marker only when all pass`, async () => {
    let concurrent = 0;
    const all: Array<Promise<void>> = [];
    for (const gates of subsets(language.gates.map((g) => g.value))) {
      const files = renderProject(testOptions({ language: language.value, manager: MANAGER[language.value], gates }));
      const script = gateScript(files.get('Dockerfile')!);
      const at = `${language.value} [${gates.join(',')}]`;
      all.push((async () => {
        const passed = await runGates(script, [], []);
        assert.equal(passed.status, 0, `${at}: all pass\n${script}\n${passed.output}`);
        assert.equal(passed.marker, gates.join(' '), `${at}: the marker names the gates`);
        const tools = called(passed);
        assert.equal(tools.length > 0, gates.length > 0, `${at}: the gates ran (${tools.join(', ')})`);
        for (const tool of tools) assert.equal(passed.log.filter((l) => l === `${tool} started`).length, 1, `${at}: ${tool} ran once`);
        const background = backgroundTools(script, tools);
        if (background.length > 0) concurrent++;
        const foreground = tools.filter((tool) => !background.includes(tool));
        const checks: Array<Promise<void>> = [];
        const failing = (fail: string, slow: string[], why: string) =>
          checks.push(runGates(script, [fail], slow).then((outcome) => {
            assert.notEqual(outcome.status, 0, `${at}: ${why} fails the RUN\n${script}\n${outcome.output}`);
            assert.equal(outcome.marker, null, `${at}: ${why} leaves no marker`);
            assert.match(outcome.output, new RegExp(`${fail}: failed on purpose|unformatted\\.go`), `${at}: ${why}: its output is kept`);
            // The job was waited for: everything it started had finished when the RUN ended.
            for (const tool of background) {
              if (outcome.log.includes(`${tool} started`)) assert.ok(outcome.log.includes(`${tool} finished`), `${at}: ${why} left ${tool} running`);
            }
          }));
        for (const tool of tools) failing(tool, [], `${tool} failing fast`);
        for (const tool of background) {
          failing(tool, [tool], `${tool} failing slowly in the background`);
          failing(tool, foreground, `${tool} failing in the background before the slow others`);
        }
        for (const tool of foreground) if (background.length) failing(tool, background, `${tool} failing beside the slow background job`);
        await Promise.all(checks);
      })());
    }
    await Promise.all(all);
    // Python and Node.js run their tests beside the other gates; Go keeps one chain (kit/gates.ts).
    assert.equal(concurrent > 0, language.value !== 'go', `${language.value}: subsets with a background job: ${concurrent}`);
  });
}
