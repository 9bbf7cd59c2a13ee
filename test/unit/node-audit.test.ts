// Every generated Node.js Dockerfile, in every combination, must pass the audit (zero errors,
// warnings only for D3 tag-only pins), and the audit must catch each way it could be broken.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { auditDockerfile, formatFindings, type RuleId } from '../../src/audit/index.ts';
import { languageById } from '../../src/languages/index.ts';
import { renderProject } from '../../src/render/render.ts';
import type { Gate, Options } from '../../src/options/types.ts';
import { crossCheck } from '../fixtures/audit/crosscheck.ts';
import { auditContextOf } from '../helpers/audit-context.ts';
import { testOptions } from '../helpers/options.ts';

const node = languageById('node')!;
const REGISTRY = 'registry.example.com/base';
const DIGEST = `sha256:${'cd'.repeat(32)}`;
const GATE_SETS: Gate[][] = [['typecheck', 'format', 'lint', 'test'], ['typecheck', 'test'], ['format', 'lint'], ['test']];

interface Combination {
  manager: string;
  bundle: boolean;
  registry: string | null;
  gates: Gate[];
  digests: boolean;
  major: string;
}

function options(c: Combination): Options {
  const images = node.images(c.registry, c.major);
  const pin = (image: string) => (c.digests ? `${image}@${DIGEST}` : image);
  return testOptions(
    {
      name: 'billing-api',
      language: 'node',
      manager: c.manager,
      runtimeVersion: c.major,
      registry: c.registry,
      certBundle: c.bundle ? pin(`${REGISTRY}/ca-bundle:20220405`) : null,
      indexUrl: c.registry ? 'https://nexus.example.com/repository/npm/' : null,
      gates: c.gates,
      ci: 'github',
      maintainer: c.registry ? 'Team Foo <foo@example.com>' : null,
    },
    { builder: pin(images.builder), runtime: pin(images.runtime) },
  );
}

function combinations(): Combination[] {
  const all: Combination[] = [];
  for (const manager of node.managers.map((m) => m.value))
    for (const bundle of [true, false])
      for (const registry of [REGISTRY, null])
        for (const gates of GATE_SETS)
          for (const digests of [true, false]) all.push({ manager, bundle, registry, gates, digests, major: '24' });
  for (const { value: major } of node.runtimeVersions.slice(1)) {
    for (const manager of node.managers.map((m) => m.value)) all.push({ manager, bundle: true, registry: null, gates: GATE_SETS[0]!, digests: true, major });
  }
  return all;
}

const label = (c: Combination) =>
  `${c.manager} ${c.bundle ? 'bundle' : 'no-bundle'} ${c.registry ? 'registry' : 'public'} gates=${c.gates.join(',')} ${c.digests ? 'digests' : 'tags'} node${c.major}`;

test('every generated Node.js Dockerfile passes D1-D16 (errors none; warnings only D3 tag-only pins)', () => {
  const failures: string[] = [];
  const all = combinations();
  for (const combination of all) {
    const opts = options(combination);
    const files = renderProject(opts);
    const findings = auditDockerfile(files.get('Dockerfile')!, auditContextOf(files));
    const unexpected = findings.filter((f) => !(f.rule === 'D3' && f.severity === 'warning' && /tag only/.test(f.message)));
    if (unexpected.length) failures.push(`${label(combination)}\n${formatFindings(unexpected)}`);
    if (combination.digests && findings.length) failures.push(`${label(combination)} (digests)\n${formatFindings(findings)}`);
    if (!combination.digests && !findings.some((f) => f.rule === 'D3')) failures.push(`${label(combination)}: tag-only pins were not reported`);
  }
  assert.equal(failures.length, 0, failures.join('\n'));
  assert.equal(all.length, node.managers.length * (2 * 2 * GATE_SETS.length * 2 + node.runtimeVersions.length - 1));
});

test('every generated Node.js Dockerfile parses the same with our parser and dockerfile-ast', () => {
  for (const combination of combinations()) {
    assert.ok(crossCheck(renderProject(options(combination)).get('Dockerfile')!, label(combination)) > 10);
  }
});

/** One generated Dockerfile with a single edit, and the rules the audit must then report. */
interface Variant {
  name: string;
  manager: 'npm' | 'pnpm';
  edit: (dockerfile: string) => string;
  rules: RuleId[];
}

const replace = (from: string | RegExp, to: string) => (dockerfile: string) => {
  const edited = dockerfile.replace(from, to);
  assert.notEqual(edited, dockerfile, `the template has ${String(from)}`);
  return edited;
};

const VARIANTS: Variant[] = [
  {
    name: 'the runtime no longer depends on the test stage (no marker, JavaScript from the builder)',
    manager: 'npm',
    edit: (d) => replace(/^COPY --from=test \/app\/\.gates-passed .*\n/m, '')(replace('COPY --from=test /app/build/src/ /app/dist/', 'COPY --from=builder /app/build/src/ /app/dist/')(d)),
    rules: ['D8'],
  },
  { name: 'npm install instead of npm ci', manager: 'npm', edit: replace('npm ci --omit=dev', 'npm install --omit=dev'), rules: ['D6'] },
  { name: 'pnpm install without --frozen-lockfile', manager: 'pnpm', edit: replace('pnpm install --frozen-lockfile --prod', 'pnpm install --prod'), rules: ['D6'] },
  { name: 'the builder installs dev dependencies, and the runtime copies them', manager: 'npm', edit: replace('npm ci --omit=dev', 'npm ci'), rules: ['D14'] },
  { name: 'pnpm builder without --prod', manager: 'pnpm', edit: replace('pnpm install --frozen-lockfile --prod', 'pnpm install --frozen-lockfile'), rules: ['D14'] },
  {
    name: 'the runtime copies node_modules from the test stage',
    manager: 'npm',
    edit: replace('COPY --from=builder /opt/node_modules/ /app/node_modules/', 'COPY --from=test /app/node_modules/ /app/node_modules/'),
    rules: ['D14'],
  },
  { name: 'the runtime copies the test stage whole', manager: 'pnpm', edit: replace('COPY --from=test /app/build/src/ /app/dist/', 'COPY --from=test /app/ /app/'), rules: ['D14'] },
  { name: 'an unpinned pnpm', manager: 'pnpm', edit: replace('pnpm@12.4.2', 'pnpm'), rules: ['D4'] },
  { name: 'TLS verification off for node', manager: 'npm', edit: replace('ENV npm_config_update_notifier=false', 'ENV NODE_TLS_REJECT_UNAUTHORIZED=0 npm_config_update_notifier=false'), rules: ['D12'] },
  { name: 'strict-ssl off for npm', manager: 'npm', edit: replace('ENV npm_config_update_notifier=false', 'ENV npm_config_strict_ssl=false npm_config_update_notifier=false'), rules: ['D12'] },
  { name: 'strict-ssl off on the command line', manager: 'npm', edit: replace('npm ci --omit=dev', 'npm ci --omit=dev --strict-ssl=false'), rules: ['D12'] },
  { name: 'a registry token as a build argument', manager: 'npm', edit: replace('WORKDIR /app\n', 'WORKDIR /app\nARG NPM_TOKEN\n'), rules: ['D12'] },
  { name: 'a relative cache target', manager: 'npm', edit: replace('target=/root/.npm', 'target=.npm'), rules: ['D16'] },
  {
    name: 'the tests run before the lint',
    manager: 'npm',
    edit: (d) => replace(/ {4}&& eslint (.*) \\\n {4}&& wait \$tests \\\n/, '    && wait $tests \\\n    && eslint $1 \\\n')(d),
    rules: ['D7'],
  },
  { name: 'the source before the lock', manager: 'pnpm', edit: replace('COPY package.json pnpm-lock.yaml ./', 'COPY src/ ./src/\nCOPY package.json pnpm-lock.yaml ./'), rules: ['D5'] },
  { name: 'a root runtime user', manager: 'npm', edit: replace('USER 65532:65532', 'USER 0'), rules: ['D10'] },
];

for (const variant of VARIANTS) {
  test(`the audit fails a Node.js Dockerfile where ${variant.name}`, () => {
    const opts = options({ manager: variant.manager, bundle: true, registry: REGISTRY, gates: GATE_SETS[0]!, digests: true, major: '24' });
    const files = renderProject(opts);
    const dockerfile = files.get('Dockerfile')!;
    assert.deepEqual(auditDockerfile(dockerfile, auditContextOf(files)), [], 'the generated file itself is clean');
    const rules = [...new Set(auditDockerfile(variant.edit(dockerfile), auditContextOf(files)).filter((f) => f.severity === 'error').map((f) => f.rule))];
    assert.deepEqual(rules, variant.rules);
  });
}

test('the Node.js .dockerignore keeps node_modules, build output and .npmrc out (D15)', () => {
  const files = renderProject(options({ manager: 'npm', bundle: false, registry: null, gates: GATE_SETS[0]!, digests: true, major: '24' }));
  const ignore = files.get('.dockerignore')!;
  assert.deepEqual(auditDockerfile(files.get('Dockerfile')!, { language: 'node', dockerignore: ignore }).filter((f) => f.rule === 'D15'), []);
  assert.match(ignore, /^\*\*\/\.npmrc$/m);
  const without = ignore.replace(/^\*\*\/node_modules\/$/m, '');
  assert.match(formatFindings(auditDockerfile(files.get('Dockerfile')!, { language: 'node', dockerignore: without })), /D15 .*node_modules/);
});

test('every generated node Dockerfile also passes the baseline profile', () => {
  const failures: string[] = [];
  for (const combination of combinations()) {
    const files = renderProject(options(combination));
    const findings = auditDockerfile(files.get('Dockerfile')!, { profile: 'baseline', dockerignore: files.get('.dockerignore') ?? null });
    if (findings.length) failures.push(`${label(combination)}\n${formatFindings(findings, { profile: 'baseline' })}`);
  }
  assert.deepEqual(failures, []);
});
