// The Docker suite's pure helpers: a wrong parser would make an I5 or a gate timing pass or read
// wrong. The progress lines are BuildKit v0.8's plain output as Docker 20.10 prints it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { vertices } from './lib/docker.ts';
import { dependencyRebuilds, gateTimes, instrumentGates, stages } from './lib/docker-build.ts';

const DOCKERFILE = `# syntax=registry.example.com/base/docker/dockerfile:1
FROM registry.example.com/base/ca-bundle:1 AS cert-bundle
FROM registry.example.com/base/python:3.13-slim-trixie AS builder
COPY --from=cert-bundle /certs/ /usr/local/share/ca-certificates/
COPY Pipfile Pipfile.lock ./
RUN pipenv install --deploy
FROM builder AS test
COPY tests/ ./tests/
COPY src/ ./src/
RUN --mount=type=cache,target=/app/.mypy_cache \\
    --mount=type=cache,target=/app/.pytest_cache \\
    mypy \\
    && gofmt -l . > /tmp/gofmt.txt && cat /tmp/gofmt.txt && test ! -s /tmp/gofmt.txt \\
    && pytest \\
    && echo "typecheck test" > /app/.gates-passed
FROM registry.example.com/base/distroless/python3-debian13:nonroot AS runtime
COPY --from=builder /opt/packages/ /app/packages/
COPY src/ /app/
COPY --from=test /app/.gates-passed /app/.gates-passed
`;

const REBUILD = `#1 [internal] load build definition from Dockerfile
#1 sha256:7a9ca21c37fa4f3d24210d1a62b571e15f6ef9615bb96a68fc7741ebfc59d04e
#1 DONE 0.0s

#6 [builder 1/3] FROM registry.example.com/base/python:3.13-slim-trixie@sha256:6359
#6 DONE 0.0s

#9 [builder 2/3] COPY --from=cert-bundle /certs/ /usr/local/share/ca-certificates/
#9 CACHED

#12 [builder 3/3] RUN pipenv install --deploy
#12 CACHED

#21 [runtime 2/4] COPY --from=builder /opt/packages/ /app/packages/
#21 CACHED

#23 [test 1/3] COPY tests/ ./tests/
#23 CACHED

#22 [runtime 3/4] COPY src/ /app/
#22 DONE 0.0s

#28 [test 2/3] COPY src/ ./src/
#28 DONE 0.1s

#29 [test 3/3] RUN --mount=type=cache,target=/app/.mypy_cache     --mount=type=cache,target=/app/.pytest_cache     echo e2e-gate-1 && mypy     && echo e2e-gate-2 && gofmt -l . > /tmp/gofmt.txt && cat /tmp/gofmt.txt && test ! -s /tmp/gofmt.txt     && echo e2e-gate-3 && pytest     && echo e2e-gate-4 && echo "typecheck test" > /app/.gates-passed
#29 sha256:245e4f3a46e12b11287b1f32c74f6d5e04177aff70a57ba1bc4fbdeeb8720068
#29 0.061 e2e-gate-1
#29 0.544 Success: no issues found in 6 source files
#29 0.560 e2e-gate-2
#29 0.703 e2e-gate-3
#29 1.086 ============================= test session starts ==============================
#29 1.650 ============================== 9 passed in 0.41s ===============================
#29 1.702 e2e-gate-4
#29 DONE 1.8s

#30 [runtime 4/4] COPY --from=test /app/.gates-passed /app/.gates-passed
#30 DONE 0.1s
`;

test('vertices reads steps, stages, cache hits, durations and timed output from BuildKit plain progress', () => {
  const steps = vertices(REBUILD);
  const byName = (prefix: string) => steps.find((step) => step.name.startsWith(prefix))!;
  assert.equal(steps.length, 10);
  assert.deepEqual(
    { stage: byName('[builder 3/3]').stage, instruction: byName('[builder 3/3]').instruction, cached: byName('[builder 3/3]').cached },
    { stage: 'builder', instruction: 'RUN pipenv install --deploy', cached: true },
  );
  const gates = byName('[test 3/3]');
  assert.equal(gates.cached, false);
  assert.equal(gates.seconds, 1.8);
  assert.deepEqual(gates.log[0], { at: 0.061, text: 'e2e-gate-1' });
  assert.equal(byName('[internal]').stage, undefined);
});

test('stages: names in order, and the stage each is built on', () => {
  assert.deepEqual(stages(DOCKERFILE), [
    { name: 'cert-bundle', parent: undefined },
    { name: 'builder', parent: undefined },
    { name: 'test', parent: 'builder' },
    { name: 'runtime', parent: undefined },
  ]);
});

test('dependencyRebuilds: after a source change only source steps may run', () => {
  assert.deepEqual(dependencyRebuilds(DOCKERFILE, vertices(REBUILD)), []);
  // The same rebuild where the lock install ran again, and where the runtime's package copy did.
  const ranAgain = REBUILD.replace('#12 CACHED', '#12 DONE 9.0s').replace('#21 CACHED', '#21 DONE 0.3s');
  assert.deepEqual(dependencyRebuilds(DOCKERFILE, vertices(ranAgain)).map((step) => step.id), [12, 21]);
});

test('instrumentGates announces each gate command, keeps the mounts, and the chain still fails on any gate', () => {
  const { dockerfile, labels } = instrumentGates(DOCKERFILE);
  assert.deepEqual(labels, ['mypy', 'gofmt -l', 'pytest', 'marker']);
  assert.deepEqual(instrumentGates(DOCKERFILE.replace('    && pytest', '    && test -n "$(go test -list \'^Test\' ./... | grep \'^Test\')"')).labels[2], 'test -n $(go test -list)');
  const run = dockerfile.slice(dockerfile.indexOf('RUN --mount=type=cache,target=/app/.mypy_cache'), dockerfile.indexOf('FROM registry.example.com/base/distroless'));
  assert.match(run, /--mount=type=cache,target=\/app\/\.pytest_cache \\\n {4}echo e2e-gate-1 && mypy \\\n {4}&& echo e2e-gate-2 && gofmt/);
  assert.equal(dockerfile.replace(/echo e2e-gate-\d && /g, ''), DOCKERFILE, 'nothing else changed');
  // The RUN's shell text with stand-in tools: it must stop at the first failing gate.
  const script = run.replace(/^RUN (--mount=\S+ \\\n\s*)*/, '').replace(/\\\n/g, ' ');
  const sh = (failing: string) =>
    spawnSync('sh', ['-c', `mypy() { [ "${failing}" != mypy ]; }; gofmt() { :; }; pytest() { [ "${failing}" != pytest ]; }; cd "$(mktemp -d)" && mkdir -p app && ${script.replace(/\/app\//g, 'app/').replace(/\/tmp\//g, './')}`], { encoding: 'utf8' });
  const passing = sh('none');
  assert.equal(passing.status, 0, passing.stderr);
  assert.equal(passing.stdout.trim(), 'e2e-gate-1\ne2e-gate-2\ne2e-gate-3\ne2e-gate-4');
  const failing = sh('pytest');
  assert.notEqual(failing.status, 0);
  assert.equal(failing.stdout.trim(), 'e2e-gate-1\ne2e-gate-2\ne2e-gate-3', 'stopped at the failing gate');
});

test('instrumentGates announces a background job once, as it starts, and the RUN still fails on any gate', () => {
  const concurrent = DOCKERFILE.replace(
    '    mypy \\\n    && gofmt -l . > /tmp/gofmt.txt && cat /tmp/gofmt.txt && test ! -s /tmp/gofmt.txt \\\n    && pytest \\\n    && echo "typecheck test" > /app/.gates-passed\n',
    '    tsc \\\n    && pytest & tests=$!; \\\n    mypy \\\n    && wait $tests \\\n    && echo "typecheck test" > /app/.gates-passed \\\n    || { wait $tests; exit 1; }\n',
  );
  assert.notEqual(concurrent, DOCKERFILE);
  const { dockerfile, labels } = instrumentGates(concurrent);
  assert.deepEqual(labels, ['tsc && pytest (background)', 'mypy', 'wait $tests', 'marker']);
  const run = dockerfile.slice(dockerfile.indexOf('RUN --mount=type=cache,target=/app/.mypy_cache'), dockerfile.indexOf('FROM registry.example.com/base/distroless'));
  const script = run.replace(/^RUN (--mount=\S+ \\\n\s*)*/, '').replace(/\\\n/g, ' ');
  const sh = (failing: string) =>
    spawnSync('sh', ['-c', `tsc() { :; }; mypy() { [ "${failing}" != mypy ]; }; pytest() { sleep 0.2; [ "${failing}" != pytest ]; }; cd "$(mktemp -d)" && mkdir -p app || exit 9; ${script.replace(/\/app\//g, 'app/')}`], { encoding: 'utf8' });
  const passing = sh('none');
  assert.equal(passing.status, 0, passing.stderr);
  assert.deepEqual(passing.stdout.trim().split('\n').sort(), ['e2e-gate-1', 'e2e-gate-2', 'e2e-gate-3', 'e2e-gate-4']);
  assert.notEqual(sh('pytest').status, 0, 'a failing background gate fails the RUN');
  assert.notEqual(sh('mypy').status, 0, 'a failing gate beside it fails the RUN');
});

test('instrumentGates refuses a Dockerfile without a gate RUN', () => {
  assert.throws(() => instrumentGates('FROM x:1 AS builder\nRUN true\n'), /no gate RUN/);
});

test('gateTimes: from each announcement to the next, the last to the end of the step', () => {
  const times = gateTimes(vertices(REBUILD), ['mypy', 'gofmt', 'pytest', 'marker']);
  assert.deepEqual(
    times.map((gate) => [gate.label, Number(gate.seconds.toFixed(3))]),
    [['start', 0.061], ['mypy', 0.499], ['gofmt', 0.143], ['pytest', 0.999], ['marker', 0.098]],
  );
  assert.throws(() => gateTimes(vertices(REBUILD.replace('#29 0.703 e2e-gate-3\n', '')), ['mypy', 'gofmt', 'pytest', 'marker']), /not every gate announced itself/);
  // A background job's unfinished line (pytest's dots) before an announcement: still found, at its time.
  const joined = gateTimes(vertices(REBUILD.replace('#29 0.703 e2e-gate-3\n', '#29 0.703 ....e2e-gate-3\n')), ['mypy', 'gofmt', 'pytest', 'marker']);
  assert.deepEqual(joined.map((gate) => Number(gate.seconds.toFixed(3))), times.map((gate) => Number(gate.seconds.toFixed(3))));
  assert.throws(() => gateTimes(vertices(REBUILD.replace('#29 0.703 e2e-gate-3\n', '#29 0.703 e2e-gate-33\n')), ['mypy', 'gofmt', 'pytest', 'marker']), /not every gate announced itself/);
});
