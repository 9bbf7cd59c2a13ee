// The generated Node.js project, as it stands, through its own gates with the real, pinned tools:
// lock against the npm registry, `npm ci`, then the package.json scripts the test stage runs.
// Each gate must pass untouched and fail on a planted fault (a gate that cannot fail proves nothing).
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { renderProject } from '../../src/render/render.ts';
import { testOptions } from '../helpers/options.ts';

const project = mkdtempSync(join(tmpdir(), 'chs-node-gates-'));
// Kept between runs (only downloads live there), so a second run needs no network.
const cache = join(tmpdir(), 'chs-npm-cache');
const options = testOptions({ directory: 'billing-api', language: 'node', manager: 'npm', runtimeVersion: '24', gates: ['typecheck', 'format', 'lint', 'test'] });
for (const [path, content] of renderProject(options)) {
  mkdirSync(dirname(join(project, path)), { recursive: true });
  writeFileSync(join(project, path), content);
}
after(() => rmSync(project, { recursive: true, force: true }));

const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: project, LANG: 'C.UTF-8', npm_config_cache: cache, npm_config_update_notifier: 'false' };

function run(command: string, args: string[]): { status: number | null; output: string } {
  const result = spawnSync(command, args, { cwd: project, env, encoding: 'utf8', timeout: 300_000 });
  if (result.error) throw result.error;
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** Apply a fault to one file, run the gate, restore the file. */
function withFault(path: string, edit: (text: string) => string, gate: () => void): void {
  const file = join(project, path);
  const original = readFileSync(file, 'utf8');
  const edited = edit(original);
  assert.notEqual(edited, original, `the fault changes ${path}`);
  writeFileSync(file, edited);
  try {
    gate();
  } finally {
    writeFileSync(file, original);
  }
}

before(() => {
  const lock = run('npm', ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund']);
  assert.equal(lock.status, 0, lock.output);
  const install = run('npm', ['ci', '--no-audit', '--no-fund']);
  assert.equal(install.status, 0, install.output);
});

test('typecheck: tsc --noEmit passes, and fails on a type error', () => {
  const result = run('npm', ['run', 'typecheck']);
  assert.equal(result.status, 0, result.output);
  withFault('src/app.ts', (t) => t.replace('const port = Number(raw);', 'const port: string = Number(raw);'), () => {
    assert.notEqual(run('npm', ['run', 'typecheck']).status, 0);
  });
});

test('format: prettier --check passes untouched, and fails on misformatted code', () => {
  const result = run('npm', ['run', 'format']);
  assert.equal(result.status, 0, result.output);
  withFault('src/main.ts', (t) => t.replace("const server = createApp();", 'const server = createApp( ) ;'), () => {
    assert.notEqual(run('npm', ['run', 'format']).status, 0);
  });
});

test('lint: eslint with typescript-eslint strict passes, and fails on an unused variable', () => {
  const result = run('npm', ['run', 'lint']);
  assert.equal(result.status, 0, result.output);
  withFault('src/app.ts', (t) => `${t}\nconst unused = 1;\n`, () => {
    const failed = run('npm', ['run', 'lint']);
    assert.notEqual(failed.status, 0);
    assert.match(failed.output, /no-unused-vars/);
  });
});

test('test: npm test runs every test and passes', () => {
  const result = run('npm', ['test']);
  assert.equal(result.status, 0, result.output);
  const passed = Number(/ℹ pass (\d+)/.exec(result.output)?.[1] ?? 0);
  assert.ok(passed >= 10, `too few tests ran:\n${result.output}`);
  assert.match(result.output, /stops promptly on SIGTERM/);
  assert.match(result.output, /ℹ fail 0/);
});

test('test: a broken service fails npm test', () => {
  withFault('src/app.ts', (t) => t.replace("{ status: 'ok' }", "{ status: 'broken' }"), () => {
    const result = run('npm', ['test']);
    assert.notEqual(result.status, 0, result.output);
    assert.match(result.output, /ℹ fail [1-9]/);
  });
});

test('test: npm test fails when no test ran (test/reporter.ts counts them), and when no test file exists', () => {
  rmSync(join(project, 'build'), { recursive: true, force: true });
  const saved = ['app.test.ts', 'main.test.ts'].map((name) => [name, readFileSync(join(project, 'test', name), 'utf8')] as const);
  try {
    // Every test skipped or todo: the runner itself passes such a run; the reporter fails it.
    writeFileSync(join(project, 'test', 'app.test.ts'), "import { test } from 'node:test';\n\ntest.skip('skipped', () => {});\ntest.todo('later');\n");
    unlinkSync(join(project, 'test', 'main.test.ts'));
    const none = run('npm', ['test']);
    assert.notEqual(none.status, 0, none.output);
    assert.match(none.output, /no test ran/);
    rmSync(join(project, 'build'), { recursive: true, force: true });
    unlinkSync(join(project, 'test', 'app.test.ts'));
    const noFile = run('npm', ['test']);
    assert.notEqual(noFile.status, 0, noFile.output);
  } finally {
    for (const [name, text] of saved) writeFileSync(join(project, 'test', name), text);
    rmSync(join(project, 'build'), { recursive: true, force: true });
  }
});

test('build: tsc -p tsconfig.build.json compiles src/ only, and the service starts from dist/', () => {
  const result = run('npm', ['run', 'build']);
  assert.equal(result.status, 0, result.output);
  const started = spawnSync(process.execPath, ['-e', "import('./dist/main.js').then(() => setTimeout(() => process.kill(process.pid, 'SIGTERM'), 300))"], {
    cwd: project,
    env: { ...env, PORT: '0', HOST: '127.0.0.1' },
    encoding: 'utf8',
    timeout: 20_000,
  });
  assert.equal(started.status, 0, `${started.stdout}${started.stderr}`);
  assert.deepEqual(
    started.stdout.trim().split('\n').map((line) => (JSON.parse(line) as { message: string }).message),
    ['listening', 'stopping', 'stopped'],
  );
  assert.throws(() => readFileSync(join(project, 'dist', 'test', 'reporter.js')), 'no test code in dist/');
});
