import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { parse as parseYaml } from 'yaml';
import { renderProject } from '../../src/render/render.ts';
import { python } from '../../src/languages/python/index.ts';
import { GATES, type CiKind, type Gate, type Options } from '../../src/options/types.ts';
import { VERSIONS } from '../../src/versions.ts';
import { testOptions } from '../helpers/options.ts';

const REGISTRY = 'registry.example.com/base';
const BUNDLE = 'registry.example.com/base/ca-bundle:20220405';
const INDEX = 'https://nexus.example.com/repository/pypi/simple';
const MANAGERS = ['pipenv', 'poetry', 'uv', 'pip-tools'] as const;
const GATE_SETS: Gate[][] = [[...GATES], ['typecheck', 'format', 'test'], ['lint', 'security'], ['bdd']];
const CIS: CiKind[] = ['github', 'gitlab', 'none'];

interface Case {
  manager: string;
  bundle: boolean;
  registry: boolean;
  gates: Gate[];
  ci: CiKind;
  python?: string;
}

function options(c: Case): Options {
  const registry = c.registry ? REGISTRY : null;
  const version = c.python ?? '3.13';
  return testOptions({
    directory: 'billing-api',
    manager: c.manager,
    runtimeVersion: version,
    registry,
    certBundle: c.bundle ? BUNDLE : null,
    indexUrl: c.registry ? INDEX : null,
    gates: c.gates,
    ci: c.ci,
    maintainer: c.bundle ? 'Team Foo <foo@example.com>' : null,
  });
}

function* cases(): Generator<Case> {
  for (const manager of MANAGERS)
    for (const bundle of [true, false])
      for (const registry of [true, false])
        for (const gates of GATE_SETS) for (const ci of CIS) yield { manager, bundle, registry, gates, ci };
}

const label = (c: Case) =>
  `${c.manager} bundle=${c.bundle} registry=${c.registry} gates=${c.gates.join(',')} ci=${c.ci}${c.python ? ` python=${c.python}` : ''}`;

/** The manager's manifest text: where dev dependencies and the index are declared. */
function manifest(files: Map<string, string>): string {
  return ['pyproject.toml', 'Pipfile', 'requirements.in', 'requirements-dev.in'].map((p) => files.get(p) ?? '').join('\n');
}

/** Each gate's tool names; a gate left out must leave none of them anywhere in the build. */
const GATE_TOOLS: Record<Gate, RegExp[]> = {
  typecheck: [/mypy/],
  format: [/black/],
  lint: [/ruff/],
  security: [/bandit/],
  test: [/pytest-mock/, /pytest_mock/, /assets\//],
  bdd: [/pytest-bdd/, /pytest_bdd/, /features\//, /bdd_features_base_dir/],
};

test('every manager x bundle x registry x gates x ci renders valid, hardened files', () => {
  const pythonSources = new Map<string, string>();
  let count = 0;
  for (const c of cases()) {
    const at = label(c);
    const files = renderProject(options(c));
    const dockerfile = files.get('Dockerfile');
    assert.ok(dockerfile, `${at}: Dockerfile`);
    count++;

    // Structured files parse.
    const pyproject = parseToml(files.get('pyproject.toml')!) as Record<string, unknown>;
    if (files.has('Pipfile')) parseToml(files.get('Pipfile')!);
    JSON.parse(files.get('.hardened-service.json')!);
    if (files.has('assets/test-environment.json')) JSON.parse(files.get('assets/test-environment.json')!);
    const ciPath = { github: '.github/workflows/ci.yml', gitlab: '.gitlab-ci.yml', none: null }[c.ci];
    for (const path of ['.github/workflows/ci.yml', '.gitlab-ci.yml']) assert.equal(files.has(path), path === ciPath, `${at}: ${path}`);
    if (ciPath) {
      const ci = parseYaml(files.get(ciPath)!) as Record<string, unknown>;
      const text = files.get(ciPath)!;
      assert.match(text, /--target test|target: test/, `${at}: CI builds the test target`);
      assert.match(text, /push=true/, `${at}: CI pushes on tags`);
      assert.ok(c.ci === 'github' ? 'jobs' in ci : 'stages' in ci, `${at}: CI shape`);
    }

    // Dotfiles renamed; nothing stored under a template name leaks out.
    for (const path of ['.gitignore', '.dockerignore', '.editorconfig']) assert.ok(files.has(path), `${at}: ${path}`);
    for (const path of files.keys()) {
      assert.doesNotMatch(path, /(^|\/)_[a-z]|\.ejs$/, `${at}: ${path} keeps a template name`);
    }

    // The Dockerfile's shape (D1, D2, D8, D10, D11, D12) and the chosen images.
    const froms = [...dockerfile.matchAll(/^FROM (\S+)(?: AS (\S+))?$/gm)].map((m) => [m[1], m[2]]);
    const expected = [
      ...(c.bundle ? [[BUNDLE, 'cert-bundle']] : []),
      [options(c).images.builder, 'builder'],
      ['builder', 'test'],
      [options(c).images.runtime, 'runtime'],
    ];
    assert.deepEqual(froms, expected, `${at}: stages`);
    assert.equal(dockerfile.split('\n')[0], `# syntax=${c.registry ? `${REGISTRY}/` : ''}docker/dockerfile:1`, `${at}: D1 (the mirrored frontend with a registry)`);
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    assert.match(runtime, /^COPY --from=test /m, `${at}: runtime depends on the test stage`);
    assert.match(runtime, /^USER 65532:65532$/m, `${at}: numeric non-root user`);
    assert.match(runtime, /^ENTRYPOINT \["\/usr\/bin\/python3"\]$/m);
    assert.match(runtime, /^CMD \["\/app\/main\.py"\]$/m);
    assert.doesNotMatch(runtime, /^RUN /m, `${at}: no RUN in distroless`);
    assert.doesNotMatch(runtime, /tests\/|features\/|assets\//, `${at}: D14`);
    const instructions = dockerfile.split('\n').filter((line) => !line.startsWith('#')).join('\n');
    assert.doesNotMatch(instructions, /--chown|--trusted-host|^ADD |:latest\b|<</m, `${at}: forbidden`);
    for (const target of dockerfile.matchAll(/target=(\S+?)[,\s]/g)) assert.match(target[1]!, /^\//, `${at}: absolute mount target`);
    for (const label of ['title', 'description', 'source', 'revision', 'created', 'version']) {
      assert.match(runtime, new RegExp(`org\\.opencontainers\\.image\\.${label}=`), `${at}: label ${label}`);
    }
    assert.equal(/org\.opencontainers\.image\.authors=/.test(runtime), c.bundle, `${at}: authors from maintainer`);

    // Certificates and index: trust through the CA bundle, index without credentials.
    assert.equal(dockerfile.includes('update-ca-certificates'), c.bundle, `${at}: cert trust`);
    if (c.bundle) {
      assert.match(dockerfile, /^COPY --from=cert-bundle \/certs\/ \/usr\/local\/share\/ca-certificates\/$/m);
      for (const name of ['PIP_CERT', 'REQUESTS_CA_BUNDLE', 'SSL_CERT_FILE']) assert.ok(dockerfile.includes(`${name}=`), `${at}: ${name}`);
    }
    const all = [...files.values()].join('\n');
    assert.doesNotMatch(all, /:\/\/[^/\s"']*@/, `${at}: credentials in a URL`);
    assert.doesNotMatch(dockerfile, /^(ARG|ENV) \S*(PASSWORD|TOKEN|SECRET|NETRC)/im, `${at}: secret in ARG/ENV`);
    assert.equal(all.includes(INDEX), c.registry, `${at}: index URL`);
    if (c.registry) {
      const where = { pipenv: files.get('Pipfile')!, poetry: files.get('pyproject.toml')!, uv: files.get('pyproject.toml')!, 'pip-tools': dockerfile }[c.manager]!;
      assert.ok(where.includes(INDEX), `${at}: index wired the manager's way`);
      assert.match(dockerfile, new RegExp(`PIP_INDEX_URL=${INDEX.replace(/\./g, '\\.')}`), `${at}: PIP_INDEX_URL`);
    }
    assert.match(dockerfile, /--mount=type=secret,id=netrc,target=\/root\/\.netrc,required=false/, `${at}: netrc secret`);

    // Runtime packages: the venv's site-packages minus what creating the venv added (fix 8).
    const prune = dockerfile.slice(dockerfile.indexOf('RUN cp -a /app/.venv/'), dockerfile.indexOf('### Test'));
    for (const seeded of ['/opt/packages/pip ', '/opt/packages/pip-*.dist-info', '/opt/packages/_virtualenv.*', '/opt/packages/*.virtualenv']) {
      assert.ok(prune.includes(seeded), `${at}: runtime packages keep ${seeded}`);
    }
    assert.match(prune, /compileall -q --invalidation-mode checked-hash \/opt\/packages/, `${at}: reproducible .pyc`);
    assert.match(runtime, /^COPY --from=builder \/opt\/packages\/ \/app\/packages\/$/m, `${at}: only the pruned packages ship`);
    assert.ok(files.get('README.md')!.includes(python.managers.find((m) => m.value === c.manager)!.lockInImageCommand(options(c))), `${at}: README has the in-image lock line`);

    // Gates: exactly the chosen tools, pinned; the left-out ones leave no trace.
    const deps = manifest(files);
    for (const gate of GATES) {
      for (const pattern of GATE_TOOLS[gate]) {
        if (c.gates.includes(gate)) continue;
        for (const [path, content] of files) {
          if (path === 'README.md' || path === '.hardened-service.json' || path.endsWith('ignore')) continue;
          assert.doesNotMatch(content, pattern, `${at}: gate ${gate} left out but ${pattern} in ${path}`);
        }
      }
    }
    const pytest = c.gates.includes('test') || c.gates.includes('bdd');
    assert.equal(/\bpytest\b/.test(dockerfile), pytest, `${at}: pytest in the Dockerfile`);
    assert.equal(/\bpytest\b/.test(deps), pytest, `${at}: pytest in the manifest`);
    assert.equal(files.has('tests/conftest.py'), pytest, `${at}: tests/`);
    assert.equal('tool' in pyproject && 'pytest' in (pyproject.tool as object), pytest, `${at}: [tool.pytest]`);
    for (const [tool, version] of Object.entries(VERSIONS)) {
      const pinned = new RegExp(`(^|["\\s])${tool.replace(/-/g, '[-_]')}(?:==| = "==)${version.replace(/\./g, '\\.')}("|$)`, 'm');
      if (deps.match(new RegExp(`^\\s*"?${tool}\\b`, 'm'))) assert.match(deps, pinned, `${at}: ${tool} pinned to ${version}`);
    }
    assert.doesNotMatch(deps, /^\s*"?[a-z][\w-]*"?\s*=\s*"\*"/m, `${at}: an unpinned dependency`);

    // The gate RUN: one RUN, cheapest first, ends with the marker; pytest beside the others when
    // there are others (templates/shared/dockerfile/gate-run.ejs; test/unit/gate-run.test.ts runs it).
    const marker = dockerfile.indexOf('> /app/.gates-passed');
    const gateRun = dockerfile.slice(dockerfile.lastIndexOf('\nRUN ', marker) + 1, dockerfile.indexOf('\n\n', marker));
    const commands = gateRun
      .split('\n')
      .filter((line) => !line.includes('--mount=') && !line.startsWith('#'))
      .map((line) => line.replace(/^(RUN )?\s*(&& )?/, '').replace(/ \\$/, ''))
      .filter((command) => command !== '' && command !== 'wait $tests' && command !== '|| { wait $tests; exit 1; }');
    const job = commands[0]!.endsWith(' & tests=$!;') ? commands.shift()!.replace(' & tests=$!;', '') : null;
    assert.equal(job, pytest && c.gates.some((gate) => gate !== 'test' && gate !== 'bdd') ? 'pytest' : null, `${at}: pytest in the background beside other gates`);
    if (job) commands.splice(-1, 0, job);
    const order = ['mypy', 'black', 'ruff', 'bandit', 'pytest'];
    const positions = commands.map((command) => order.indexOf(command.split(' ')[0]!));
    assert.equal(positions.pop(), -1, `${at}: the marker is written last`);
    assert.ok(!positions.includes(-1), `${at}: unexpected gate command in ${commands.join(' | ')}`);
    assert.deepEqual(positions, [...positions].sort((a, b) => a - b), `${at}: gates cheapest first`);
    assert.equal(gateRun.match(/^RUN /gm)?.length, 1, `${at}: one gate RUN`);

    for (const [path, content] of files) if (path.endsWith('.py')) pythonSources.set(`${c.manager}-${c.gates.join('_')}/${path}`, content);
  }
  assert.equal(count, MANAGERS.length * 2 * 2 * GATE_SETS.length * CIS.length);

  // Every generated .py byte-compiles (Debian's python3 when present, else the one on PATH).
  const dir = mkdtempSync(join(tmpdir(), 'chs-py-'));
  try {
    const paths = [...pythonSources].map(([path, content]) => {
      const file = join(dir, path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, content);
      return file;
    });
    const interpreter = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
    const result = spawnSync(interpreter, ['-B', '-m', 'py_compile', ...paths], { encoding: 'utf8' });
    assert.equal(result.error, undefined, `${interpreter} did not start`);
    assert.equal(result.status, 0, result.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('Python 3.11 pairs the bookworm builder with distroless debian12 and its own site-packages path', () => {
  const files = renderProject(options({ manager: 'pipenv', bundle: false, registry: false, gates: [...GATES], ci: 'none', python: '3.11' }));
  const dockerfile = files.get('Dockerfile')!;
  assert.match(dockerfile, /^FROM python:3\.11-slim-bookworm AS builder$/m);
  assert.match(dockerfile, /^FROM gcr\.io\/distroless\/python3-debian12:nonroot AS runtime$/m);
  assert.match(dockerfile, /\/app\/\.venv\/lib\/python3\.11\/site-packages /);
  assert.match(files.get('Pipfile')!, /python_version = "3\.11"/);
  // virtualenv seeds setuptools and wheel below 3.12: keep them out of the runtime packages.
  assert.match(dockerfile, /VIRTUALENV_NO_SETUPTOOLS=1/);
  const current = renderProject(options({ manager: 'pipenv', bundle: false, registry: false, gates: [...GATES], ci: 'none' }));
  assert.doesNotMatch(current.get('Dockerfile')!, /VIRTUALENV_NO_SETUPTOOLS/);
});

test('a preset version override reaches the manifest and the Dockerfile', () => {
  for (const manager of MANAGERS) {
    const opts = options({ manager, bundle: false, registry: false, gates: [...GATES], ci: 'none' });
    opts.versions = { ...opts.versions, pipenv: '2024.0.1', poetry: '2.1.2', uv: '0.5.0', black: '25.1.0' };
    const files = renderProject(opts);
    assert.match(manifest(files), /black(==| = "==)25\.1\.0/, manager);
    const installed = { pipenv: 'pipenv==2024.0.1', poetry: 'poetry==2.1.2', uv: 'uv==0.5.0', 'pip-tools': null }[manager];
    if (installed) assert.ok(files.get('Dockerfile')!.includes(`python3 -m pip install ${installed}`), manager);
  }
});

test('warnings: an overridden image must carry the same Python and Debian release', () => {
  const opts = options({ manager: 'pipenv', bundle: false, registry: false, gates: [...GATES], ci: 'none' });
  assert.deepEqual(python.warnings(opts), []);
  const warned = python.warnings({ ...opts, builderImage: 'registry.example.com/py:3.13', images: { ...opts.images, builder: 'registry.example.com/py:3.13' } });
  assert.equal(warned.length, 1);
  assert.match(warned[0]!, /Python 3\.13/);
  assert.match(warned[0]!, /same Debian release/);
  assert.match(warned[0]!, /registry\.example\.com\/py:3\.13/);
  assert.equal(python.warnings({ ...opts, runtimeImage: 'r.example.com/distroless:1' }).length, 1);
});

test('images: public distroless, or both under the registry prefix', () => {
  assert.deepEqual(python.images(null, '3.13'), {
    builder: 'python:3.13-slim-trixie',
    runtime: 'gcr.io/distroless/python3-debian13:nonroot',
  });
  assert.deepEqual(python.images('r.example.com:5000/base', '3.11'), {
    builder: 'r.example.com:5000/base/python:3.11-slim-bookworm',
    runtime: 'r.example.com:5000/base/distroless/python3-debian12:nonroot',
  });
});

test('an image pinned by digest reaches FROM unchanged, and the README says so', () => {
  const opts = options({ manager: 'uv', bundle: false, registry: true, gates: [...GATES], ci: 'none' });
  const digest = `@sha256:${'a'.repeat(64)}`;
  opts.images = { builder: opts.images.builder + digest, runtime: opts.images.runtime + digest };
  const files = renderProject(opts);
  assert.ok(files.get('Dockerfile')!.includes(`FROM ${opts.images.builder} AS builder`));
  assert.ok(files.get('Dockerfile')!.includes(`FROM ${opts.images.runtime} AS runtime`));
  assert.match(files.get('README.md')!, /pinned by tag and digest/);
  const tagged = renderProject(options({ manager: 'uv', bundle: false, registry: true, gates: [...GATES], ci: 'none' }));
  assert.match(tagged.get('README.md')!, /pinned by tag only/);
});
