// Every generated Java (Maven) Dockerfile must pass the audit, and broken variants must fail it:
// zero errors, warnings only for D3 tag-only pins (digests need a reachable registry).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { auditDockerfile, formatFindings, type Finding } from '../../src/audit/index.ts';
import { languageById } from '../../src/languages/index.ts';
import { renderProject } from '../../src/render/render.ts';
import type { Options } from '../../src/options/types.ts';
import { crossCheck } from '../fixtures/audit/crosscheck.ts';
import { auditContextOf } from '../helpers/audit-context.ts';
import { testOptions } from '../helpers/options.ts';

const java = languageById('java')!;
const REGISTRY = 'registry.example.com/base';
const DIGEST = `sha256:${'cd'.repeat(32)}`;

interface Combination {
  bundle: boolean;
  registry: string | null;
  digests: boolean;
  version: string;
  ci: Options['ci'];
}

function options(c: Combination): Options {
  const images = java.images(c.registry, c.version);
  const pin = (image: string) => (c.digests ? `${image}@${DIGEST}` : image);
  return testOptions(
    {
      name: 'billing-api',
      language: 'java',
      manager: 'maven',
      runtimeVersion: c.version,
      registry: c.registry,
      certBundle: c.bundle ? pin(`${REGISTRY}/ca-bundle:20220405`) : null,
      indexUrl: c.registry ? 'https://nexus.example.com/repository/maven-public/' : null,
      gates: ['test'],
      ci: c.ci,
      maintainer: c.registry ? 'Team Foo <foo@example.com>' : null,
    },
    { builder: pin(images.builder), runtime: pin(images.runtime) },
  );
}

function combinations(): Combination[] {
  const all: Combination[] = [];
  for (const version of java.runtimeVersions.map((v) => v.value)) {
    for (const bundle of [true, false]) {
      for (const registry of [REGISTRY, null]) {
        for (const digests of [true, false]) all.push({ bundle, registry, digests, version, ci: bundle ? 'github' : 'gitlab' });
      }
    }
  }
  return all;
}

const label = (c: Combination) => `java${c.version} ${c.bundle ? 'bundle' : 'no-bundle'} ${c.registry ? 'registry' : 'public'} ${c.digests ? 'digests' : 'tags'}`;

test('every generated Java Dockerfile passes D1-D16 (errors none; warnings only D3 tag-only pins)', () => {
  const failures: string[] = [];
  for (const combination of combinations()) {
    const opts = options(combination);
    const files = renderProject(opts);
    const findings = auditDockerfile(files.get('Dockerfile')!, auditContextOf(files));
    const unexpected = findings.filter((f) => !(f.rule === 'D3' && f.severity === 'warning' && /tag only/.test(f.message)));
    if (unexpected.length) failures.push(`${label(combination)}\n${formatFindings(unexpected)}`);
    if (combination.digests && findings.length) failures.push(`${label(combination)} (digests)\n${formatFindings(findings)}`);
    if (!combination.digests && !findings.some((f) => f.rule === 'D3')) failures.push(`${label(combination)}: tag-only pins were not reported`);
  }
  assert.equal(failures.length, 0, failures.join('\n'));
  assert.equal(combinations().length, java.runtimeVersions.length * 8);
});

test('every generated Java Dockerfile parses the same with our parser and dockerfile-ast', () => {
  for (const combination of combinations()) {
    assert.ok(crossCheck(renderProject(options(combination)).get('Dockerfile')!, label(combination)) > 10);
  }
});

test('the language is inferred as java from the Dockerfile alone, and the audit still passes', () => {
  const files = renderProject(options({ bundle: true, registry: REGISTRY, digests: true, version: '21', ci: 'github' }));
  // No language, manager or gates: only the recorded frontend (the registry's mirror) and the bundle.
  const findings = auditDockerfile(files.get('Dockerfile')!, { certBundle: true, syntax: auditContextOf(files).syntax });
  assert.deepEqual(findings, [], formatFindings(findings));
});

// Each bad variant is the generated Dockerfile with one change; the audit must name the rule.
const BROKEN: Array<{ what: string; rule: Finding['rule']; edit: (dockerfile: string) => string }> = [
  { what: 'tests skipped in the gate RUN', rule: 'D7', edit: (d) => d.replace('mvn -B -ntp verify', 'mvn -B -ntp verify -DskipTests') },
  { what: 'test failures ignored', rule: 'D7', edit: (d) => d.replace('mvn -B -ntp verify', 'mvn -B -ntp verify -Dmaven.test.failure.ignore=true') },
  { what: 'a run with no test allowed to pass', rule: 'D7', edit: (d) => d.replace('mvn -B -ntp verify', 'mvn -B -ntp verify -DfailIfNoTests=false') },
  { what: '--fail-never', rule: 'D7', edit: (d) => d.replace('mvn -B -ntp verify', 'mvn -B -ntp --fail-never verify') },
  { what: 'gate failure ignored with ||', rule: 'D7', edit: (d) => d.replace('mvn -B -ntp verify \\\n    &&', 'mvn -B -ntp verify || true \\\n    &&') },
  { what: 'the package stage does not wait for the gates', rule: 'D8', edit: (d) => d.replace(/^COPY --from=test .*\n/m, '') },
  { what: 'root user', rule: 'D10', edit: (d) => d.replace('USER 65532:65532', 'USER 0') },
  { what: 'named user', rule: 'D10', edit: (d) => d.replace('USER 65532:65532', 'USER nonroot') },
  { what: 'jar owned by the service user', rule: 'D10', edit: (d) => d.replace('COPY --from=package', 'COPY --chown=65532:65532 --from=package') },
  { what: 'shell-form ENTRYPOINT', rule: 'D11', edit: (d) => d.replace(/^ENTRYPOINT .*$/m, 'ENTRYPOINT java -jar /app/billing-api.jar') },
  { what: 'the whole Maven build directory shipped', rule: 'D14', edit: (d) => d.replace('/app/target/billing-api.jar /app/billing-api.jar', '/app/target/ /app/') },
  { what: 'test classes shipped', rule: 'D14', edit: (d) => d.replace('COPY --from=package /app/target/billing-api.jar', 'COPY --from=test /app/target/test-classes/') },
  { what: 'runtime built on a JDK image', rule: 'D9', edit: (d) => d.replace(/^FROM \S+ AS runtime$/m, `FROM maven:3.9-amazoncorretto-21-debian-trixie@${DIGEST} AS runtime`) },
  { what: 'versions rewritten during the build', rule: 'D6', edit: (d) => d.replace('mvn -B -ntp dependency:go-offline', 'mvn -B -ntp versions:use-latest-releases dependency:go-offline') },
  { what: 'no dependency resolution before the source', rule: 'D6', edit: (d) => d.replace('mvn -B -ntp dependency:go-offline', 'mvn -B -ntp validate') },
  { what: 'a plugin goal by coordinates without a version', rule: 'D4', edit: (d) => d.replace('mvn -B -ntp dependency:go-offline', 'mvn -B -ntp org.apache.maven.plugins:maven-dependency-plugin:go-offline') },
  { what: 'the source copied before resolving', rule: 'D5', edit: (d) => d.replace('COPY pom.xml ./\n', 'COPY pom.xml ./\nCOPY src/ ./src/\n') },
  { what: 'a relative cache target', rule: 'D16', edit: (d) => d.replace('--mount=type=cache,target=/root/.m2/repository \\\n    --mount=type=secret,id=maven-settings,target=/root/.m2/settings.xml,required=false \\\n    mvn -B -ntp verify', '--mount=type=cache,target=.m2/repository \\\n    mvn -B -ntp verify') },
  { what: 'mirror credentials in an ENV', rule: 'D12', edit: (d) => d.replace('WORKDIR /app\n', 'WORKDIR /app\nENV MAVEN_MIRROR_PASSWORD=hunter2\n') },
];

test('the audit fails each broken variant of the generated Java Dockerfile, naming the rule', () => {
  const opts = options({ bundle: true, registry: REGISTRY, digests: true, version: '21', ci: 'github' });
  const files = renderProject(opts);
  const dockerfile = files.get('Dockerfile')!;
  const context = auditContextOf(files);
  assert.deepEqual(auditDockerfile(dockerfile, context), []);
  for (const broken of BROKEN) {
    const changed = broken.edit(dockerfile);
    assert.notEqual(changed, dockerfile, `${broken.what}: the edit did not apply`);
    const errors = auditDockerfile(changed, context).filter((f) => f.severity === 'error');
    assert.ok(errors.some((f) => f.rule === broken.rule), `${broken.what}: expected ${broken.rule}, got\n${formatFindings(errors)}`);
  }
});

test('a .dockerignore that lets Maven\'s target/ into the context fails D15', () => {
  const opts = options({ bundle: false, registry: null, digests: true, version: '21', ci: 'none' });
  const files = renderProject(opts);
  const ignore = files.get('.dockerignore')!;
  const without = ignore.split('\n').filter((line) => line !== '**/target/').join('\n');
  assert.notEqual(without, ignore);
  const findings = auditDockerfile(files.get('Dockerfile')!, { ...auditContextOf(files), dockerignore: without }).filter((f) => f.rule === 'D15');
  assert.equal(findings.length, 1, formatFindings(findings));
  assert.match(findings[0]!.message, /target/);
});

test('every generated java Dockerfile also passes the baseline profile', () => {
  const failures: string[] = [];
  for (const combination of combinations()) {
    const files = renderProject(options(combination));
    const findings = auditDockerfile(files.get('Dockerfile')!, { profile: 'baseline', dockerignore: files.get('.dockerignore') ?? null });
    if (findings.length) failures.push(`${label(combination)}\n${formatFindings(findings, { profile: 'baseline' })}`);
  }
  assert.deepEqual(failures, []);
});
