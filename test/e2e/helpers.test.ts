// The e2e suite's own pure helpers: a wrong parser here would make a check pass that should fail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { cachedSteps, rebuiltDependencySteps } from './lib/containers.ts';
import { hashedRequirements } from './lib/hashed-lock.ts';
import { forbiddenContents } from './lib/inspect.ts';
import { normalize, wheelProject } from './lib/index-server.ts';
import { ATTEMPTS, run, StepError } from './lib/exec.ts';

const REBUILD = `[1/3] STEP 1/4: FROM localhost:5000/base/python:3.13-slim-trixie AS builder
[1/3] STEP 2/4: RUN python3 -m pip install pipenv==2024.0.1
--> Using cache 1111
--> 1111
[1/3] STEP 3/4: COPY Pipfile Pipfile.lock ./
--> Using cache 2222
[1/3] STEP 4/4: RUN pipenv install --deploy
--> Using cache 3333
[2/3] STEP 1/4: FROM 3333 AS test
[2/3] STEP 2/4: COPY tests/ ./tests/
--> Using cache 4444
[2/3] STEP 3/4: COPY src/ ./src/
--> 5555
[2/3] STEP 4/4: RUN mypy src && pytest
--> 6666
[3/3] STEP 1/4: FROM localhost:5000/base/distroless/python3-debian13:nonroot AS runtime
[3/3] STEP 2/4: COPY --from=builder /app/packages/ /app/packages/
--> Using cache 7777
[3/3] STEP 3/4: COPY src/ /app/
--> 8888
[3/3] STEP 4/4: COPY --from=test /app/.gates-passed /app/.gates-passed
[3/3] COMMIT x
--> 9999
`;

test('cachedSteps reads stages, steps and cache hits from buildah output', () => {
  const steps = cachedSteps(REBUILD);
  assert.equal(steps.length, 12);
  assert.deepEqual(steps[1], { stage: 1, step: 'RUN python3 -m pip install pipenv==2024.0.1', cached: true });
  assert.deepEqual(steps[6], { stage: 2, step: 'COPY src/ ./src/', cached: false });
  assert.equal(steps[11]?.cached, false);
});

test('rebuiltDependencySteps: none when only source steps ran; names a dependency step that ran', () => {
  assert.deepEqual(rebuiltDependencySteps(cachedSteps(REBUILD)), []);
  const missed = REBUILD.replace('RUN pipenv install --deploy\n--> Using cache 3333', 'RUN pipenv install --deploy\n--> 3333');
  assert.deepEqual(rebuiltDependencySteps(cachedSteps(missed)).map((s) => s.step), ['RUN pipenv install --deploy']);
  const runtimeMissed = REBUILD.replace('/app/packages/\n--> Using cache 7777', '/app/packages/\n--> 7777');
  assert.deepEqual(rebuiltDependencySteps(cachedSteps(runtimeMissed)).map((s) => s.step), ['COPY --from=builder /app/packages/ /app/packages/']);
});

test('hashedRequirements writes sorted name==version lines with sha256 hashes', () => {
  const text = hashedRequirements(
    {
      install: [
        { metadata: { name: 'Pytest', version: '8.3.5' }, download_info: { archive_info: { hashes: { sha256: 'aa' } } } },
        { metadata: { name: 'black', version: '25.1.0' }, download_info: { archive_info: { hash: 'sha256=bb' } } },
      ],
    },
    'requirements-dev.in',
  );
  assert.match(text, /black==25\.1\.0 \\\n {4}--hash=sha256:bb\npytest==8\.3\.5 \\\n {4}--hash=sha256:aa\n$/);
  assert.throws(() => hashedRequirements({ install: [{ metadata: { name: 'x', version: '1' }, download_info: {} }] }, 'r.in'), /no sha256 for x/);
});

test('forbiddenContents finds shells, tools and test files, and passes a clean tree', () => {
  const root = mkdtempSync(join(tmpdir(), 'e2e-rootfs-'));
  try {
    const touch = (path: string) => {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), '');
    };
    touch('usr/bin/python3.13');
    touch('app/main.py');
    touch('app/packages/mypkg/__init__.py');
    touch('usr/lib/python3.13/ensurepip_not_here.txt');
    assert.deepEqual(forbiddenContents(root, 'app'), []);
    symlinkSync('dash', join(root, 'usr/bin/sh'));
    touch('app/packages/pip/__init__.py');
    touch('app/packages/pytest-8.3.5.dist-info/METADATA');
    touch('app/.venv/bin/black');
    touch('app/tests/test_main.py');
    touch('app/features/health.feature');
    const found = forbiddenContents(root, 'app');
    for (const path of ['usr/bin/sh', 'app/packages/pip', 'app/packages/pytest-8.3.5.dist-info', 'app/.venv/bin/black', 'app/tests', 'app/features']) {
      assert.ok(found.includes(path), `${path} not reported in ${found.join(', ')}`);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('index names follow PEP 503 normalization', () => {
  assert.equal(normalize('jaraco.classes'), 'jaraco-classes');
  assert.equal(normalize('Pytest_BDD'), 'pytest-bdd');
  assert.equal(wheelProject('pytest_bdd-7.1.2-py3-none-any.whl'), 'pytest-bdd');
  assert.equal(wheelProject('jsonpickle-4.0.2+dfsg-py3-none-any.whl'), 'jsonpickle');
});

// A script that counts its runs in a file, then fails the way the test asks.
function flaky(dir: string, failures: number, message: string): string {
  const script = join(dir, 'flaky.sh');
  writeFileSync(
    script,
    `#!/bin/sh\nn=$(cat "${dir}/count" 2>/dev/null || echo 0); n=$((n + 1)); echo $n > "${dir}/count"\nif [ $n -le ${failures} ]; then echo '${message}' >&2; exit 125; fi\necho ran\n`,
    { mode: 0o755 },
  );
  return script;
}
const runs = (dir: string) => Number(readFileSync(join(dir, 'count'), 'utf8'));
const SEAL = 'Error: Close_Fd sealing memfd copy: Device or resource busy';

test('run tries a step again only when buildah or podman died before it started (memfd seal EBUSY)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'e2e-run-'));
  try {
    const once = await run('flaky once', flaky(dir, 1, SEAL), [], { timeout: 10_000 });
    assert.equal(once.output.trim(), 'ran');
    assert.equal(runs(dir), 2);

    rmSync(join(dir, 'count'));
    await assert.rejects(run('flaky always', flaky(dir, 99, SEAL), [], { timeout: 10_000 }), StepError);
    assert.equal(runs(dir), ATTEMPTS, 'gives up after its attempts');

    rmSync(join(dir, 'count'));
    await assert.rejects(run('product failure', flaky(dir, 1, 'Error: building at STEP "RUN pytest": exit status 1'), [], { timeout: 10_000 }), StepError);
    assert.equal(runs(dir), 1, 'any other failure is final');

    rmSync(join(dir, 'count'));
    const allowed = await run('allowed failure', flaky(dir, 1, 'no such image'), [], { timeout: 10_000, allowFail: true });
    assert.equal(allowed.exitCode, 125);
    assert.equal(runs(dir), 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
