// Every generated Dockerfile, in every combination, must pass the audit: zero errors, and
// warnings only for D3 tag-only pins (digests need a reachable registry).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { auditDockerfile, auditProject, formatFindings } from '../../src/audit/index.ts';
import { languageById } from '../../src/languages/index.ts';
import { renderProject } from '../../src/render/render.ts';
import { GATES, type Gate, type Options } from '../../src/options/types.ts';
import { crossCheck } from '../fixtures/audit/crosscheck.ts';
import { auditContextOf } from '../helpers/audit-context.ts';
import { testOptions } from '../helpers/options.ts';

const python = languageById('python')!;
const REGISTRY = 'registry.example.com/base';
const DIGEST = `sha256:${'ab'.repeat(32)}`;
const GATE_SETS: Gate[][] = [[...GATES], ['typecheck', 'format', 'test'], ['lint', 'bdd'], ['security']];

interface Combination {
  manager: string;
  bundle: boolean;
  registry: string | null;
  gates: Gate[];
  digests: boolean;
  python: string;
}

function options(c: Combination): Options {
  const images = python.images(c.registry, c.python);
  const pin = (image: string) => (c.digests ? `${image}@${DIGEST}` : image);
  return testOptions(
    {
      name: 'billing-api',
      manager: c.manager,
      runtimeVersion: c.python,
      registry: c.registry,
      certBundle: c.bundle ? pin(`${c.registry ?? 'registry.example.com/base'}/ca-bundle:20220405`) : null,
      indexUrl: c.registry ? 'https://nexus.example.com/repository/pypi/simple' : null,
      gates: c.gates,
      ci: 'github',
      maintainer: c.registry ? 'Team Foo <foo@example.com>' : null,
    },
    { builder: pin(images.builder), runtime: pin(images.runtime) },
  );
}

function combinations(): Combination[] {
  const all: Combination[] = [];
  for (const manager of python.managers.map((m) => m.value)) {
    for (const bundle of [true, false]) {
      for (const registry of [REGISTRY, null]) {
        for (const gates of GATE_SETS) {
          for (const digests of [true, false]) all.push({ manager, bundle, registry, gates, digests, python: '3.13' });
        }
      }
    }
    all.push({ manager, bundle: false, registry: null, gates: [...GATES], digests: true, python: '3.11' });
  }
  return all;
}

const label = (c: Combination) =>
  `${c.manager} ${c.bundle ? 'bundle' : 'no-bundle'} ${c.registry ? 'registry' : 'public'} gates=${c.gates.join(',')} ${c.digests ? 'digests' : 'tags'} py${c.python}`;

test('every generated Dockerfile passes D1-D16 (errors none; warnings only D3 tag-only pins)', () => {
  const failures: string[] = [];
  let audited = 0;
  for (const combination of combinations()) {
    const opts = options(combination);
    const files = renderProject(opts);
    const dockerfile = files.get('Dockerfile');
    assert.ok(dockerfile, `${label(combination)}: no Dockerfile rendered`);
    const findings = auditDockerfile(dockerfile, auditContextOf(files));
    const unexpected = findings.filter((f) => !(f.rule === 'D3' && f.severity === 'warning' && /tag only/.test(f.message)));
    if (unexpected.length) failures.push(`${label(combination)}\n${formatFindings(unexpected)}`);
    // With digests there is nothing to warn about at all.
    if (combination.digests && findings.length) failures.push(`${label(combination)} (digests)\n${formatFindings(findings)}`);
    // Tag-only images must be reported, one warning per pulled image.
    if (!combination.digests && !findings.some((f) => f.rule === 'D3')) failures.push(`${label(combination)}: tag-only pins were not reported`);
    audited++;
  }
  assert.equal(failures.length, 0, failures.join('\n'));
  assert.equal(audited, python.managers.length * (2 * 2 * GATE_SETS.length * 2 + 1));
});

test('every generated .dockerignore keeps .git, .env, .venv and caches out, at any depth (D15)', () => {
  const failures = new Set<string>();
  for (const combination of combinations()) {
    const files = renderProject(options(combination));
    const findings = auditDockerfile(files.get('Dockerfile')!, { dockerignore: files.get('.dockerignore') ?? null, language: 'python' }).filter((f) => f.rule === 'D15');
    for (const f of findings) failures.add(f.message);
  }
  assert.deepEqual([...failures], []);
});

test('every generated Dockerfile parses the same with our parser and dockerfile-ast', () => {
  for (const combination of combinations()) {
    const dockerfile = renderProject(options(combination)).get('Dockerfile')!;
    assert.ok(crossCheck(dockerfile, label(combination)) > 10);
  }
});

test('the audit notices when a generated Dockerfile is broken (the template check can fail)', () => {
  const opts = options({ manager: 'pipenv', bundle: true, registry: REGISTRY, gates: [...GATES], digests: true, python: '3.13' });
  const files = renderProject(opts);
  const dockerfile = files.get('Dockerfile')!;
  const context = auditContextOf(files);
  assert.deepEqual(auditDockerfile(dockerfile, context), []);
  // Drop the runtime stage's dependency on the test stage: D8 must fire.
  const skippable = dockerfile
    .split('\n')
    .filter((line) => !/^COPY --from=test /.test(line))
    .join('\n');
  assert.notEqual(skippable, dockerfile, 'the template has a COPY --from=test line');
  assert.deepEqual(
    auditDockerfile(skippable, context).map((f) => f.rule),
    ['D8'],
  );
});

test('auditProject on a generated project on disk takes its context from .hardened-service.json', () => {
  const dir = mkdtempSync(join(tmpdir(), 'audit-project-'));
  try {
    for (const manager of python.managers.map((m) => m.value)) {
      const root = join(dir, manager);
      const files = renderProject(options({ manager, bundle: true, registry: REGISTRY, gates: ['typecheck', 'test'], digests: true, python: '3.13' }));
      for (const [path, content] of files) {
        mkdirSync(dirname(join(root, path)), { recursive: true });
        writeFileSync(join(root, path), content);
      }
      const { findings } = auditProject(root);
      assert.deepEqual(findings, [], `${manager}\n${formatFindings(findings)}`);
      // The record is what makes D2 require the cert-bundle stage and D7 the chosen gates.
      const withoutBundle = files.get('Dockerfile')!.replace(/^FROM .* AS cert-bundle$/m, '');
      writeFileSync(join(root, 'Dockerfile'), withoutBundle);
      assert.ok(auditProject(root).findings.some((f) => f.rule === 'D2' && /cert-bundle/.test(f.message)), manager);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('every generated Dockerfile also passes the baseline profile (what any team would run on it)', () => {
  const failures: string[] = [];
  for (const combination of combinations()) {
    const files = renderProject(options(combination));
    const findings = auditDockerfile(files.get('Dockerfile')!, { profile: 'baseline', dockerignore: files.get('.dockerignore') ?? null });
    if (findings.length) failures.push(`${label(combination)}\n${formatFindings(findings, { profile: 'baseline' })}`);
  }
  assert.deepEqual(failures, []);
});
