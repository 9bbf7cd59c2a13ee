// Audit speed (issue 12): the built `audit` beside dockerfilelint and dockerfile-utils on the same
// files, per file and in total, plus generated hostile inputs, each against its goal.
// Usage: npm run build && node scripts/bench-audit.mjs [--dir DIR] [--runs N] [--cap SECONDS]
//   --dir   Dockerfiles to time (*.Dockerfile, Dockerfile*); default: the committed audit corpus
//   --runs  rounds per measure (default 3, or BENCH_RUNS); --cap: seconds before a run is killed (10)
// The two npm linters are installed once into .cache/bench/ (never project dependencies).
// Every command is spawned with an argument array; times are medians (process.hrtime).
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { HOSTILE } from '../test/fixtures/audit/corpus/hostile.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'create-hardened-service.js');
// Newest versions served by the registry when this was written (checked 2026-11-30).
const LINTERS = { dockerfilelint: '1.8.0', 'dockerfile-utils': '0.16.3' };

const { values: opts } = parseArgs({
  options: { dir: { type: 'string' }, runs: { type: 'string' }, cap: { type: 'string' } },
});
const DIR = resolve(opts.dir ?? join(ROOT, 'test', 'fixtures', 'audit', 'corpus'));
const N = Number(opts.runs ?? process.env.BENCH_RUNS ?? 3);
const CAP_MS = Number(opts.cap ?? 10) * 1000;
if (!existsSync(join(ROOT, 'dist'))) {
  console.error('bench-audit: dist/ is missing: run `npm run build` first (or `npm run bench`).');
  process.exit(2);
}
if (!(N >= 1) || !(CAP_MS > 0)) {
  console.error('bench-audit: --runs and --cap take positive numbers, e.g. --runs 5 --cap 10');
  process.exit(2);
}

// 1. The other linters, cached under .cache/bench/ -------------------------------------------------
const LINTER_DIR = join(ROOT, '.cache', 'bench', 'linters');
const installed = (name) => {
  try {
    return JSON.parse(readFileSync(join(LINTER_DIR, 'node_modules', name, 'package.json'), 'utf8')).version === LINTERS[name];
  } catch {
    return false;
  }
};
if (!Object.keys(LINTERS).every(installed)) {
  mkdirSync(LINTER_DIR, { recursive: true });
  const specs = Object.entries(LINTERS).map(([name, version]) => `${name}@${version}`);
  console.log(`installing ${specs.join(', ')} into ${LINTER_DIR} …`);
  const npm = spawnSync('npm', ['install', '--prefix', LINTER_DIR, '--no-audit', '--no-fund', '--ignore-scripts', '--no-save', ...specs], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (npm.status !== 0) {
    console.error(`bench-audit: npm install ${specs.join(' ')} failed (exit ${npm.status}); the npm registry must be reachable.`);
    process.exit(1);
  }
}
const lintersRequire = createRequire(join(LINTER_DIR, 'package.json'));
const dockerfilelint = lintersRequire('dockerfilelint');
const dockerfileUtils = lintersRequire('dockerfile-utils');
const DFL_BIN = join(LINTER_DIR, 'node_modules', 'dockerfilelint', 'bin', 'dockerfilelint');
const DFU_BIN = join(LINTER_DIR, 'node_modules', 'dockerfile-utils', 'bin', 'dockerfile-utils');

// 2. The files: each in its own directory as `Dockerfile`, which every audit CLI version accepts ---
const scratch = mkdtempSync(join(tmpdir(), 'chs-bench-audit-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));
const names = readdirSync(DIR).filter((n) => n.endsWith('.Dockerfile') || n.startsWith('Dockerfile')).sort();
if (names.length === 0) {
  console.error(`bench-audit: no *.Dockerfile or Dockerfile* in ${DIR}; example: --dir test/fixtures/audit/corpus`);
  process.exit(2);
}
const files = names.map((name, i) => {
  const dir = join(scratch, 'corpus', String(i).padStart(3, '0'));
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(DIR, name), join(dir, 'Dockerfile'));
  return { name, dir, path: join(dir, 'Dockerfile'), text: readFileSync(join(DIR, name), 'utf8') };
});

// 3. Timing helpers --------------------------------------------------------------------------------
const env = { PATH: process.env.PATH, HOME: scratch, NO_COLOR: '1' };
const ms = (start) => Number(process.hrtime.bigint() - start) / 1e6;
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
// CPU of finished children (Linux /proc, USER_HZ = 100): moves less than wall time when the machine is busy.
function childrenCpuMs() {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return NaN;
  }
}

/** One process to completion (or killed at the cap): wall ms, child CPU ms, exit code, output. */
function run(args, { cap = CAP_MS } = {}) {
  return new Promise((resolvePromise) => {
    const cpuBefore = childrenCpuMs();
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let out = '';
    let killed = false;
    child.stdout.on('data', (chunk) => (out.length < 1e6 ? (out += chunk) : null));
    child.stderr.on('data', (chunk) => (out.length < 1e6 ? (out += chunk) : null));
    const timer = setTimeout(() => {
      killed = true;
      try {
        process.kill(-child.pid, 'SIGKILL'); // the whole group: a stuck read on a FIFO ignores nothing else
      } catch {}
    }, cap);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ ms: ms(start), cpu: childrenCpuMs() - cpuBefore, code, killed, out });
    });
  });
}

/** Median wall and CPU of `rounds` runs of `once`; `once` returns one run() result or a list of them. */
async function measure(once, rounds = N) {
  const walls = [];
  const cpus = [];
  let last;
  for (let i = 0; i < rounds; i++) {
    const results = [await once()].flat();
    last = results;
    walls.push(results.reduce((sum, r) => sum + r.ms, 0));
    cpus.push(results.reduce((sum, r) => sum + r.cpu, 0));
    if (results.some((r) => r.killed)) break; // over the cap once is enough to know
  }
  return { wall: median(walls), cpu: median(cpus), last, killed: last.some((r) => r.killed) };
}

/** Median ms of an in-process call, after one warm-up. */
function inProcess(fn, rounds = N) {
  fn();
  const times = [];
  for (let i = 0; i < rounds; i++) {
    const start = process.hrtime.bigint();
    fn();
    times.push(ms(start));
  }
  return median(times);
}

const audit = (paths) => run([BIN, 'audit', ...paths]);
const began = process.hrtime.bigint();

// 4. Start-up, then the product on the corpus: one process over all files, and one per file --------
await run(['-e', '0']); // warm the file cache
await audit([files[0].dir]);
const bare = await measure(() => run(['-e', '0']));

// Several paths in one run is coming (issue 12); until the CLI takes them, fall back to one run per file.
const probe = await audit(files.slice(0, 2).map((f) => f.dir));
const multiPath = probe.code === 0 || probe.code === 1;
async function auditEachInTurn() {
  const results = [];
  for (const f of files) results.push(await audit([f.dir]));
  return results;
}
const auditAll = await measure(() => (multiPath ? audit(files.map((f) => f.dir)) : auditEachInTurn()));
const auditPerFile = [];
for (const f of files) auditPerFile.push({ name: f.name, ...(await measure(() => audit([f.dir]))) });
const auditCodes = new Set(auditPerFile.map((r) => r.last[0].code));

// 5. dockerfilelint and dockerfile-utils: CLI (the same process cost a user pays) and in-process API -
const dflAll = await measure(() => run([DFL_BIN, '-j', ...files.map((f) => f.path)]));
const dflPerFile = [];
for (const f of files) dflPerFile.push(await measure(() => run([DFL_BIN, '-j', f.path])));
const dfuPerFile = [];
for (const f of files) dfuPerFile.push(await measure(() => run([DFU_BIN, 'lint', '-j', f.path])));
const dflApi = files.map((f) => inProcess(() => dockerfilelint.run(f.dir, f.text)));
const dfuApi = files.map((f) => inProcess(() => dockerfileUtils.validate(f.text)));

// 6. Hostile inputs, generated (nothing large is committed) ----------------------------------------
const isRoot = process.getuid?.() === 0;
const hostile = [];
for (const [i, c] of HOSTILE.entries()) {
  const dir = join(scratch, 'hostile', String(i));
  const target = c.make(dir);
  const row = { c, rounds: Math.min(N, 3) };
  row.audit = await measure(() => audit([target]), row.rounds);
  if (c.kind === 'accept' && c.key !== 'dockerignore-globstar') {
    row.dfl = await measure(() => run([DFL_BIN, '-j', join(dir, 'Dockerfile')]), row.rounds);
    row.dfu = await measure(() => run([DFU_BIN, 'lint', '-j', join(dir, 'Dockerfile')]), row.rounds);
  }
  hostile.push(row);
  if (c.key === 'fifo' || c.key === 'unreadable') rmSync(dir, { recursive: true, force: true });
}

// 7. The table ---------------------------------------------------------------------------------------
const fmt = (value) => (value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(value < 10 ? 1 : 0)} ms`);
const timed = (m) => (m.killed ? `> ${fmt(CAP_MS)} (killed)` : `${fmt(m.wall)} (cpu ${fmt(m.cpu)})`);
const sum = (values) => values.reduce((a, b) => a + b, 0);
const pad = (text, width) => String(text).padEnd(width);
const verdict = (ok) => (ok ? 'ok  ' : 'MISS');
const spread = (values) => `${fmt(median(values))} (${fmt(Math.max(...values))})`;
const walls = (measures) => measures.map((m) => m.wall);
const perFileWall = auditPerFile.map((r) => r.wall);
// Start-ups paid: one, or one per file when the CLI takes one path a run.
const startups = multiPath ? 1 : files.length;
const afterStart = auditAll.wall - bare.wall * startups;
const afterStartCpu = auditAll.cpu - bare.cpu * startups;

const rows = [
  ['start-up: node -e 0', 'reference', `${fmt(bare.wall)} (cpu ${fmt(bare.cpu)})`, '', '', ''],
  [
    `corpus, one run (${files.length} files)`,
    '< 1 s after start-up',
    `${multiPath ? '' : 'one per file: '}${timed(auditAll)}`,
    timed(dflAll),
    `n/a (one file a run): ${fmt(sum(walls(dfuPerFile)))}`,
    verdict(!auditAll.killed && Math.min(afterStart, afterStartCpu) < 1000),
  ],
  ['  … minus start-up', '', `${fmt(afterStart)} (cpu ${fmt(afterStartCpu)})`, `${fmt(dflAll.wall - bare.wall)} (cpu ${fmt(dflAll.cpu - bare.cpu)})`, '', ''],
  [
    'corpus, one process per file: total',
    '',
    fmt(sum(perFileWall)),
    fmt(sum(walls(dflPerFile))),
    fmt(sum(walls(dfuPerFile))),
    '',
  ],
  [
    '  per file: median (max)',
    '',
    spread(perFileWall),
    spread(walls(dflPerFile)),
    spread(walls(dfuPerFile)),
    '',
  ],
  ['in-process API: corpus total', '', 'n/a (CLI only)', fmt(sum(dflApi)), fmt(sum(dfuApi)), ''],
  ['  per file: median (max)', '', '', spread(dflApi), spread(dfuApi), ''],
];
for (const { c, audit: a, dfl, dfu } of hostile) {
  const code = a.last[0].code;
  const skipped = c.rootSkips && isRoot;
  const goal = c.kind === 'accept' ? `< ${fmt(c.goalMs)}, exit 0/1` : `exit 2 < ${fmt(c.goalMs)}`;
  const ok = !a.killed && a.wall < c.goalMs && (c.kind === 'accept' ? code === 0 || code === 1 : code === 2);
  rows.push([
    `hostile: ${c.title.replace(/ \((nobody|root) .*\)$/, '')}`,
    goal,
    `${timed(a)}${a.killed ? '' : `, exit ${code}`}`,
    dfl ? timed(dfl) : 'n/a',
    dfu ? timed(dfu) : 'n/a',
    skipped ? 'n/a (root reads it)' : verdict(ok),
  ]);
}

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
console.log(`create-hardened-service ${manifest.version} audit vs dockerfilelint ${LINTERS.dockerfilelint} and dockerfile-utils ${LINTERS['dockerfile-utils']}, node ${process.version}`);
console.log(`${files.length} files from ${DIR.startsWith(ROOT) ? DIR.slice(ROOT.length) : DIR}; medians of ${N} runs (hostile: ${Math.min(N, 3)}); runs killed after ${fmt(CAP_MS)}`);
if (!multiPath) console.log(`the audit CLI refused two paths in one run (exit ${probe.code}), so "one run" is one process per file, run in turn`);
console.log(`audit exit codes on the corpus: ${[...auditCodes].join(', ')}; the corpus goal is judged on the lower of wall and cpu time (load from other work inflates wall time)\n`);
const header = ['figure', 'goal (issue 12)', 'audit (wall, cpu)', 'dockerfilelint', 'dockerfile-utils', 'audit vs goal'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => String(row[i]).length)) + 2);
for (const row of [header, ...rows]) console.log(row.map((cell, i) => pad(cell, widths[i])).join('').trimEnd());
const slowest = [...auditPerFile].sort((a, b) => b.wall - a.wall).slice(0, 3).map((r) => `${basename(r.name)} ${fmt(r.wall)}`);
console.log(`\nslowest files for audit (one process each): ${slowest.join(', ')}`);
console.log(`load average at the end: ${loadavg().map((n) => n.toFixed(2)).join(' ')} on ${availableParallelism()} CPUs (wall times suffer under load; cpu much less)`);
console.log(`bench took ${(ms(began) / 1000).toFixed(1)} s`);
