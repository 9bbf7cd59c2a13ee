// Run the built CLI the way users do: a separate process, argument arrays, a fresh temp cwd, and a
// PATH that holds only the tools a test puts there (so a real pipenv/poetry on the machine is never used).
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = join(ROOT, 'bin', 'create-hardened-service.js');
export const BUNDLE = join(ROOT, 'dist', 'index.js');

/**
 * The bundle must exist. A source newer than it only warns: others edit src/ while tests run, and
 * not every file there is in the bundle (`npm test` builds first).
 */
export function assertBuilt(): void {
  if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run \`npm run build\` first`);
  const built = statSync(BUNDLE).mtimeMs;
  const newer = files(join(ROOT, 'src')).filter((path) => statSync(join(ROOT, 'src', path)).mtimeMs > built);
  if (newer.length > 0) console.warn(`# warning: dist/index.js is older than src/${newer[0]}; run \`npm run build\` to test the current code`);
}

const made: string[] = [];
process.once('exit', () => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A fresh directory under the OS temp dir, removed when the test process exits. */
export function tempDir(label = 'chs'): string {
  const dir = mkdtempSync(join(tmpdir(), `${label}-`));
  made.push(dir);
  return dir;
}

/** Every file and directory under `dir`, relative, sorted (directories end in "/"); [] if absent. */
export function files(dir: string, { dirs = false } = {}): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) {
        if (dirs) out.push(`${relative(dir, path)}/`);
        walk(path);
      } else out.push(relative(dir, path));
    }
  };
  walk(dir);
  return out.sort();
}

/** Content and mtime of every file, to prove a run left them untouched. */
export function snapshot(dir: string): Record<string, { content: string; mtimeMs: number }> {
  return Object.fromEntries(
    files(dir).map((path) => [path, { content: readFileSync(join(dir, path), 'utf8'), mtimeMs: statSync(join(dir, path)).mtimeMs }]),
  );
}

/** Where the real executable lives on this machine's PATH (to link it into a test's PATH). */
export function realTool(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, name);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

export interface BinOptions {
  /** Fake tools: name -> JavaScript body run by this node (process.argv.slice(2) are its args). */
  fakes?: Record<string, string>;
  /** Real tools to link in (e.g. git). */
  real?: string[];
}

/** A directory to use as the whole PATH: only the fakes and the linked real tools. */
export function binDir(options: BinOptions = {}): string {
  const dir = tempDir('chs-bin');
  for (const [name, body] of Object.entries(options.fakes ?? {})) {
    const path = join(dir, name);
    writeFileSync(path, `#!${process.execPath}\n${body}\n`);
    chmodSync(path, 0o755);
  }
  for (const name of options.real ?? []) {
    const target = realTool(name);
    if (!target) throw new Error(`${name} is not installed here`);
    symlinkSync(target, join(dir, name));
  }
  return dir;
}

/**
 * A fake tool body that appends one JSON line to `log`: its argv, cwd, environment and its parent's
 * argv[0] (the CLI's node when spawned directly; a shell would show up there), then runs `then`.
 */
export function recordingTool(log: string, then = ''): string {
  return [
    `const fs = require('node:fs');`,
    `const parent = fs.readFileSync('/proc/' + process.ppid + '/cmdline', 'utf8').split('\\0')[0];`,
    `fs.appendFileSync(${JSON.stringify(log)}, JSON.stringify({ argv: process.argv.slice(2), cwd: process.cwd(), parent, env: process.env }) + '\\n');`,
    then,
  ].join('\n');
}

/**
 * A fake git body (for `binDir({ fakes: { git } })`) that is not in a work tree, creates .git on
 * init, then touches `started` and hangs on commit: for Ctrl-C during the git step.
 */
export function hangingGit(started: string): string {
  return `
const fs = require('node:fs');
const args = process.argv.slice(2).filter((arg, i, all) => arg !== '-c' && all[i - 1] !== '-c');
if (args[0] === 'rev-parse') process.exit(128);
if (args[0] === 'init') fs.mkdirSync('.git/objects', { recursive: true });
if (args[0] === 'config') process.exit(1);
if (args[0] === 'commit') { fs.writeFileSync(${JSON.stringify(started)}, ''); setTimeout(() => {}, 20_000); }`;
}

/** The environment of a run: no colours, a private HOME, and exactly the PATH given. */
export function cliEnv(path: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const home = tempDir('chs-home');
  mkdirSync(join(home, '.config'), { recursive: true });
  return {
    PATH: path,
    HOME: home,
    // Registry credentials are looked for here first (containers-auth.json): never the machine's own.
    XDG_RUNTIME_DIR: join(home, 'run'),
    NO_COLOR: '1',
    GIT_CONFIG_NOSYSTEM: '1',
    TMPDIR: tmpdir(),
    ...extra,
  };
}

export interface RunResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export interface Running {
  child: ChildProcess;
  result: Promise<RunResult>;
}

export interface StartOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Kill the process (SIGKILL) after this long and report timedOut. */
  timeoutMs?: number;
  /** Own process group, so a test can signal the whole group like a terminal's Ctrl-C. */
  detached?: boolean;
  /** Run as this user (root only), e.g. nobody, where permissions matter. */
  uid?: number;
  gid?: number;
}

/**
 * Start the built CLI. stdin is a pipe that is never written nor closed: a CLI that waited for
 * input would hang until the timeout, which the tests then report.
 */
export function startCli(args: readonly string[], options: StartOptions): Running {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    env: options.env,
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: options.detached ?? false,
    uid: options.uid,
    gid: options.gid,
  });
  let stdout = '';
  let stderr = '';
  let timedOut = false;
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, options.timeoutMs ?? 20_000);
  const result = new Promise<RunResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      child.stdin!.destroy();
      resolve({ exitCode, signal, stdout, stderr, timedOut });
    });
  });
  return { child, result };
}

/** Run the built CLI to completion. */
export function runCli(args: readonly string[], options: StartOptions): Promise<RunResult> {
  return startCli(args, options).result;
}

/** Everything a failed assertion needs to explain itself. */
export function show(result: RunResult): string {
  return `exit ${result.exitCode} signal ${result.signal}${result.timedOut ? ' (TIMED OUT)' : ''}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;
}

/** Wait until `predicate` holds, polling; throws with `what` after `timeoutMs`. */
export async function until(predicate: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * A fake lock tool that will not stop: it ignores SIGTERM (noting that it got one in `log`), starts
 * a helper that ignores SIGTERM too and has let go of the tool's pipes, and both keep writing (the
 * tool its lock file in the project, both a line to `log`) until killed. `pids` gets [tool, helper]
 * once both are running.
 */
export function stubbornTool(log: string, pids: string, lockFile = 'Pipfile.lock'): string {
  const helper = `process.on('SIGTERM', () => {}); require('node:fs').appendFileSync(${JSON.stringify(log)}, 'helper up\\n'); setInterval(() => require('node:fs').appendFileSync(${JSON.stringify(log)}, 'helper\\n'), 20);`;
  return `
const fs = require('node:fs');
const { spawn } = require('node:child_process');
process.on('SIGTERM', () => fs.appendFileSync(${JSON.stringify(log)}, 'tool got SIGTERM\\n'));
const helper = spawn(process.execPath, ['-e', ${JSON.stringify(helper)}], { stdio: 'ignore' });
fs.writeFileSync(${JSON.stringify(pids)}.concat('.tmp'), JSON.stringify([process.pid, helper.pid]));
fs.renameSync(${JSON.stringify(pids)}.concat('.tmp'), ${JSON.stringify(pids)});
setInterval(() => {
  fs.appendFileSync(${JSON.stringify(log)}, 'tool\\n');
  try { fs.writeFileSync(${JSON.stringify(lockFile)}, '{}'); } catch {}
}, 20);`;
}

/** Whether a process still runs (a zombie, dead but not yet reaped, does not count). */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return false;
  }
}

/**
 * Split a command line the way a POSIX shell does for what the CLI prints: words separated by
 * blanks, single quotes taken literally, double quotes without anything to expand, a backslash
 * escaping the next character outside quotes. Anything else a shell would expand or read ($, `,
 * globs, redirections) is refused, so a test never guesses.
 */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end === -1) throw new Error(`unterminated quote in ${line}`);
      word = (word ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      const end = line.indexOf('"', i + 1);
      if (end === -1 || /[$`\\]/.test(line.slice(i + 1, end))) throw new Error(`a double-quoted word a shell would expand in ${line}`);
      word = (word ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (c === '\\') word = (word ?? '') + line[++i]!;
    else if (c === ' ') {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (/[$`*?[\]<>|;&(){}~]/.test(c)) throw new Error(`${JSON.stringify(c)} unquoted in ${line}: a shell would read it`);
    else word = (word ?? '') + c;
  }
  if (word !== undefined) words.push(word);
  return words;
}
