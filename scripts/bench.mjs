// Start-up, first prompt, generation and package size, side by side with their goals and with
// create-vite (the scaffolder people compare us with), measured in the same run.
// Usage: npm run bench   (builds first; BENCH_RUNS=N rounds, default 12; BENCH_AUDIT=0 skips the audit part)
// Every command is spawned with an argument array. Each round runs every measure once, so load from
// other processes falls on all of them alike; ratios against bare `node -e 0` of the same run are
// what the goals are written in. CPU time (user+sys of the finished child) moves least under load.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import pty from 'node-pty';
import { kb, packed, partLines, tarballParts } from './size.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'create-hardened-service.js');
const N = Number(process.env.BENCH_RUNS ?? 12);
// The comparison: create-vite at the version the npm registry served when the goals were set.
const VITE_VERSION = '9.3.0';
const VITE_DIR = join(ROOT, '.cache', 'bench', `create-vite-${VITE_VERSION}`);
const VITE_BIN = join(VITE_DIR, 'node_modules', 'create-vite', 'index.js');

const scratch = mkdtempSync(join(tmpdir(), 'chs-bench-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));
// No lock tools, no git: only node's own directory on PATH. No network either way: the digest
// lookups fail fast here (no route), as on a laptop offline.
const env = { PATH: dirname(process.execPath), HOME: scratch, NO_COLOR: '1', TERM: 'xterm-256color' };
const npmEnv = { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };

const ms = (start) => Number(process.hrtime.bigint() - start) / 1e6;

/** create-vite from the npm registry into .cache/bench (once), as `npm create vite` would fetch it. */
function installCreateVite() {
  if (existsSync(VITE_BIN)) return;
  mkdirSync(VITE_DIR, { recursive: true });
  const result = spawnSync('npm', ['install', '--prefix', VITE_DIR, '--no-save', '--ignore-scripts', `create-vite@${VITE_VERSION}`], { encoding: 'utf8', env: npmEnv });
  if (result.status !== 0 || !existsSync(VITE_BIN)) throw new Error(`could not install create-vite@${VITE_VERSION}: ${result.stderr}`);
}

// CPU time of finished children (Linux /proc, USER_HZ = 100): unlike wall time, it hardly moves
// when other work loads the machine. Ticks are coarse, so the table shows the mean over N runs.
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

/** CPU time a running process has used so far (/proc/<pid>/stat), or NaN. */
function processCpuMs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

/**
 * Time from spawning a CLI in a pseudo-terminal until `text` (its first prompt) is on screen, then
 * kill it (SIGHUP, as a closed terminal). `onPrompt` gets the CPU it had used when the prompt showed.
 */
function timeFirstPrompt(args, text, onPrompt = () => {}) {
  return new Promise((resolve, reject) => {
    const cwd = mkdtempSync(join(scratch, 'tty-'));
    const start = process.hrtime.bigint();
    const term = pty.spawn(process.execPath, args, { cols: 120, rows: 40, cwd, env });
    let screen = '';
    const guard = setTimeout(() => {
      term.kill();
      reject(new Error(`${args.join(' ')}: no prompt after 10 s; screen:\n${screen}`));
    }, 10_000);
    term.onData((data) => {
      screen += data;
      if (screen.includes(text)) {
        const elapsed = ms(start);
        onPrompt(processCpuMs(term.pid));
        clearTimeout(guard);
        term.onExit(() => resolve(elapsed));
        term.kill();
      }
    });
  });
}

const inFreshDir = (args) => timeRun(args, mkdtempSync(join(scratch, 'gen-')));
const generate = (extra = []) => () => inFreshDir([BIN, '--yes', '--no-git', '--no-lock', ...extra, 'svc']);

installCreateVite();
/** A script built here as our bundles are (CommonJS, minified), to .cache/bench/`name`. */
function bundleScript(name, lines) {
  const outfile = join(ROOT, '.cache', 'bench', name);
  buildSync({
    stdin: { contents: lines.join('\n'), resolveDir: ROOT, loader: 'js' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20.12',
    minify: true,
    outfile,
    logLevel: 'warning',
  });
  return outfile;
}
// The floor for the first prompt: clack alone drawing the same first question (what any wizard built
// on clack pays).
const QUESTION = "{ message: 'Where should the service go? a new or empty directory', placeholder: 'my-service' }";
const FLOOR = bundleScript('floor-prompt.cjs', ["import { intro, text } from '@clack/prompts';", "intro(' create-hardened-service ');", `void text(${QUESTION});`]);
// The same floor, but leaving the question as a CLI must when the terminal closes (the bench kills the
// prompt with SIGHUP): the prompt closed, "Cancelled by SIGHUP", exit 129. Bare clack dies of the
// signal at once; any wizard that cancels cleanly pays this, so it shows what of our figure is that.
const FLOOR_CANCEL = bundleScript('floor-prompt-cancel.cjs', [
  "import { intro, isCancel, text } from '@clack/prompts';",
  'const hangup = new AbortController();',
  "process.on('SIGHUP', () => hangup.abort());",
  "intro(' create-hardened-service ');",
  `void text({ ...${QUESTION}, signal: hangup.signal }).then((value) => {`,
  "  if (isCancel(value)) process.stderr.write('Cancelled by SIGHUP. Nothing was written.\\n'), (process.exitCode = 129);",
  '});',
]);
const promptCpu = { ours: [], floor: [] };
// Each measure: ours, and where there is one, create-vite's counterpart, run in the same round.
const measures = [
  { key: 'bare', label: 'bare node (node -e 0)', once: () => timeRun(['-e', '0']) },
  { key: 'help', label: '--help', once: () => timeRun([BIN, '--help']), goal: 1.3 },
  { key: 'help', vite: true, label: 'create-vite --help', once: () => timeRun([VITE_BIN, '--help']) },
  { key: 'prompt', label: 'time to first prompt (pty)', once: () => timeFirstPrompt([BIN], 'Where should the service go?', (cpu) => promptCpu.ours.push(cpu)), goal: 1.3 },
  { key: 'floor', label: '  floor: clack alone, same question', once: () => timeFirstPrompt([FLOOR], 'Where should the service go?', (cpu) => promptCpu.floor.push(cpu)) },
  { key: 'floor-cancel', label: '  floor, cancelled cleanly on SIGHUP', once: () => timeFirstPrompt([FLOOR_CANCEL], 'Where should the service go?') },
  { key: 'prompt', vite: true, label: 'create-vite first prompt', once: () => timeFirstPrompt([VITE_BIN], 'Project name') },
  { key: 'generate', label: 'generate --yes --no-git --no-lock', once: generate(), goal: 1.5 },
  // create-vite's whole scaffold, without a terminal and without installing or starting anything.
  { key: 'generate', vite: true, label: 'create-vite vanilla-ts scaffold', once: () => inFreshDir([VITE_BIN, 'app', '--template', 'vanilla-ts', '--no-interactive', '--no-immediate']) },
  ...['go', 'node', 'java'].map((language) => ({ key: `generate-${language}`, label: `  … --language ${language}`, once: generate(['--language', language]), goal: 1.5 })),
  { key: 'dry-run', label: 'generate --dry-run (nothing written)', once: generate(['--dry-run']) },
];
for (const m of measures) Object.assign(m, { times: [], cpu: 0 });

const began = process.hrtime.bigint();
for (const m of measures) await m.once(); // warm the file cache; not counted
for (const list of Object.values(promptCpu)) list.length = 0;
for (let round = 0; round < N; round++) {
  for (const m of measures) {
    const cpuBefore = childrenCpuMs();
    m.times.push(await m.once());
    m.cpu += (childrenCpuMs() ?? NaN) - (cpuBefore ?? NaN);
  }
}
const rows = measures.map((m) => ({ ...m, median: median(m.times), min: Math.min(...m.times), max: Math.max(...m.times), cpu: m.cpu / N }));
const bare = rows[0];
const ours = (key) => rows.find((row) => row.key === key && !row.vite);
const cpuRatio = (row) => row.cpu / bare.cpu;
const wallRatio = (row) => row.median / bare.median;
const hasCpu = !Number.isNaN(bare.cpu) && bare.cpu > 0;
// The goals are ratios of CPU time to bare node's (wall time where /proc is missing).
const ratio = (row) => (hasCpu ? cpuRatio(row) : wallRatio(row));

// The package: npm's own numbers for our tarball (built by `npm run bench`), by part (scripts/size.mjs),
// and create-vite's as the registry serves it (an installed copy lacks the templates npm pack would take).
const size = tarballParts(ROOT);
const tarball = size.report;
const viteTarball = packed([`create-vite@${VITE_VERSION}`], scratch);
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const runtimeDeps = Object.keys(manifest.dependencies ?? {}).length;

const pad = (text, width) => String(text).padEnd(width);
const verdict = (ok) => (ok ? 'ok  ' : 'MISS');
console.log(`create-hardened-service ${manifest.version} beside create-vite ${VITE_VERSION}, node ${process.version}, ${N} interleaved rounds\n`);
console.log(`${pad('measure', 40)}${pad('wall median', 13)}${pad('min..max', 14)}${pad('cpu mean', 10)}${pad('vs node', 9)}${pad('goal', 14)}create-vite`);
for (const row of rows.filter((r) => !r.vite)) {
  const vite = rows.find((r) => r.vite && r.key === row.key);
  const versus = row === bare ? 'reference' : `${ratio(row).toFixed(2)}x`;
  const goal = row.goal ? `${verdict(ratio(row) <= row.goal)} <= ${row.goal}x` : '';
  const viteText = vite ? `${ratio(vite).toFixed(2)}x (${vite.median.toFixed(1)} ms, ${vite.label.replace('create-vite ', '')})` : '';
  const cpu = Number.isNaN(row.cpu) ? 'n/a' : `${row.cpu.toFixed(0)} ms`;
  console.log(`${pad(row.label, 40)}${pad(`${row.median.toFixed(1)} ms`, 13)}${pad(`${row.min.toFixed(0)}..${row.max.toFixed(0)} ms`, 14)}${pad(cpu, 10)}${pad(versus, 9)}${pad(goal, 14)}${viteText}`);
}
console.log(`(ratios: ${hasCpu ? 'CPU time' : 'wall time'} against bare node in the same run; wall ratios for reference: ` +
  `--help ${wallRatio(ours('help')).toFixed(2)}x, first prompt ${wallRatio(ours('prompt')).toFixed(2)}x, generate ${wallRatio(ours('generate')).toFixed(2)}x)`);
// The prompt's goal is judged on the CPU of the whole run until the prompt is left: all the process
// does without input counts, before the question is drawn and while it waits (a preload there would
// be start-up work). The CPU when the prompt appeared, and wall time, are shown beside it.
const meanOf = (values) => values.reduce((sum, value) => sum + value, 0) / values.length;
if (hasCpu) {
  console.log(`(first prompt: judged on the CPU until the prompt is left (killed), which counts all the process does without input; ` +
    `CPU when the prompt appeared: ours ${(meanOf(promptCpu.ours) / bare.cpu).toFixed(2)}x, floor ${(meanOf(promptCpu.floor) / bare.cpu).toFixed(2)}x of bare node's whole run; ` +
    `the floor dies of SIGHUP at once, a CLI that cancels cleanly (message, exit 129) pays the second floor row)`);
}
console.log(`load average at the end: ${loadavg().map((n) => n.toFixed(2)).join(' ')} on ${availableParallelism()} CPUs`);
console.log();
console.log(`${pad('tarball size (npm pack)', 40)}${pad(kb(tarball.size), 37)}${pad(`${verdict(tarball.size <= 80 * 1024)} <= 80 KB`, 14)}${kb(viteTarball.size)}`);
console.log(`${pad('  files / unpacked', 40)}${pad(`${tarball.entryCount} / ${kb(tarball.unpackedSize)}`, 51)}${viteTarball.entryCount} / ${kb(viteTarball.unpackedSize)}`);
// Where the bytes go: the parts of the tarball, unpacked and gzipped alone.
for (const line of partLines(size, '    ')) console.log(line);
console.log(`${pad('runtime dependencies', 40)}${pad(runtimeDeps, 37)}${verdict(runtimeDeps === 0)} 0           ${Object.keys(JSON.parse(readFileSync(join(VITE_DIR, 'node_modules', 'create-vite', 'package.json'), 'utf8')).dependencies ?? {}).length}`);
console.log(`\nbench took ${(ms(began) / 1000).toFixed(1)} s`);

// The audit's own figures (issue 12), beside the npm Dockerfile linters, when that script exists.
const auditBench = join(ROOT, 'scripts', 'bench-audit.mjs');
if (process.env.BENCH_AUDIT !== '0' && existsSync(auditBench)) {
  console.log();
  const result = spawnSync(process.execPath, [auditBench], { stdio: 'inherit', cwd: ROOT });
  if (result.status !== 0) process.exitCode = result.status ?? 1;
}
