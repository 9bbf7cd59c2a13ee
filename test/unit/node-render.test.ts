import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse as parseYaml } from 'yaml';
import { renderProject } from '../../src/render/render.ts';
import { node } from '../../src/languages/node/index.ts';
import type { CiKind, Gate, Options } from '../../src/options/types.ts';
import { VERSIONS } from '../../src/versions.ts';
import { testOptions } from '../helpers/options.ts';

const INDEX = 'https://nexus.example.com/repository/npm/';
const GATE_SETS: Gate[][] = [['typecheck', 'format', 'lint', 'test'], ['typecheck', 'test'], ['format', 'lint'], ['test']];
const CIS: CiKind[] = ['github', 'gitlab', 'none'];

interface Case {
  manager: string;
  bundle: boolean;
  registry: boolean;
  gates: Gate[];
  ci: CiKind;
  major: string;
}

function options(c: Case): Options {
  return testOptions({
    directory: 'billing-api',
    language: 'node',
    manager: c.manager,
    runtimeVersion: c.major,
    registry: c.registry ? 'registry.example.com/base' : null,
    certBundle: c.bundle ? 'registry.example.com/base/ca-bundle:20220405' : null,
    indexUrl: c.registry ? INDEX : null,
    gates: c.gates,
    ci: c.ci,
  });
}

function* cases(): Generator<Case> {
  for (const manager of ['npm', 'pnpm'])
    for (const bundle of [true, false])
      for (const registry of [true, false])
        for (const gates of GATE_SETS)
          for (const ci of CIS) for (const major of node.runtimeVersions.map((v) => v.value)) yield { manager, bundle, registry, gates, ci, major };
}

/** Each gate's traces; a gate left out must leave none of them in the project. */
const GATE_TRACES: Partial<Record<Gate, RegExp[]>> = {
  format: [/prettier/],
  lint: [/eslint\.config/, /"eslint"/, /eslint --/],
  test: [/node:test/, /node --test/, /npm test|pnpm test/, /"test":/],
};

interface PackageJson {
  type: string;
  engines: { node: string };
  packageManager?: string;
  scripts: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies: Record<string, string>;
}

test('every manager x bundle x registry x gates x ci x node renders a complete, pinned, hardened project', () => {
  let count = 0;
  for (const c of cases()) {
    const at = JSON.stringify(c);
    const files = renderProject(options(c));
    const pkg = JSON.parse(files.get('package.json')!) as PackageJson;
    const dockerfile = files.get('Dockerfile')!;
    // The record lists the whole versions table; every other file must be specific to the answers.
    const all = [...files].filter(([path]) => path !== '.hardened-service.json').map(([, content]) => content).join('\n');

    // No ejs left over, no runaway blank lines.
    assert.doesNotMatch(all, /<%|%>/, at);
    assert.doesNotMatch(dockerfile, /\n\n\n/, at);
    // package.json: ESM, no runtime dependencies, every dev dependency pinned exactly.
    assert.equal(pkg.type, 'module', at);
    assert.equal(pkg.dependencies, undefined, at);
    for (const [name, version] of Object.entries(pkg.devDependencies)) assert.match(version, /^\d+\.\d+\.\d+$/, `${at} ${name}`);
    assert.equal(pkg.devDependencies['@types/node']!.split('.')[0], c.major, at);
    assert.equal(pkg.devDependencies.typescript, VERSIONS.typescript, at);
    assert.equal(pkg.engines.node, `>=${c.major}`, at);
    assert.equal(pkg.packageManager, c.manager === 'pnpm' ? `pnpm@${VERSIONS.pnpm}` : undefined, at);
    // The lock and the manager's lock enforcement.
    assert.match(dockerfile, c.manager === 'pnpm' ? /COPY package\.json pnpm-lock\.yaml \.\// : /COPY package\.json package-lock\.json \.\//, at);
    assert.match(dockerfile, c.manager === 'pnpm' ? /pnpm install --frozen-lockfile --prod/ : /npm ci --omit=dev/, at);
    // The same Node.js major in builder and runtime, Debian 13 both.
    assert.match(dockerfile, new RegExp(`FROM \\S*node:${c.major}-trixie-slim AS builder`), at);
    assert.match(dockerfile, new RegExp(`FROM \\S*distroless/nodejs${c.major}-debian13:nonroot AS runtime`), at);
    // Mirror and CA: through the environment and NODE_EXTRA_CA_CERTS, never a disabled check.
    assert.equal(dockerfile.includes(`npm_config_registry=${INDEX}`), c.registry, at);
    assert.equal(dockerfile.includes(`pnpm_config_registry=${INDEX}`), c.registry && c.manager === 'pnpm', at);
    assert.equal(/NODE_EXTRA_CA_CERTS=/.test(dockerfile), c.bundle, at);
    const instructions = dockerfile.split('\n').filter((line) => !line.startsWith('#')).join('\n');
    assert.doesNotMatch(instructions, /strict-ssl|strict_ssl|NODE_TLS_REJECT_UNAUTHORIZED|_authToken/i, at);
    // Gates: each chosen one runs; one left out leaves no trace in any file.
    for (const [gate, traces] of Object.entries(GATE_TRACES) as Array<[Gate, RegExp[]]>) {
      for (const trace of traces) {
        if (!c.gates.includes(gate)) assert.doesNotMatch(all, trace, `${at}: ${gate} left a trace ${String(trace)}`);
      }
    }
    assert.equal(files.has('test/reporter.ts'), c.gates.includes('test'), at);
    assert.equal(files.has('eslint.config.js'), c.gates.includes('lint'), at);
    assert.equal(files.has('.prettierignore'), c.gates.includes('format'), at);
    assert.match(dockerfile, new RegExp(`echo "${c.gates.join(' ')}" > /app/.gates-passed`), at);
    // CI files parse as YAML.
    if (c.ci === 'github') parseYaml(files.get('.github/workflows/ci.yml')!);
    if (c.ci === 'gitlab') parseYaml(files.get('.gitlab-ci.yml')!);
    assert.equal(files.has('.github/workflows/ci.yml') || files.has('.gitlab-ci.yml'), c.ci !== 'none', at);
    // The pipelines hand the registry credentials over as the secret the Dockerfile mounts.
    const ci = files.get('.github/workflows/ci.yml') ?? files.get('.gitlab-ci.yml') ?? '';
    assert.equal(/--secret id=npmrc,src=|secret-envs: npmrc=/.test(ci), c.registry && c.ci !== 'none', at);
    assert.doesNotMatch(ci, /netrc/i, at);
    count++;
  }
  assert.equal(count, 2 * 2 * 2 * GATE_SETS.length * CIS.length * node.runtimeVersions.length);
});

test('the lock commands: npm and pnpm lock only, through the mirror when one is given', () => {
  const npm = node.managers.find((m) => m.value === 'npm')!;
  const pnpm = node.managers.find((m) => m.value === 'pnpm')!;
  const plain = options({ manager: 'npm', bundle: false, registry: false, gates: ['test'], ci: 'none', major: '24' });
  const mirror = options({ manager: 'pnpm', bundle: true, registry: true, gates: ['test'], ci: 'none', major: '24' });
  assert.deepEqual(npm.lockCommands(plain), [{ command: 'npm', args: ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund'] }]);
  assert.deepEqual(pnpm.lockCommands(mirror), [{ command: 'pnpm', args: ['install', '--lockfile-only'], env: { pnpm_config_registry: INDEX } }]);
  const inImage = pnpm.lockInImageCommand(mirror);
  assert.match(inImage, /^docker run --rm -v "\$PWD":\/src -w \/src /);
  assert.match(inImage, new RegExp(`npm install --global pnpm@${VERSIONS.pnpm.replace(/\./g, '\\.')} --registry=${INDEX}`));
  assert.match(inImage, /NODE_EXTRA_CA_CERTS=\/etc\/ssl\/certs\/org-ca\.pem/);
  assert.match(inImage, new RegExp(` -e pnpm_config_registry=${INDEX} `));
  assert.match(inImage, / registry\.example\.com\/base\/node:24-trixie-slim sh -c '/);
});

test('the service and its tests are the same files for every answer (static TypeScript)', () => {
  const seen = new Set<string>();
  for (const manager of ['npm', 'pnpm']) {
    const files = renderProject(options({ manager, bundle: false, registry: false, gates: ['typecheck', 'test'], ci: 'none', major: '24' }));
    seen.add(['src/app.ts', 'src/main.ts', 'test/app.test.ts'].map((path) => files.get(path)).join('\n'));
  }
  assert.equal(seen.size, 1);
});
