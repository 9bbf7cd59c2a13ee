// The real lockCommands() and lockInImageCommand() of every Python manager, run against fake tools
// on PATH that record their argv: argument arrays, pinned versions and the index URL pass-through.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { python } from '../../src/languages/python/index.ts';
import { renderProject } from '../../src/render/render.ts';
import { GATES, type Options } from '../../src/options/types.ts';
import { VERSIONS } from '../../src/versions.ts';
import { testOptions } from '../helpers/options.ts';

const INDEX = 'https://nexus.example.com/repository/pypi/simple';
const TOOLS = ['pipenv', 'poetry', 'uv', 'pip-compile', 'docker', 'python3', 'stat', 'chown'];

const root = mkdtempSync(join(tmpdir(), 'chs-lock-'));
after(() => rmSync(root, { recursive: true, force: true }));
const bin = join(root, 'bin');
const log = join(root, 'calls.jsonl');
mkdirSync(bin);
// Each fake appends {tool, args} as one JSON line: no shell quoting can hide what it received.
for (const tool of TOOLS) {
  const path = join(bin, tool);
  writeFileSync(
    path,
    `#!${process.execPath}\nrequire('node:fs').appendFileSync(${JSON.stringify(log)}, JSON.stringify({ tool: ${JSON.stringify(tool)}, args: process.argv.slice(2), index: process.env.PIP_INDEX_URL ?? null }) + '\\n');\n` +
      // The directory's owner, as `stat -c %u:%g .` prints it.
      (tool === 'stat' ? "process.stdout.write('4242:4343\\n');\n" : ''),
  );
  chmodSync(path, 0o755);
}

interface Call {
  tool: string;
  args: string[];
  index: string | null;
}

function calls(): Call[] {
  if (!existsSync(log)) return [];
  const lines = readFileSync(log, 'utf8').trim().split('\n').filter(Boolean);
  rmSync(log);
  return lines.map((line) => JSON.parse(line) as Call);
}

function options(manager: string, indexUrl: string | null): Options {
  return testOptions({ manager, indexUrl, gates: [...GATES], ci: 'none' });
}

const env = { PATH: bin, HOME: root };

for (const manager of python.managers) {
  for (const indexUrl of [INDEX, null]) {
    test(`${manager.value} (index ${indexUrl ? 'mirror' : 'public'}): lockCommands run as argument arrays`, () => {
      const opts = options(manager.value, indexUrl);
      const commands = manager.lockCommands(opts);
      assert.ok(commands.length > 0);
      for (const command of commands) {
        const result = spawnSync(command.command, command.args, { cwd: root, env: { ...env, ...command.env }, encoding: 'utf8' });
        assert.equal(result.error, undefined, `${command.command} did not start`);
        assert.equal(result.status, 0, result.stderr);
      }
      const seen = calls();
      assert.deepEqual(
        seen.map((call) => [call.tool, ...call.args]),
        commands.map((command) => [command.command, ...command.args]),
      );
      if (manager.value === 'pip-tools') {
        assert.deepEqual(seen.map((call) => call.tool), ['pip-compile', 'pip-compile']);
        assert.deepEqual(seen.map((call) => call.args.at(-1)), ['requirements.in', 'requirements-dev.in']);
        for (const call of seen) {
          assert.ok(call.args.includes('--generate-hashes'));
          const out = call.args[call.args.indexOf('--output-file') + 1];
          assert.ok(out === 'requirements.txt' || out === 'requirements-dev.txt');
          const at = call.args.indexOf('--index-url');
          assert.equal(at === -1 ? null : call.args[at + 1], indexUrl, 'index URL passed to pip-compile');
        }
      } else {
        assert.deepEqual(seen.map((call) => [call.tool, ...call.args]), [[manager.value, 'lock']]);
        // These managers read the mirror from their manifest, which the lock command runs against.
        const files = renderProject(opts);
        const manifest = manager.value === 'pipenv' ? files.get('Pipfile')! : files.get('pyproject.toml')!;
        assert.equal(manifest.includes(INDEX), indexUrl !== null, 'index URL in the manifest');
      }
    });

    test(`${manager.value} (index ${indexUrl ? 'mirror' : 'public'}): the in-image lock command, pasted into a shell`, () => {
      const opts = options(manager.value, indexUrl);
      const line = manager.lockInImageCommand(opts);
      const outer = spawnSync('/bin/sh', ['-c', line], { cwd: root, env: { ...env, PWD: root }, encoding: 'utf8' });
      assert.equal(outer.status, 0, outer.stderr);
      const [docker, ...rest] = calls();
      assert.equal(rest.length, 0);
      assert.equal(docker!.tool, 'docker');
      const index = indexUrl ? ['-e', `PIP_INDEX_URL=${indexUrl}`] : [];
      const script = docker!.args.at(-1)!;
      assert.deepEqual(docker!.args, ['run', '--rm', '-v', `${root}:/src`, '-w', '/src', ...index, opts.images.builder, 'sh', '-c', script]);

      // What runs inside the image: the pinned manager, then the lock.
      const inner = spawnSync('/bin/sh', ['-c', script], { cwd: root, env: { ...env, ...(indexUrl ? { PIP_INDEX_URL: indexUrl } : {}) }, encoding: 'utf8' });
      assert.equal(inner.status, 0, inner.stderr);
      const seen = calls();
      const pin = manager.value === 'pip-tools' ? `pip-tools==${VERSIONS['pip-tools']}` : `${manager.value}==${opts.versions[manager.value]}`;
      assert.deepEqual([seen[0]!.tool, ...seen[0]!.args], ['python3', '-m', 'pip', 'install', pin]);
      assert.equal(seen[0]!.index, indexUrl, 'pip installs the manager from the mirror');
      assert.deepEqual(
        seen.slice(1, -2).map((call) => [call.tool, ...call.args]),
        manager.lockCommands(opts).map((command) => [command.command, ...command.args]),
      );
      // Then the lock goes to the project directory's owner (the image runs as its root).
      assert.deepEqual(seen.slice(-2).map((call) => [call.tool, ...call.args]), [['stat', '-c', '%u:%g', '.'], ['chown', '4242:4343', ...manager.lockFiles]]);
    });
  }
}
