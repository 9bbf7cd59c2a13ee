// `create-hardened-service audit` as users and CI run it: the built CLI in a subprocess, its own
// options and help, several paths, the three formats, exit codes, and hostile inputs.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { assertBuilt, BIN, binDir, cliEnv, runCli, show, tempDir } from '../helpers/cli.ts';

before(assertBuilt);

const FIXTURES = join(process.cwd(), 'test/fixtures/audit');
const GOOD = readFileSync(join(FIXTURES, 'good-poetry.Dockerfile'), 'utf8');
const GOOD_IGNORE = readFileSync(join(FIXTURES, 'good.dockerignore'), 'utf8');
const RECORD = JSON.stringify({ answers: { language: 'python', manager: 'poetry', gates: ['typecheck', 'format', 'lint', 'security', 'test', 'bdd'] }, images: { runtime: 'gcr.io/distroless/python3-debian13:nonroot' } });
const audit = (args: string[], cwd: string, timeoutMs = 20_000) => runCli(['audit', ...args], { cwd, env: cliEnv(binDir()), timeoutMs });

/** A generated-looking project: Dockerfile, .dockerignore and the record. */
function project(root: string, name: string, dockerfile = GOOD, record: string | null = RECORD): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'Dockerfile'), dockerfile);
  writeFileSync(join(dir, '.dockerignore'), GOOD_IGNORE);
  if (record !== null) writeFileSync(join(dir, '.hardened-service.json'), record);
  return dir;
}

test('audit --help is its own: its options, no wizard options; exit 0', async () => {
  const result = await audit(['--help'], tempDir());
  assert.equal(result.exitCode, 0, show(result));
  for (const option of ['--format', '--profile', '--ignore', '--explain', '--strict', 'audit-ignore', 'sarif']) assert.ok(result.stdout.includes(option), option);
  for (const wizard of ['--registry', '--cert-bundle', '--dry-run', '--manager']) assert.ok(!result.stdout.includes(wizard), wizard);
  assert.equal(result.stderr, '');
});

test("the wizard's options are refused (exit 2), naming the option; no message ends with the wizard's words", async () => {
  const cwd = tempDir();
  for (const option of ['--name', '--yes', '--dry-run', '--registry', '--force']) {
    const result = await audit([option, 'x'], cwd);
    assert.equal(result.exitCode, 2, show(result));
    assert.match(result.stderr, new RegExp(`${option}: is not an audit option`));
    assert.doesNotMatch(result.stderr + result.stdout, /Nothing was written/);
  }
  for (const [args, text] of [[['--format', 'xml'], /--format: "xml" is not a format/], [['--profile', 'strict'], /--profile: "strict" is not a profile/], [['--ignore', 'DL3008'], /--ignore: "DL3008" is not a rule id/], [['--explain', 'X1'], /--explain: "X1" is not a rule id/], [['--format'], /--format: needs a value/]] as const) {
    const result = await audit([...args], cwd);
    assert.equal(result.exitCode, 2, show(result));
    assert.match(result.stderr, text);
  }
  assert.deepEqual(readdirSync(cwd), [], 'audit writes nothing');
  // A subcommand after a wizard option is not a directory to create.
  const late = await runCli(['--yes', 'audit'], { cwd, env: cliEnv(binDir()) });
  assert.equal(late.exitCode, 2, show(late));
  assert.deepEqual(readdirSync(cwd), []);
});

test('--explain prints the rule from the catalogue', async () => {
  const result = await audit(['--explain', 'd8'], tempDir());
  assert.equal(result.exitCode, 0, show(result));
  assert.match(result.stdout, /^D8 the runtime stage depends on the test stage/);
  assert.match(result.stdout, /Why: BuildKit and buildah build only the stages/);
  assert.match(result.stdout, /Fix: /);
});

test('a generated project (record beside it) is audited under generated; any other Dockerfile under baseline', async () => {
  const root = tempDir();
  project(root, 'svc');
  const clean = await audit(['svc'], root);
  assert.equal(clean.exitCode, 0, show(clean));
  assert.equal(clean.stdout, 'svc/Dockerfile: no findings (D1-D16)\n');
  // A Dockerfile nobody generated: the baseline, which does not know our stage names.
  project(root, 'plain', 'FROM debian:trixie-slim\nUSER 1000\nCMD ["sleep", "infinity"]\n', null);
  const plain = await audit(['plain/Dockerfile'], root);
  assert.equal(plain.exitCode, 0, show(plain));
  assert.equal(plain.stdout, 'plain/Dockerfile: no findings (baseline)\n');
  // --profile overrides the choice: the contract's stage names, gates and labels now apply.
  const forced = await audit(['--profile', 'generated', 'plain'], root);
  assert.equal(forced.exitCode, 1, show(forced));
  assert.match(forced.stdout, /^plain\/Dockerfile:1 +D2 +error +no stage named `builder`/m);
});

test('several paths, files of any name, one total; exit 1 on errors, warnings fail only with --strict', async () => {
  const root = tempDir();
  mkdirSync(join(root, 'deploy'));
  writeFileSync(join(root, 'deploy', 'Dockerfile.prod'), 'FROM debian:trixie\nRUN curl -fsSL https://get.example.com | sh\nUSER 1000\n');
  writeFileSync(join(root, 'deploy', 'Dockerfile.warn'), 'FROM debian:trixie\nRUN cd /tmp && true\nUSER 1000\n');
  project(root, 'svc');
  const result = await audit(['svc', 'deploy/Dockerfile.prod', 'deploy/Dockerfile.warn'], root);
  assert.equal(result.exitCode, 1, show(result));
  assert.match(result.stdout, /^deploy\/Dockerfile\.prod:2 +B101 +error +/m);
  assert.match(result.stdout, /^deploy\/Dockerfile\.warn:2 +B309 +warning +/m);
  assert.match(result.stdout, /^svc\/Dockerfile: no findings \(D1-D16\)$/m);
  assert.match(result.stdout, /^3 files: 1 error, 1 warning$/m);
  const warnOnly = await audit(['deploy/Dockerfile.warn'], root);
  assert.equal(warnOnly.exitCode, 0, show(warnOnly));
  const strict = await audit(['--strict', 'deploy/Dockerfile.warn'], root);
  assert.equal(strict.exitCode, 1, show(strict));
  const ignored = await audit(['--strict', '--ignore', 'B309', 'deploy/Dockerfile.warn'], root);
  assert.equal(ignored.exitCode, 0, show(ignored));
  // The current directory by default.
  const here = await audit([], join(root, 'svc'));
  assert.equal(here.exitCode, 0, show(here));
  assert.equal(here.stdout, 'Dockerfile: no findings (D1-D16)\n');
});

test('--format json and --format sarif print one document on stdout', async () => {
  const root = tempDir();
  mkdirSync(join(root, 'api'));
  writeFileSync(join(root, 'api', 'Dockerfile'), 'FROM python\n# audit-ignore B309: vendored layout\nRUN cd /opt && true\nUSER 1000\n');
  const json = await audit(['--format', 'json', 'api'], root);
  assert.equal(json.exitCode, 1, show(json));
  const document = JSON.parse(json.stdout) as { findings: Array<{ rule: string; severity: string; path: string; line: number | null; message: string }>; suppressed: Array<{ rule: string; reason: string }> };
  assert.deepEqual(document.findings.map((f) => [f.rule, f.severity, f.path, f.line]), [['B201', 'error', 'api/Dockerfile', 1]]);
  assert.deepEqual(document.suppressed.map((s) => [s.rule, s.reason]), [['B309', 'vendored layout']]);
  const sarif = await audit(['--format', 'sarif', 'api'], root);
  assert.equal(sarif.exitCode, 1, show(sarif));
  const log = JSON.parse(sarif.stdout) as { version: string; runs: Array<{ results: Array<{ ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }> }> };
  assert.equal(log.version, '2.1.0');
  assert.deepEqual(log.runs[0]!.results.map((r) => [r.ruleId, r.locations[0]!.physicalLocation.artifactLocation.uri]), [['B201', 'api/Dockerfile'], ['B309', 'api/Dockerfile']]);
});

test('input that is not a readable text Dockerfile: exit 2 in bounded time, naming the path', async () => {
  const root = tempDir();
  const cases: Array<[string, RegExp]> = [];
  const add = (name: string, make: (path: string) => void, message: RegExp) => {
    make(join(root, name));
    cases.push([name, message]);
  };
  add('fifo', (p) => {
    mkdirSync(p);
    execFileSync('mkfifo', [join(p, 'Dockerfile')]);
  }, /fifo\/Dockerfile is a FIFO/);
  add('dir-named-dockerfile', (p) => mkdirSync(join(p, 'Dockerfile'), { recursive: true }), /dir-named-dockerfile\/Dockerfile is a directory/);
  add('binary.Dockerfile', (p) => copyFileSync(process.execPath, p), /binary\.Dockerfile is (binary|larger)/);
  add('latin1.Dockerfile', (p) => writeFileSync(p, Buffer.from('FROM debian:trixie\nLABEL a=\xe9\n', 'latin1')), /latin1\.Dockerfile is not UTF-8 text/);
  add('empty.Dockerfile', (p) => writeFileSync(p, ''), /empty\.Dockerfile is empty: not a Dockerfile/);
  add('comments.Dockerfile', (p) => writeFileSync(p, '# nothing\n\n# here\n'), /comments\.Dockerfile has no instructions/);
  add('zero.Dockerfile', (p) => symlinkSync('/dev/zero', p), /zero\.Dockerfile is a device/);
  add('no-dockerfile', (p) => mkdirSync(p), /no-dockerfile\/Dockerfile does not exist/);
  add('missing.Dockerfile', () => {}, /missing\.Dockerfile does not exist/);
  add('null-record', (p) => project(root, 'null-record', GOOD, 'null'), /null-record\/\.hardened-service\.json is not a JSON object \(it holds null\)/);
  add('array-record', (p) => project(root, 'array-record', GOOD, '[]'), /array-record\/\.hardened-service\.json is not a JSON object \(it holds an array\)/);
  add('broken-record', (p) => project(root, 'broken-record', GOOD, '{ "answers": '), /broken-record\/\.hardened-service\.json is not valid JSON/);
  for (const [name, message] of cases) {
    const started = Date.now();
    const result = await audit([name], root, 10_000);
    assert.equal(result.exitCode, 2, `${name}\n${show(result)}`);
    assert.match(result.stderr, message, name);
    assert.doesNotMatch(result.stderr, /TypeError|EISDIR|ENOENT|at .*\.js:\d+|Nothing was written/, name);
    assert.ok(Date.now() - started < 10_000, `${name} took ${Date.now() - started} ms`);
  }
  // One bad path among good ones: the good ones are still audited, and the run exits 2.
  project(root, 'svc');
  const mixed = await audit(['svc', 'fifo', 'empty.Dockerfile'], root);
  assert.equal(mixed.exitCode, 2, show(mixed));
  assert.match(mixed.stdout, /^svc\/Dockerfile: no findings/m);
  assert.equal(mixed.stderr.trim().split('\n').length, 2);
  const json = await audit(['--format', 'json', 'svc', 'fifo'], root);
  assert.equal(json.exitCode, 2, show(json));
  const document = JSON.parse(json.stdout) as { files: Array<{ path: string }>; errors: Array<{ path: string; message: string }> };
  assert.deepEqual(document.files.map((f) => f.path), ['svc/Dockerfile']);
  assert.deepEqual(document.errors, [{ path: 'fifo/Dockerfile', message: 'is a FIFO (named pipe)' }]);
});

test('names and text from the files reach the terminal escaped; a BOM does not trip D1', async () => {
  const root = tempDir();
  project(root, 'svc', `\uFEFF${GOOD.replace(/^FROM (\S+) AS builder$/m, 'FROM evil\u001b[2J:1 AS builder')}`);
  mkdirSync(join(root, 'other'));
  writeFileSync(join(root, 'other', 'Dockerfile\u001b[31m'), 'FROM evil\u0007image:latest\nUSER 1000\n');
  const result = await audit(['svc', 'other/Dockerfile\u001b[31m'], root);
  assert.ok(!/[\u0000-\u0008\u000b-\u001f\u007f]/.test(result.stdout + result.stderr), JSON.stringify(result.stdout + result.stderr));
  assert.match(result.stdout, /other\/Dockerfile\\u001b\[31m:1 +B201 +error +base image `evil\\u0007image:latest`/);
  assert.match(result.stdout, /evil\\u001b\[2J:1/);
  assert.doesNotMatch(result.stdout, /\bD1\b/, 'the byte-order mark is not part of the syntax line');
});

test('an unreadable Dockerfile: exit 2, "permission denied" and the path (run as an unprivileged user when the tests run as root)', async () => {
  const root = tempDir();
  chmodSync(root, 0o755);
  const file = join(root, 'Dockerfile');
  writeFileSync(file, 'FROM debian:trixie\n');
  chmodSync(file, 0o000);
  // root reads any file, so the check runs as `nobody` through setpriv (util-linux) there.
  const asRoot = process.getuid?.() === 0;
  const argv = asRoot ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, BIN, 'audit', 'Dockerfile'] : [process.execPath, BIN, 'audit', 'Dockerfile'];
  const result = spawnSync(argv[0]!, argv.slice(1), { cwd: root, env: { PATH: '/usr/bin:/bin', NO_COLOR: '1' }, encoding: 'utf8', timeout: 20_000 });
  assert.equal(result.status, 2, `${result.stdout}\n${result.stderr}`);
  assert.match(result.stderr, /audit: Dockerfile is not readable \(permission denied\)/);
});
