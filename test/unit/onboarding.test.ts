// Onboarding (issue 13): `.devcontainer/devcontainer.json` and `.pre-commit-config.yaml` for every
// language x manager x gate set. The dev container must name a real stage of the project's own
// Dockerfile and its ecosystem's install; the hooks file must pass Debian's `pre-commit
// validate-config`; and the Python and Go hooks must refuse a planted fault in a real `git commit`.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ecosystemById } from '../../src/ecosystems/index.ts';
import { DEV_TARGET, SERVICE_PORT } from '../../src/kit/onboarding.ts';
import { LANGUAGES } from '../../src/languages/index.ts';
import { renderProject } from '../../src/render/render.ts';
import type { Gate, Options } from '../../src/options/types.ts';
import { testOptions, type TestAnswers } from '../helpers/options.ts';

const root = mkdtempSync(join(tmpdir(), 'chs-onboarding-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** Gate sets that change what is written: all, each of format and lint alone, and neither. */
function gateSets(offered: readonly Gate[]): Gate[][] {
  const sets = [[...offered], ...(['format', 'lint'] as const).filter((gate) => offered.includes(gate)).map((gate) => [gate]), offered.filter((gate) => gate !== 'format' && gate !== 'lint')];
  return [...new Map(sets.filter((set) => set.length > 0).map((set) => [set.join(','), set])).values()];
}

interface Case {
  label: string;
  options: Options;
  files: Map<string, string>;
}

const CASES: Case[] = LANGUAGES.flatMap((language) =>
  language.managers.flatMap((manager) =>
    gateSets(language.gates.map((gate) => gate.value)).map((gates) => {
      const options = testOptions({ directory: 'billing-api', language: language.value, manager: manager.value, gates } as TestAnswers);
      return { label: `${language.value}/${manager.value} [${gates.join(',')}]`, options, files: renderProject(options) };
    }),
  ),
);

/** The stage names of a Dockerfile (`FROM image AS name`). */
const stages = (dockerfile: string) => [...dockerfile.matchAll(/^FROM\s+\S+\s+AS\s+(\S+)/gim)].map((match) => match[1]);

test('devcontainer.json: plain JSON on the Dockerfile\'s own builder stage, the ecosystem\'s install, the service port', () => {
  for (const { label, options, files } of CASES) {
    const text = files.get('.devcontainer/devcontainer.json');
    assert.ok(text, `${label}: no devcontainer.json`);
    const config = JSON.parse(text) as Record<string, any>;
    const dockerfile = files.get('Dockerfile')!;
    assert.deepEqual(config.build, { dockerfile: '../Dockerfile', context: '..', target: 'builder' }, label);
    assert.equal(DEV_TARGET, 'builder');
    assert.ok(stages(dockerfile).includes(config.build.target), `${label}: the Dockerfile has no stage ${config.build.target} (${stages(dockerfile).join(', ')})`);
    // The builder's WORKDIR is where the project is mounted, so its ENV (venv, tool paths) holds.
    const builder = dockerfile.slice(dockerfile.search(/^FROM\s+\S+\s+AS\s+builder/m));
    assert.match(builder, new RegExp(`^WORKDIR ${config.workspaceFolder}$`, 'm'), label);
    assert.equal(config.workspaceMount, `source=\${localWorkspaceFolder},target=${config.workspaceFolder},type=bind`, label);
    const ecosystem = ecosystemById(options.manager)!;
    assert.equal(config.postCreateCommand, ecosystem.devSetup ?? ecosystem.examples.installDev, label);
    assert.deepEqual(config.forwardPorts, [SERVICE_PORT], label);
    assert.match(dockerfile, new RegExp(`^EXPOSE ${SERVICE_PORT}$`, 'm'), `${label}: the Dockerfile exposes another port`);
    // The test stage's PATH, where it sets one, is the dev container's too.
    const testPath = /^ENV PATH=(\S+):\$PATH$/m.exec(dockerfile)?.[1];
    assert.equal(config.remoteEnv?.PATH, testPath ? `${testPath}:\${containerEnv:PATH}` : undefined, label);
    assert.ok(typeof config.remoteUser === 'string' && config.remoteUser.length > 0, label);
    // No credentials, no mounts of them, no secrets: the README says how to add the mount.
    assert.equal(config.mounts, undefined, label);
    assert.doesNotMatch(text, /password|token|\.netrc|\.npmrc|settings\.xml/i, label);
  }
});

test('devcontainer.json: the editor extensions follow the chosen gates', () => {
  const find = (language: string, manager: string, gates: Gate[]) => {
    const config = JSON.parse(renderProject(testOptions({ language, manager, gates } as TestAnswers)).get('.devcontainer/devcontainer.json')!);
    return config.customizations.vscode.extensions as string[];
  };
  assert.deepEqual(find('python', 'uv', ['typecheck', 'format', 'lint', 'test']), ['ms-python.python', 'ms-python.mypy-type-checker', 'ms-python.black-formatter', 'charliermarsh.ruff']);
  assert.deepEqual(find('python', 'poetry', ['test']), ['ms-python.python']);
  assert.deepEqual(find('node', 'npm', ['format', 'lint']), ['esbenp.prettier-vscode', 'dbaeumer.vscode-eslint']);
  assert.deepEqual(find('node', 'pnpm', ['typecheck']), []);
  assert.deepEqual(find('go', 'modules', ['test']), ['golang.go']);
  assert.deepEqual(find('java', 'maven', ['test']), ['vscjava.vscode-java-pack']);
});

test('the dev container user: the node images\' own user, root where the builder image has no other (the README says why)', () => {
  for (const { label, options, files } of CASES) {
    const config = JSON.parse(files.get('.devcontainer/devcontainer.json')!);
    const readme = files.get('README.md')!;
    if (options.language === 'node') {
      assert.equal(config.remoteUser, 'node', label);
      assert.match(readme, /runs as the image's own `node` user, not root/, label);
    } else {
      assert.equal(config.remoteUser, 'root', label);
      assert.match(readme, /The editor runs as root: the [\w ]+ images have no other user/, label);
    }
  }
});

test('pip-tools: the dev setup runs pip with the base interpreter, since the venv on PATH has no pip (and one install, from the ecosystem)', () => {
  const pip = ecosystemById('pip-tools')!;
  assert.ok(pip.devSetup);
  assert.match(pip.devSetup, /^base="\$\(python3 -c 'import sys; print\(sys\.base_prefix\)'\)\/bin\/python3" && "\$base" -m venv --without-pip \.venv && "\$base" -m pip install /);
  // The same pip arguments as the test stage's install.
  assert.ok(pip.devSetup.endsWith(pip.examples.installDev.replace(/^python3 -m pip /, '-m pip ')), pip.devSetup);
  for (const id of ['pipenv', 'poetry', 'uv', 'npm', 'pnpm', 'modules', 'maven']) assert.equal(ecosystemById(id)!.devSetup, undefined, id);
});

test('--no-devcontainer and --no-pre-commit: neither file, no .dockerignore lines, the README says so', () => {
  const files = renderProject(testOptions({ language: 'python', manager: 'pip-tools', devcontainer: false, preCommit: false }));
  assert.equal(files.has('.devcontainer/devcontainer.json'), false);
  assert.equal(files.has('.pre-commit-config.yaml'), false);
  assert.doesNotMatch(files.get('.dockerignore')!, /devcontainer|pre-commit/);
  const readme = files.get('README.md')!;
  assert.doesNotMatch(readme, /## Develop in a container/);
  assert.match(readme, /## Pre-commit hooks\n\nNone: generated with `--no-pre-commit`\./);
});

test('both files are kept out of the build context, only when written', () => {
  for (const { label, files } of CASES) {
    const ignore = files.get('.dockerignore')!.split('\n');
    assert.ok(ignore.includes('.devcontainer/'), label);
    assert.equal(ignore.includes('.pre-commit-config.yaml'), files.has('.pre-commit-config.yaml'), label);
  }
});

test('.pre-commit-config.yaml: a local hook per chosen format or lint gate (Go: go vet too), none for Java', () => {
  for (const { label, options, files } of CASES) {
    const text = files.get('.pre-commit-config.yaml');
    const expected = (
      {
        python: { format: ['black'], lint: ['ruff'] },
        node: { format: ['prettier'], lint: ['eslint'] },
        go: { typecheck: ['go-vet'], format: ['gofmt'], lint: ['staticcheck'] },
        java: {},
      } as Record<string, Partial<Record<Gate, string[]>>>
    )[options.language]!;
    const ids = options.gates.flatMap((gate) => expected[gate] ?? []);
    if (ids.length === 0) {
      assert.equal(text, undefined, `${label}: a hooks file without a hook`);
      assert.match(files.get('README.md')!, /No `\.pre-commit-config\.yaml`: /, label);
      continue;
    }
    assert.ok(text, label);
    assert.deepEqual([...text.matchAll(/^ {6}- id: (\S+)$/gm)].map((match) => match[1]), ids, label);
    assert.match(text, /^ {2}- repo: local$/m, label);
    assert.doesNotMatch(text, /language: (?!system$)/m, label);
  }
  const go = CASES.find((c) => c.options.language === 'go' && c.options.gates.includes('lint'))!;
  assert.match(go.files.get('.pre-commit-config.yaml')!, new RegExp(`entry: "go run honnef\\.co/go/tools/cmd/staticcheck@v${go.options.versions.staticcheck!.replace(/\./g, '\\.')} \\./\\.\\.\\."`));
});

// Debian's pre-commit (apt-get install pre-commit; .ci/run installs it).
const PRE_COMMIT = ['/usr/bin/pre-commit', '/usr/local/bin/pre-commit'].find((path) => existsSync(path));

test('every generated .pre-commit-config.yaml passes pre-commit validate-config', (t) => {
  if (!PRE_COMMIT) return t.skip('pre-commit is not installed (apt-get install pre-commit)');
  const configs = CASES.filter((c) => c.files.has('.pre-commit-config.yaml')).map((c, index) => {
    const file = join(root, 'validate', `${index}.yaml`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, c.files.get('.pre-commit-config.yaml')!);
    return { label: c.label, file };
  });
  assert.ok(configs.length >= 20, `only ${configs.length} configurations`);
  const result = spawnSync(PRE_COMMIT, ['validate-config', ...configs.map((c) => c.file)], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin', HOME: root } });
  assert.equal(result.status, 0, `${result.stdout}${result.stderr}\n${configs.map((c) => `${c.file}: ${c.label}`).join('\n')}`);
  // The check can fail: a hook without its entry is refused.
  const broken = join(root, 'validate', 'broken.yaml');
  writeFileSync(broken, configs[0] ? CASES.find((c) => c.label === configs[0]!.label)!.files.get('.pre-commit-config.yaml')!.replace(/^ +entry: .*\n/m, '') : '');
  assert.notEqual(spawnSync(PRE_COMMIT, ['validate-config', broken], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin', HOME: root } }).status, 0);
});

/** Write a rendered project, commit nothing yet, install the hooks; the environment keeps the user's settings out. */
function hookedProject(name: string, files: Map<string, string>, env: NodeJS.ProcessEnv) {
  const dir = join(root, name);
  for (const [path, content] of files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  const run = (command: string, args: string[]) => {
    const result = spawnSync(command, args, { cwd: dir, env, encoding: 'utf8', timeout: 180_000 });
    if (result.error) throw result.error;
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  };
  for (const args of [['init', '-q', '-b', 'main'], ['config', 'user.email', 'dev@example.com'], ['config', 'user.name', 'Dev']]) assert.equal(run('git', args).status, 0);
  const install = run(PRE_COMMIT!, ['install']);
  assert.equal(install.status, 0, install.output);
  const commit = (message: string) => {
    assert.equal(run('git', ['add', '-A']).status, 0);
    return run('git', ['commit', '-q', '-m', message]);
  };
  return { dir, run, commit };
}

const hostEnv = (home: string, path: string): NodeJS.ProcessEnv => ({ PATH: path, HOME: home, LANG: 'C.UTF-8', PRE_COMMIT_HOME: join(home, 'pre-commit'), GIT_CONFIG_NOSYSTEM: '1' });

test('Python: the hooks run black in a real git commit, which passes as generated and refuses a badly formatted file', (t) => {
  if (!PRE_COMMIT) return t.skip('pre-commit is not installed (apt-get install pre-commit)');
  if (!existsSync('/usr/bin/black')) return t.skip('/usr/bin/black is not installed (apt-get install black)');
  // Debian's ruff, where there is one, takes the lint gate too.
  const gates: Gate[] = existsSync('/usr/bin/ruff') ? ['format', 'lint', 'test'] : ['format', 'test'];
  const files = renderProject(testOptions({ directory: 'billing-api', language: 'python', manager: 'pip-tools', gates }));
  const home = join(root, 'python-home');
  const project = hookedProject('python', files, hostEnv(home, '/usr/bin:/bin'));
  const first = project.commit('generated');
  assert.equal(first.status, 0, first.output);
  assert.match(first.output, /black \(format gate\)\.+Passed/);
  writeFileSync(join(project.dir, 'src', 'badly_formatted.py'), 'x = {  "a":1 }\n');
  const second = project.commit('a planted fault');
  assert.notEqual(second.status, 0, second.output);
  assert.match(second.output, /black \(format gate\)\.+Failed[\s\S]*would reformat/);
  assert.equal(project.run('git', ['rev-list', '--count', 'HEAD']).output.trim(), '1', 'the faulty commit was made');
});

test('Go: the hooks run go vet and gofmt in a real git commit, which passes as generated and refuses each planted fault', (t) => {
  if (!PRE_COMMIT) return t.skip('pre-commit is not installed (apt-get install pre-commit)');
  const go = ['/usr/bin/go', '/usr/lib/go/bin/go'].find((path) => existsSync(path));
  if (!go) return t.skip('go is not installed (apt-get install golang-go)');
  // Go 1.21+ refuses a go directive newer than itself: pin the host's, as a team preset would.
  const minor = Number(/go1\.(\d+)/.exec(spawnSync(go, ['env', 'GOVERSION'], { encoding: 'utf8' }).stdout)?.[1] ?? 0);
  const options = testOptions({ directory: 'billing-api', language: 'go', manager: 'modules', gates: ['typecheck', 'format', 'test'] });
  const files = renderProject({ ...options, versions: { ...options.versions, ...(minor >= 21 ? { go: `1.${minor}` } : {}) } });
  const home = join(root, 'go-home');
  // The host's build cache (content-addressed, so sharing it changes no result) spares compiling the standard library again.
  const cache = spawnSync(go, ['env', 'GOCACHE'], { encoding: 'utf8' }).stdout.trim() || join(home, 'cache');
  const env = { ...hostEnv(home, `${dirname(go)}:/usr/bin:/bin`), GOPATH: join(home, 'gopath'), GOCACHE: cache, GOTOOLCHAIN: 'local', GOPROXY: 'off', GOFLAGS: '-mod=readonly' };
  const project = hookedProject('go', files, env);
  const first = project.commit('generated');
  assert.equal(first.status, 0, first.output);
  assert.match(first.output, /gofmt \(format gate\)\.+Passed/);

  const unformatted = join(project.dir, 'internal', 'server', 'planted.go');
  writeFileSync(unformatted, 'package server\n\nfunc planted( ) int {return 1}\n');
  const second = project.commit('unformatted');
  assert.notEqual(second.status, 0, second.output);
  assert.match(second.output, /gofmt \(format gate\)\.+Failed[\s\S]*planted\.go/);

  writeFileSync(unformatted, 'package server\n\nimport "fmt"\n\nfunc planted() string {\n\treturn fmt.Sprintf("%d")\n}\n');
  const third = project.commit('a vet fault');
  assert.notEqual(third.status, 0, third.output);
  assert.match(third.output, /go vet \(typecheck gate\)\.+Failed/);
  assert.equal(project.run('git', ['rev-list', '--count', 'HEAD']).output.trim(), '1', 'a faulty commit was made');
});
