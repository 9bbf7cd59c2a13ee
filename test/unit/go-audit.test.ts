// Every generated Go Dockerfile, in every combination of gates x CA bundle x registry x module
// proxy (and digests or tags), must pass the audit with zero errors; broken variants must fail it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { auditDockerfile, formatFindings, type AuditContext } from '../../src/audit/index.ts';
import { go } from '../../src/languages/go/index.ts';
import { goGateSteps, GO_GATES } from '../../src/languages/go/gates.ts';
import { renderProject } from '../../src/render/render.ts';
import type { Gate, Options } from '../../src/options/types.ts';
import { crossCheck } from '../fixtures/audit/crosscheck.ts';
import { auditContextOf } from '../helpers/audit-context.ts';
import { goOptions } from './go-options.ts';

const REGISTRY = 'registry.example.com/base';
/** The format gate's command as the Dockerfile runs it. */
const GOFMT_GATE = goGateSteps(['format'], '')[0]!.command;
const DIGEST = `sha256:${'ab'.repeat(32)}`;
// Every non-empty subset of the gates Go offers (31), each in the offered order.
const GATE_SETS: Gate[][] = Array.from({ length: 2 ** GO_GATES.length - 1 }, (_, i) => GO_GATES.filter((_, bit) => ((i + 1) >> bit) & 1));

interface Combination {
  gates: Gate[];
  bundle: boolean;
  registry: string | null;
  mirror: boolean;
  digests: boolean;
  version: string;
}

function options(c: Combination): Options {
  const images = go.images(c.registry, c.version);
  const pin = (image: string) => (c.digests ? `${image}@${DIGEST}` : image);
  return goOptions(
    {
      name: 'billing-api',
      registry: c.registry,
      certBundle: c.bundle ? pin(`${c.registry ?? REGISTRY}/ca-bundle:20220405`) : null,
      indexUrl: c.mirror ? 'https://nexus.example.com/repository/go-proxy/' : null,
      gates: c.gates,
      ci: 'github',
      maintainer: c.registry ? 'Team Foo <foo@example.com>' : null,
    },
    c.version,
    { builder: pin(images.builder), runtime: pin(images.runtime) },
  );
}

function* combinations(): Generator<Combination> {
  for (const gates of GATE_SETS)
    for (const bundle of [true, false])
      for (const registry of [REGISTRY, null])
        for (const mirror of [true, false])
          for (const digests of [true, false]) yield { gates, bundle, registry, mirror, digests, version: '1.27' };
  for (const version of go.runtimeVersions.map((v) => v.value)) yield { gates: [...GO_GATES], bundle: true, registry: REGISTRY, mirror: true, digests: true, version };
}

const label = (c: Combination) =>
  `go${c.version} gates=${c.gates.join(',')} ${c.bundle ? 'bundle' : 'no-bundle'} ${c.registry ? 'registry' : 'public'} ${c.mirror ? 'mirror' : 'no-mirror'} ${c.digests ? 'digests' : 'tags'}`;

test('every generated Go Dockerfile passes D1-D16 (no errors; warnings only for tag-only pins)', () => {
  const failures: string[] = [];
  let audited = 0;
  for (const combination of combinations()) {
    const opts = options(combination);
    const files = renderProject(opts);
    const findings = auditDockerfile(files.get('Dockerfile')!, auditContextOf(files));
    const unexpected = findings.filter((f) => !(f.rule === 'D3' && f.severity === 'warning' && /tag only/.test(f.message)));
    if (unexpected.length) failures.push(`${label(combination)}\n${formatFindings(unexpected)}`);
    if (combination.digests && findings.length) failures.push(`${label(combination)} (digests)\n${formatFindings(findings)}`);
    if (!combination.digests && !findings.some((f) => f.rule === 'D3')) failures.push(`${label(combination)}: tag-only pins were not reported`);
    audited++;
  }
  assert.equal(failures.length, 0, failures.join('\n'));
  assert.equal(audited, GATE_SETS.length * 16 + go.runtimeVersions.length);
});

test('every generated Go Dockerfile parses the same with our parser and dockerfile-ast', () => {
  for (const combination of combinations()) {
    const dockerfile = renderProject(options(combination)).get('Dockerfile')!;
    assert.ok(crossCheck(dockerfile, label(combination)) > 10);
  }
});

/** The fully gated Dockerfile with a CA bundle and a mirror, pinned by digest: zero findings. */
function reference(): { dockerfile: string; ctx: AuditContext } {
  const opts = options({ gates: [...GO_GATES], bundle: true, registry: REGISTRY, mirror: true, digests: true, version: '1.27' });
  const files = renderProject(opts);
  const ctx = auditContextOf(files);
  const dockerfile = files.get('Dockerfile')!;
  assert.deepEqual(auditDockerfile(dockerfile, ctx), []);
  return { dockerfile, ctx };
}

/** Edit a Dockerfile and return the rules (errors only) the audit then reports. */
function errorsAfter(edit: (dockerfile: string) => string): string[] {
  const { dockerfile, ctx } = reference();
  const broken = edit(dockerfile);
  assert.notEqual(broken, dockerfile, 'the edit changed nothing');
  return [...new Set(auditDockerfile(broken, ctx).filter((f) => f.severity === 'error').map((f) => f.rule))];
}

const dropLine = (pattern: RegExp) => (text: string) => text.split('\n').filter((line) => !pattern.test(line)).join('\n');

const BROKEN: Array<[string, (dockerfile: string) => string, string[]]> = [
  // Neither the build stage nor the runtime depends on the test stage any more: gates skippable.
  ['gates skippable (no COPY --from=test)', dropLine(/^COPY --from=test /), ['D8']],
  ['gofmt -l without failing on its output', (t) => t.replace(GOFMT_GATE, 'gofmt -l .'), ['D7']],
  ['gofmt listing captured but not tested', (t) => t.replace(GOFMT_GATE, 'gofmt -l . 2>&1'), ['D7']],
  ['runs as root', (t) => t.replace('USER 65532:65532', 'USER 0:0'), ['D10']],
  ['named user', (t) => t.replace('USER 65532:65532', 'USER nonroot'), ['D10']],
  ['gofmt gate left out', (t) => t.replace(`    && ${GOFMT_GATE} \\\n`, ''), ['D7']],
  ['go mod verify left out', (t) => t.replace('go mod download && go mod verify', 'go mod download'), ['D6']],
  ['go.sum rewritten during the build', (t) => t.replace('GOFLAGS="-mod=readonly -trimpath"', 'GOFLAGS="-mod=mod -trimpath"'), ['D6']],
  ['go mod tidy in the build', (t) => t.replace('go mod download && go mod verify', 'go mod tidy && go mod download && go mod verify'), ['D6']],
  ['TLS checks off for the proxy', (t) => t.replace('GOTOOLCHAIN=local \\', 'GOTOOLCHAIN=local \\\n    GOINSECURE=nexus.example.com \\'), ['D12']],
  ['a linter unpinned', (t) => t.replace('staticcheck@v0.8.2', 'staticcheck@latest'), ['D4']],
  ['source copied into the runtime', (t) => t.replace('COPY --from=build /out/billing-api /app/billing-api', 'COPY --from=build /out/billing-api /app/billing-api\nCOPY internal/ /app/internal/'), ['D14']],
  ['module cache copied into the runtime', (t) => t.replace('COPY --from=build /out/billing-api /app/billing-api', 'COPY --from=build /go/pkg/mod/ /go/pkg/mod/'), ['D14']],
  ['source before the module download', (t) => t.replace('COPY go.mod go.sum ./', 'COPY . ./'), ['D5']],
  ['runtime on the golang image (a shell and a toolchain)', (t) => t.replace(/^FROM \S+static-debian13\S* AS runtime$/m, 'FROM registry.example.com/base/golang:1.27-trixie AS runtime'), ['D9']],
  ['a gate failure ignored', (t) => t.replace('&& go test ./... \\', '&& go test ./... || true \\'), ['D7']],
  ['gates split over two RUNs', (t) => t.replace('    && go test ./... \\', '    && true\nRUN --mount=type=cache,target=/root/.cache/go-build go test ./... \\'), ['D7']],
];

for (const [what, edit, rules] of BROKEN) {
  test(`the audit fails a broken Go Dockerfile: ${what}`, () => {
    assert.deepEqual(errorsAfter(edit), rules);
  });
}

test('go test without the no-test check is reported (a test gate that ran no test must fail)', () => {
  const { dockerfile, ctx } = reference();
  const broken = dockerfile.replace(/    && test -n "\$\(go test -list[^\n]*\n/, '');
  assert.notEqual(broken, dockerfile);
  const findings = auditDockerfile(broken, ctx);
  assert.deepEqual(findings.map((f) => `${f.rule} ${f.severity}`), ['D7 warning']);
  assert.match(findings[0]!.message, /no test at all/);
});

test('the Go .dockerignore keeps .git, .env and test binaries out (D15), and D15 notices when it does not', () => {
  const { dockerfile, ctx } = reference();
  assert.deepEqual(auditDockerfile(dockerfile, ctx).filter((f) => f.rule === 'D15'), []);
  const without = (ctx.dockerignore ?? '').split('\n').filter((line) => line !== '**/*.test').join('\n');
  const findings = auditDockerfile(dockerfile, { ...ctx, dockerignore: without }).filter((f) => f.rule === 'D15');
  assert.equal(findings.length, 1);
  assert.match(findings[0]!.message, /\*\*\/\*\.test/);
});

test('a config file copied into the Go runtime is not mistaken for source (D14 names only Go material)', () => {
  const { dockerfile, ctx } = reference();
  const withConfig = dockerfile.replace('COPY --from=build /out/billing-api /app/billing-api', 'COPY --from=build /out/billing-api /app/billing-api\nCOPY config/app.yaml /app/config/app.yaml');
  assert.deepEqual(auditDockerfile(withConfig, ctx), []);
});

test('the common `test -z "$(gofmt -l .)"` form counts as a format gate that fails on output', () => {
  const { dockerfile, ctx } = reference();
  const idiom = dockerfile.replace(GOFMT_GATE, 'test -z "$(gofmt -l .)"');
  assert.notEqual(idiom, dockerfile);
  assert.deepEqual(auditDockerfile(idiom, ctx), []);
});

test('every generated go Dockerfile also passes the baseline profile', () => {
  const failures: string[] = [];
  for (const combination of combinations()) {
    const files = renderProject(options(combination));
    const findings = auditDockerfile(files.get('Dockerfile')!, { profile: 'baseline', dockerignore: files.get('.dockerignore') ?? null });
    if (findings.length) failures.push(`${label(combination)}\n${formatFindings(findings, { profile: 'baseline' })}`);
  }
  assert.deepEqual(failures, []);
});
