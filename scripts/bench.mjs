// Start-up, first prompt, generation and package size, side by side with their goals.
// Usage: npm run bench   (builds first; runs in well under a minute)
// Every command is spawned with an argument array; times are medians of N runs (process.hrtime).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pty from 'node-pty';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'create-hardened-service.js');
const N = Number(process.env.BENCH_RUNS ?? 12);
const FIRST_PROMPT = 'Where should the service go?';

const scratch = mkdtempSync(join(tmpdir(), 'chs-bench-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));
// No lock tools, no git: only node's own directory on PATH.
const env = { PATH: dirname(process.execPath), HOME: scratch, NO_COLOR: '1', TERM: 'xterm-256color' };

const ms = (start) => Number(process.hrtime.bigint() - start) / 1e6;

// CPU time of finished children (Linux /proc, USER_HZ = 100): unlike wall time, it hardly moves
// when other work loads the machine. undefined elsewhere.
function childrenCpuMs() {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return undefined;
  }
}
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** Wall time of one process run to completion; throws on a non-zero exit. */
function timeRun(args, cwd = scratch) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(ms(start)) : reject(new Error(`${args.join(' ')} exited ${code}: ${stderr}`))));
  });
}

/** Time from spawning the CLI in a pseudo-terminal until the first prompt is on screen. */
function timeFirstPrompt() {
  return new Promise((resolve, reject) => {
    const cwd = mkdtempSync(join(scratch, 'tty-'));
    const start = process.hrtime.bigint();
    const term = pty.spawn(process.execPath, [BIN], { cols: 120, rows: 40, cwd, env });
    let screen = '';
    const guard = setTimeout(() => {
      term.kill();
      reject(new Error(`no prompt after 10 s; screen:\n${screen}`));
    }, 10_000);
    term.onData((data) => {
      screen += data;
      if (screen.includes(FIRST_PROMPT)) {
        const elapsed = ms(start);
        clearTimeout(guard);
        term.onExit(() => resolve(elapsed));
        term.kill();
      }
    });
  });
}

const generateOnce = (extra = []) => {
  const cwd = mkdtempSync(join(scratch, 'gen-'));
  return timeRun([BIN, '--yes', '--no-git', '--no-lock', ...extra, 'svc'], cwd);
};

// Round-robin: each round runs every measure once, so load from other processes on the machine
// falls on all of them alike (the ratios stay fair even when the absolute times wander).
const measures = [
  { label: 'bare node (node -e 0)', once: () => timeRun(['-e', '0']), times: [] },
  { label: '--help', once: () => timeRun([BIN, '--help']), times: [] },
  { label: 'time to first prompt (pty)', once: timeFirstPrompt, times: [] },
  { label: 'generate --dry-run (no writing)', once: () => generateOnce(['--dry-run']), times: [] },
  { label: 'generate --yes --no-git --no-lock', once: () => generateOnce(), times: [] },
  // The same for the other languages (Python is the default above).
  ...['go', 'node', 'java'].map((language) => ({ label: `  … --language ${language}`, once: () => generateOnce(['--language', language]), times: [] })),
];
const began = process.hrtime.bigint();
for (const m of measures) await m.once(); // warm the file cache; not counted
for (const m of measures) m.cpu = 0;
for (let round = 0; round < N; round++) {
  for (const m of measures) {
    const cpuBefore = childrenCpuMs();
    m.times.push(await m.once());
    m.cpu += (childrenCpuMs() ?? NaN) - (cpuBefore ?? NaN);
  }
}
const [bare, help, prompt, dryRun, generate, ...languages] = measures.map((m) => ({
  label: m.label,
  median: median(m.times),
  min: Math.min(...m.times),
  max: Math.max(...m.times),
  cpu: m.cpu / N,
}));

// The package: npm's own numbers for the tarball (already built by `npm run bench`).
const pack = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });
if (pack.status !== 0) throw new Error(`npm pack failed: ${pack.stderr}`);
const [tarball] = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('[')));
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const runtimeDeps = Object.keys(manifest.dependencies ?? {}).length;

const verdict = (ok) => (ok ? 'ok  ' : 'MISS');
const ratio = (row) => row.median / bare.median;
const rows = [
  [bare, '', 'reference'],
  [help, `${ratio(help).toFixed(2)}x`, `${verdict(ratio(help) <= 1.3)} <= 1.3x bare node`],
  [prompt, `${ratio(prompt).toFixed(2)}x`, `${verdict(ratio(prompt) <= 1.3)} <= 1.3x bare node`],
  [dryRun, `${ratio(dryRun).toFixed(2)}x`, '(render and digest lookups, nothing written)'],
  [generate, `${ratio(generate).toFixed(2)}x`, `${verdict(generate.median < 100)} < 100 ms (whole process)`],
  ...languages.map((row) => [row, `${ratio(row).toFixed(2)}x`, `${verdict(row.median < 100)} < 100 ms`]),
];

const pad = (text, width) => String(text).padEnd(width);
console.log(`create-hardened-service ${manifest.version}, node ${process.version}, median of ${N} interleaved runs each\n`);
const cpu = (row) => (Number.isNaN(row.cpu) ? 'n/a' : `${row.cpu.toFixed(0)} ms ${row === bare ? '' : `${(row.cpu / bare.cpu).toFixed(2)}x`}`);
console.log(`${pad('measure (wall time)', 36)}${pad('median', 10)}${pad('min..max', 16)}${pad('vs node', 9)}${pad('cpu mean', 15)}goal`);
for (const [row, versus, goal] of rows) {
  console.log(`${pad(row.label, 36)}${pad(`${row.median.toFixed(1)} ms`, 10)}${pad(`${row.min.toFixed(0)}..${row.max.toFixed(0)} ms`, 16)}${pad(versus, 9)}${pad(cpu(row), 15)}${goal}`);
}
console.log(`${pad('generate minus bare node start-up', 36)}${pad(`${(generate.median - bare.median).toFixed(1)} ms`, 50)}(for reference)`);
console.log(`load average at the end: ${loadavg().map((n) => n.toFixed(2)).join(' ')} on ${availableParallelism()} CPUs (wall times suffer under load; cpu means much less)`);
console.log();
console.log(`${pad('tarball size (npm pack)', 36)}${pad(`${(tarball.size / 1024).toFixed(1)} KB`, 35)}${verdict(tarball.size < 80 * 1024)} < 80 KB   (${tarball.entryCount} files, ${(tarball.unpackedSize / 1024).toFixed(1)} KB unpacked)`);
console.log(`${pad('runtime dependencies', 36)}${pad(runtimeDeps, 35)}${verdict(runtimeDeps === 0)} 0`);
console.log(`\nbench took ${(ms(began) / 1000).toFixed(1)} s`);
