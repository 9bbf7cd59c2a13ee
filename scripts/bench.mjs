// Start-up, first prompt, generation and package size, side by side with their goals.
// Usage: npm run bench   (builds first; runs in well under a minute)
// Every command is spawned with an argument array; times are medians of N runs (process.hrtime).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pty from 'node-pty';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'create-hardened-service.js');
const N = Number(process.env.BENCH_RUNS ?? 15);
const FIRST_PROMPT = 'Where should the service go?';

const scratch = mkdtempSync(join(tmpdir(), 'chs-bench-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));
// No lock tools, no git: only node's own directory on PATH.
const env = { PATH: dirname(process.execPath), HOME: scratch, NO_COLOR: '1', TERM: 'xterm-256color' };

const ms = (start) => Number(process.hrtime.bigint() - start) / 1e6;
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

async function measure(label, once, runs = N) {
  await once(); // warm the file cache; not counted
  const times = [];
  for (let i = 0; i < runs; i++) times.push(await once());
  return { label, median: median(times), min: Math.min(...times), max: Math.max(...times) };
}

const generateOnce = () => {
  const cwd = mkdtempSync(join(scratch, 'gen-'));
  return timeRun([BIN, '--yes', '--no-git', '--no-lock', 'svc'], cwd);
};

const began = process.hrtime.bigint();
const bare = await measure('bare node (node -e 0)', () => timeRun(['-e', '0']));
const help = await measure('--help', () => timeRun([BIN, '--help']));
const prompt = await measure('time to first prompt (pty)', timeFirstPrompt, Math.min(N, 10));
const generate = await measure('generate --yes --no-git --no-lock', generateOnce, Math.min(N, 10));

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
  [generate, `${ratio(generate).toFixed(2)}x`, `${verdict(generate.median < 100)} < 100 ms (whole process)`],
];

const pad = (text, width) => String(text).padEnd(width);
console.log(`create-hardened-service ${manifest.version}, node ${process.version}, median of ${N} runs (pty and generate: ${Math.min(N, 10)})\n`);
console.log(`${pad('measure', 36)}${pad('median', 10)}${pad('min..max', 16)}${pad('vs node', 9)}goal`);
for (const [row, versus, goal] of rows) {
  console.log(`${pad(row.label, 36)}${pad(`${row.median.toFixed(1)} ms`, 10)}${pad(`${row.min.toFixed(0)}..${row.max.toFixed(0)} ms`, 16)}${pad(versus, 9)}${goal}`);
}
console.log(`${pad('generate minus bare node start-up', 36)}${pad(`${(generate.median - bare.median).toFixed(1)} ms`, 10)}${pad('', 25)}(for reference)`);
console.log();
console.log(`${pad('tarball size (npm pack)', 36)}${pad(`${(tarball.size / 1024).toFixed(1)} KB`, 35)}${verdict(tarball.size < 80 * 1024)} < 80 KB   (${tarball.entryCount} files, ${(tarball.unpackedSize / 1024).toFixed(1)} KB unpacked)`);
console.log(`${pad('runtime dependencies', 36)}${pad(runtimeDeps, 35)}${verdict(runtimeDeps === 0)} 0`);
console.log(`\nbench took ${(ms(began) / 1000).toFixed(1)} s`);
