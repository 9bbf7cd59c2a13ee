// The generated project, as it stands, through the host's own (Debian) gate tools: the same files
// must satisfy old tool versions (bookworm: black 23, mypy 1.0, bandit 1.6, pytest 7, pytest-bdd 5)
// and the pinned current ones the Dockerfile installs. Each tool is skipped only when missing.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { renderProject } from '../../src/render/render.ts';
import { GATES, type Options } from '../../src/options/types.ts';
import { testOptions } from '../helpers/options.ts';

const options: Options = testOptions({ directory: 'billing-api', manager: 'pipenv', gates: [...GATES] });

const project = mkdtempSync(join(tmpdir(), 'chs-gates-'));
for (const [path, content] of renderProject(options)) {
  mkdirSync(dirname(join(project, path)), { recursive: true });
  writeFileSync(join(project, path), content);
}
after(() => rmSync(project, { recursive: true, force: true }));

// The tools must not pick up the developer's environment (a PYTHONPATH, a user config).
const env = { PATH: '/usr/bin:/bin', HOME: project, LANG: 'C.UTF-8', PYTHONDONTWRITEBYTECODE: '1' };

function run(command: string, args: string[]): { status: number | null; output: string } {
  const result = spawnSync(command, args, { cwd: project, env, encoding: 'utf8', timeout: 120_000 });
  if (result.error) throw result.error;
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function version(command: string, args: string[]): string {
  return run(command, args).output.trim().split('\n')[0] ?? '?';
}

/** Debian's python3 must import a module for the pytest checks. */
function importable(module: string): boolean {
  return existsSync('/usr/bin/python3') && run('/usr/bin/python3', ['-c', `import ${module}`]).status === 0;
}

test('format: black --check passes untouched', (t) => {
  if (!existsSync('/usr/bin/black')) return t.skip('/usr/bin/black not installed');
  t.diagnostic(version('/usr/bin/black', ['--version']));
  const result = run('/usr/bin/black', ['--check', '.']);
  assert.equal(result.status, 0, result.output);
});

test('typecheck: mypy (strict settings from pyproject.toml) passes', (t) => {
  if (!existsSync('/usr/bin/mypy')) return t.skip('/usr/bin/mypy not installed');
  t.diagnostic(version('/usr/bin/mypy', ['--version']));
  const result = run('/usr/bin/mypy', []);
  assert.equal(result.status, 0, result.output);
  assert.match(result.output, /Success: no issues found in \d+ source files/);
});

test('security: bandit over the whole source tree finds nothing', (t) => {
  if (!existsSync('/usr/bin/bandit')) return t.skip('/usr/bin/bandit not installed');
  const seen = version('/usr/bin/bandit', ['--version']);
  t.diagnostic(seen);
  // bandit reads pyproject.toml from 1.7 on; Debian bookworm ships 1.6.2, which reads YAML only.
  const [major = 0, minor = 0] = (/bandit (\d+)\.(\d+)/.exec(seen) ?? []).slice(1).map(Number);
  const config = major > 1 || (major === 1 && minor >= 7) ? ['-c', 'pyproject.toml'] : [];
  if (config.length === 0) t.diagnostic('bandit < 1.7: ran without -c pyproject.toml');
  const result = run('/usr/bin/bandit', [...config, '-r', 'src']);
  assert.equal(result.status, 0, result.output);
  assert.match(result.output, /No issues identified/);
});

test('test + bdd: pytest runs the unit tests and the BDD scenario, all passing', (t) => {
  if (!importable('pytest')) return t.skip('python3-pytest not installed');
  if (!importable('pytest_bdd')) return t.skip('python3-pytest-bdd not installed');
  if (!importable('pytest_mock')) return t.skip('python3-pytest-mock not installed');
  t.diagnostic(version('/usr/bin/python3', ['-m', 'pytest', '--version']));
  t.diagnostic(`pytest-bdd ${version('/usr/bin/python3', ['-c', 'import importlib.metadata as m; print(m.version("pytest-bdd"))'])}`);
  const result = run('/usr/bin/python3', ['-m', 'pytest', '-v', '-p', 'no:cacheprovider']);
  assert.equal(result.status, 0, result.output);
  const passed = Number(/(\d+) passed/.exec(result.output)?.[1] ?? 0);
  assert.ok(passed > 0, `no test ran:\n${result.output}`);
  assert.match(result.output, /test_a_client_asks_the_running_service_for_its_health PASSED/, 'the BDD scenario ran');
  assert.match(result.output, /test_sigterm_stops_the_server PASSED/);
  assert.doesNotMatch(result.output, /\d+ (failed|error)/);
});

test('test: pytest fails (exit 5) when no test is collected, so an empty run cannot pass', (t) => {
  if (!importable('pytest')) return t.skip('python3-pytest not installed');
  const result = run('/usr/bin/python3', ['-m', 'pytest', '-p', 'no:cacheprovider', '-k', 'no_such_test_name']);
  assert.equal(result.status, 5, result.output);
});

test('lint: ruff check passes (only where a ruff is on PATH)', (t) => {
  const ruff = ['/usr/local/bin/ruff', '/usr/bin/ruff'].find((path) => existsSync(path));
  if (!ruff) return t.skip('ruff not installed (not in Debian): lint not verified on this host');
  t.diagnostic(version(ruff, ['--version']));
  const result = run(ruff, ['check', '--no-cache', '.']);
  assert.equal(result.status, 0, result.output);
});
