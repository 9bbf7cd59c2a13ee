// The built CLI in a subprocess: help, version, a run without a TTY, --dry-run, the project record.
import { LANGUAGES } from '../../src/languages/index.ts';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { assertBuilt, BIN, binDir, cliEnv, files, ROOT, runCli, show, tempDir } from '../helpers/cli.ts';

before(assertBuilt);

// Every flag the contract (design/cli.md) names.
const CONTRACT_FLAGS = [
  '[directory]', '--name', '--language', '--manager', '--python', '--registry', '--builder-image', '--runtime-image',
  '--cert-bundle', '--cert-path', '--index-url', '--gates', '--ci', '--maintainer', '--preset', '-y', '--yes',
  '--dry-run', '--force', '--no-git', '--no-lock', '-h', '--help', '-v', '--version',
];

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };

test('--help exits 0 and mentions every flag of the contract', async () => {
  const cwd = tempDir();
  for (const flag of ['--help', '-h']) {
    const result = await runCli([flag], { cwd, env: cliEnv(binDir()) });
    assert.equal(result.exitCode, 0, show(result));
    const missing = CONTRACT_FLAGS.filter((name) => !result.stdout.includes(name));
    assert.deepEqual(missing, [], `${flag} output lacks these flags:\n${result.stdout}`);
    assert.match(result.stdout, /130/, 'the exit codes are listed');
    assert.equal(result.stderr, '');
  }
  assert.deepEqual(readdirSync(cwd), []);
});

test('--help names every language with its managers and runtime versions (they come from the modules)', async () => {
  const { stdout } = await runCli(['--help'], { cwd: tempDir(), env: cliEnv(binDir()) });
  const line = (flag: string) => stdout.split('\n').filter((l) => l.trimStart().startsWith(flag)).join('\n');
  for (const language of LANGUAGES) {
    assert.match(line('--language'), new RegExp(`\\b${language.value}\\b`), `--language lists ${language.value}`);
    for (const manager of language.managers) assert.match(line('--manager'), new RegExp(`\\b${manager.value}\\b`), `--manager lists ${manager.value}`);
    const versions = stdout.slice(stdout.indexOf('--runtime-version'), stdout.indexOf('--registry'));
    for (const version of language.runtimeVersions) assert.ok(versions.includes(version.value), `${language.value} ${version.value} is listed:\n${versions}`);
  }
});

test('a lone --help (the small fast path, which gets the languages from the build) says what the full CLI says', async () => {
  const cwd = tempDir();
  const fast = await runCli(['--help'], { cwd, env: cliEnv(binDir()) });
  // Another flag beside it sends --help through the full CLI, which reads the language modules.
  const full = await runCli(['--help', '--no-git'], { cwd, env: cliEnv(binDir()) });
  assert.equal(fast.exitCode, 0, show(fast));
  assert.equal(full.exitCode, 0, show(full));
  assert.equal(fast.stdout, full.stdout);
});

test('--version and -v print the package version and exit 0', async () => {
  const cwd = tempDir();
  for (const flag of ['--version', '-v']) {
    const result = await runCli([flag], { cwd, env: cliEnv(binDir()) });
    assert.equal(result.exitCode, 0, show(result));
    assert.equal(result.stdout.trim(), pkg.version);
  }
  assert.deepEqual(readdirSync(cwd), []);
});

test('without a TTY and without flags: never prompts, uses the defaults, prints the answers, exits 0', async () => {
  const cwd = tempDir();
  // stdin is an open pipe nobody writes to: a prompt would hang until the timeout.
  const result = await runCli([], { cwd, env: cliEnv(binDir()), timeoutMs: 15_000 });
  assert.equal(result.timedOut, false, `the CLI waited for input\n${show(result)}`);
  assert.equal(result.exitCode, 0, show(result));
  assert.deepEqual(readdirSync(cwd), ['my-service'], 'only the project directory, no temp leftovers');
  const target = join(cwd, 'my-service');
  for (const path of ['.hardened-service.json', 'src/main.py', 'README.md']) assert.ok(existsSync(join(target, path)), `${path} written`);
  // The resolved answers are printed, one per line.
  for (const line of [/directory\s+my-service/, /name\s+my-service/, /language\s+python/, /manager\s+pipenv/, /python\s+3\.13/, /ci\s+github/, /gates\s+typecheck,format,lint,security,test,bdd/]) {
    assert.match(result.stdout, line);
  }
  // No pipenv and no git on this PATH: warnings with the next command, still exit 0.
  assert.match(result.stderr, /pipenv is not installed/);
  assert.match(result.stderr, /cd my-service && pipenv/);
  assert.ok(!existsSync(join(target, '.git')), 'no git on PATH: no repository');
});

test('the project has its Dockerfile and the dotfiles under their real names', async () => {
  const cwd = tempDir();
  const result = await runCli(['--no-git', '--no-lock', 'svc'], { cwd, env: cliEnv(binDir()) });
  assert.equal(result.exitCode, 0, show(result));
  for (const path of ['Dockerfile', '.dockerignore', '.gitignore']) assert.ok(existsSync(join(cwd, 'svc', path)), `${path} written`);
  assert.ok(!files(join(cwd, 'svc')).some((path) => /(^|\/)_(gitignore|dockerignore)/.test(path)), 'no _name template leaked');
});

test('--dry-run prints the tree with sizes and writes nothing', async () => {
  const cwd = tempDir();
  const result = await runCli(['--dry-run', 'billing-api', '--manager', 'poetry'], { cwd, env: cliEnv(binDir()) });
  assert.equal(result.exitCode, 0, show(result));
  assert.deepEqual(readdirSync(cwd), [], 'nothing written, not even a temp directory');
  assert.match(result.stdout, /^billing-api\/$/m, 'the tree starts at the directory');
  assert.match(result.stdout, /[├└]── \.hardened-service\.json\s+\d+(\.\d)? (B|KiB)$/m, 'each file with its size');
  assert.match(result.stdout, /[├└]── src\/$/m, 'directories shown');
  assert.match(result.stdout, /^\d+ files, \d+(\.\d)? (B|KiB)$/m, 'a total line');
  assert.match(result.stdout, /nothing was written/i);
  assert.match(result.stdout, /manager\s+poetry/);
});

test('--dry-run sizes are the sizes a real run writes', async () => {
  const cwd = tempDir();
  const args = ['svc', '--no-git', '--no-lock', '--maintainer', 'Team Foo <foo@example.com>'];
  const dry = await runCli(['--dry-run', ...args], { cwd, env: cliEnv(binDir()) });
  assert.equal(dry.exitCode, 0, show(dry));
  const real = await runCli(args, { cwd, env: cliEnv(binDir()) });
  assert.equal(real.exitCode, 0, show(real));
  const written = files(join(cwd, 'svc'));
  const total = written.reduce((sum, path) => sum + readFileSync(join(cwd, 'svc', path)).length, 0);
  const summary = /^(\d+) files, ([\d.]+) (B|KiB)$/m.exec(dry.stdout);
  assert.ok(summary, dry.stdout);
  assert.equal(Number(summary[1]), written.length, `dry run counted ${summary[1]}, the run wrote ${written.join(', ')}`);
  const shown = summary[3] === 'B' ? Number(summary[2]) : Number(summary[2]) * 1024;
  assert.ok(Math.abs(shown - total) <= 52, `dry run total ${summary[2]} ${summary[3]}, written ${total} B`);
});

test('.hardened-service.json records the generator version and every answer', async () => {
  const cwd = tempDir();
  const result = await runCli(
    ['--no-git', '--no-lock', 'services/billing', '--name', 'billing-api', '--manager', 'poetry', '--gates', 'test,typecheck',
      '--ci', 'gitlab', '--registry', 'registry.example.com/base', '--index-url', 'https://nexus.example.com/pypi/simple',
      '--maintainer', 'Team Foo <foo@example.com>', '--no-pre-commit'],
    { cwd, env: cliEnv(binDir()) },
  );
  assert.equal(result.exitCode, 0, show(result));
  const record = JSON.parse(readFileSync(join(cwd, 'services/billing/.hardened-service.json'), 'utf8'));
  assert.ok(existsSync(join(cwd, 'services/billing/.devcontainer/devcontainer.json')));
  assert.ok(!existsSync(join(cwd, 'services/billing/.pre-commit-config.yaml')));
  assert.equal(record.version, pkg.version);
  assert.equal(record.generator, 'create-hardened-service');
  assert.deepEqual(record.answers, {
    name: 'billing-api',
    language: 'python',
    manager: 'poetry',
    runtimeVersion: '3.13',
    registry: 'registry.example.com/base',
    builderImage: null,
    runtimeImage: null,
    syntax: 'registry.example.com/base/docker/dockerfile:1',
    certBundle: null,
    certPath: '/certs/',
    indexUrl: 'https://nexus.example.com/pypi/simple',
    gates: ['typecheck', 'test'],
    ci: 'gitlab',
    maintainer: 'Team Foo <foo@example.com>',
    devcontainer: true,
    preCommit: false,
  });
  assert.match(record.images.builder, /^registry\.example\.com\/base\/python:3\.13/);
  assert.match(record.images.runtime, /^registry\.example\.com\/base\//);
});

test('without a TTY and without NO_COLOR: plain text, no escape sequences', async () => {
  const cwd = tempDir();
  const env = cliEnv(binDir());
  delete env.NO_COLOR;
  const result = await runCli(['svc', '--no-git', '--no-lock', '--frobnicate'], { cwd, env });
  assert.equal(result.exitCode, 2, show(result));
  const ok = await runCli(['svc', '--no-git', '--no-lock'], { cwd, env });
  assert.equal(ok.exitCode, 0, show(ok));
  for (const text of [result.stderr, ok.stdout, ok.stderr]) assert.doesNotMatch(text, /\x1b\[/, JSON.stringify(text.slice(0, 200)));
});

test('the bin shim refuses an older Node with a clear message (the version is simulated, only one node here)', async () => {
  const cwd = tempDir();
  for (const [version, refused] of [['18.19.0', true], ['20.11.1', true], ['20.12.0', false]] as const) {
    const fake = `data:text/javascript,Object.defineProperty(process,'versions',{value:{...process.versions,node:'${version}'}})`;
    const result = await new Promise<{ code: number | null; stderr: string; stdout: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', fake, BIN, '--version'], { cwd, env: cliEnv(binDir()), stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      child.stderr.on('data', (chunk) => (stderr += chunk));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
    if (refused) {
      assert.equal(result.code, 1, `${version}: ${result.stderr}`);
      assert.match(result.stderr, new RegExp(`needs Node\\.js 20\\.12 or newer; this is ${version.replace(/\./g, '\\.')}`));
      assert.doesNotMatch(result.stderr, /SyntaxError|^\s+at /m, 'the bundle was not loaded');
    } else {
      assert.equal(result.code, 0, `${version}: ${result.stderr}`);
      assert.equal(result.stdout.trim(), pkg.version);
    }
  }
});
