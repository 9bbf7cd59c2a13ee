import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditDockerfile, auditProject, exitCode, formatFindings, summary, type AuditContext, type Finding } from '../../src/audit/index.ts';
import { RULE_IDS } from '../../src/audit/types.ts';
import { renderProject } from '../../src/render/render.ts';
import { auditContextOf } from '../helpers/audit-context.ts';
import { testOptions } from '../helpers/options.ts';

const FIXTURES = 'test/fixtures/audit';
const read = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
const GOOD_IGNORE = read('good.dockerignore');
const ALL_GATES = ['typecheck', 'format', 'lint', 'security', 'test', 'bdd'];
const PIPENV: AuditContext = { certBundle: true, manager: 'pipenv', gates: ALL_GATES, dockerignore: GOOD_IGNORE, language: 'python' };

const brief = (findings: Finding[]) => findings.map((f) => `${f.rule} ${f.severity} ${f.line ?? '-'}`);
const show = (findings: Finding[]) => formatFindings(findings);

/** Run a snippet through the audit and keep only one rule's findings. */
function only(rule: string, text: string, context: AuditContext = {}): Finding[] {
  return auditDockerfile(text, context).filter((f) => f.rule === rule);
}

test('the hand-written good Dockerfile passes every rule D1-D16', () => {
  const findings = auditDockerfile(read('good.Dockerfile'), PIPENV);
  assert.deepEqual(findings, [], show(findings));
});

for (const manager of ['poetry', 'uv', 'pip-tools']) {
  test(`the ${manager} variant passes every rule with its manager named`, () => {
    const findings = auditDockerfile(read(`good-${manager}.Dockerfile`), { ...PIPENV, certBundle: false, manager });
    assert.deepEqual(findings, [], show(findings));
  });
}

// Each failing fixture is good.Dockerfile with exactly one defect: only that rule may fire.
const FAILING: Array<[file: string, expected: string[]]> = [
  ['d1-missing', ['D1 error 1']],
  ['d1-unpinned', ['D1 error 1']],
  ['d2-no-builder', ['D2 error 5']],
  ['d3-latest', ['D3 error 49']],
  ['d3-tag-only', ['D3 warning 49']],
  ['d4-unpinned-tool', ['D4 error 18']],
  ['d5-source-first', ['D5 error 23', 'D5 error 32']],
  ['d6-no-deploy', ['D6 error 22']],
  ['d7-order', ['D7 error 42', 'D7 error 43', 'D7 error 44']],
  ['d7-ignored', ['D7 error 45']],
  ['d8-skippable-tests', ['D8 error 49']],
  ['d9-shell-base', ['D9 error 49']],
  ['d9-run', ['D9 error 64']],
  ['d10-chown', ['D10 error 63']],
  ['d10-named-user', ['D10 error 65']],
  ['d11-shell-cmd', ['D11 error 67']],
  ['d12-secret-arg', ['D12 error 29']],
  ['d12-relative-workdir', ['D12 error 64']],
  ['d13-labels', ['D13 error 49']],
  ['d14-tests-shipped', ['D14 error 64']],
  ['d16-link', ['D16 error 63']],
  ['d16-relative-mount', ['D16 error 38']],
];

for (const [file, expected] of FAILING) {
  test(`fixture ${file} fails exactly ${expected.map((e) => e.split(' ')[0]).join(', ')}`, () => {
    const findings = auditDockerfile(read(`fail/${file}.Dockerfile`), PIPENV);
    assert.deepEqual(brief(findings), expected, show(findings));
  });
}

test('every rule D1-D16 has a failing fixture or case in this file', () => {
  const covered = new Set(FAILING.flatMap(([, expected]) => expected.map((e) => e.split(' ')[0])));
  covered.add('D15'); // .dockerignore fixtures below
  assert.deepEqual(RULE_IDS.filter((id) => !covered.has(id)), []);
});

test("the article's own Dockerfile fails D1, D8, D10 (--chown=1000), D12 (--trusted-host), D16 (relative mounts), with D3 tag-only warnings", () => {
  const findings = auditDockerfile(read('article.Dockerfile'), { ...PIPENV, gates: undefined, dockerignore: undefined });
  const has = (rule: string, severity: string, line: number, text: RegExp) =>
    assert.ok(
      findings.some((f) => f.rule === rule && f.severity === severity && f.line === line && text.test(f.message)),
      `expected ${rule} ${severity} at line ${line} matching ${text}\n${show(findings)}`,
    );
  has('D1', 'error', 1, /syntax=docker\/dockerfile:1/);
  has('D8', 'error', 47, /does not depend on the `test` stage/);
  has('D10', 'error', 56, /--chown=1000/);
  has('D10', 'error', 59, /--chown=1000/);
  has('D12', 'error', 14, /--trusted-host/);
  has('D16', 'error', 38, /\.\/\.mypy_cache\//);
  has('D16', 'error', 39, /\.\/\.pytest_cache\//);
  has('D3', 'warning', 1, /tag only/);
  has('D3', 'warning', 3, /tag only/);
  has('D3', 'warning', 47, /tag only/);
  has('D7', 'error', 42, /bandit/); // fix 4: ./*.py scans only top-level files
  has('D13', 'error', 47, /org\.opencontainers\.image\.title/);
  has('D14', 'warning', 56, /pip/); // fix 8: the whole site-packages carries pip
  assert.equal(exitCode(findings), 1);
  assert.ok(findings.every((f) => f.rule !== 'D3' || f.severity === 'warning'), 'tags are pinned, so D3 only warns');
});

test('D15: a missing .dockerignore, a weak one, an allow-list one; not checked when not given', () => {
  const good = read('good.Dockerfile');
  assert.deepEqual(brief(only('D15', good, { dockerignore: null })), ['D15 error -']);
  const weak = only('D15', good, { dockerignore: read('bad.dockerignore'), language: 'python' });
  assert.equal(weak.length, 1);
  assert.match(weak[0]!.message, /\.env, \*\*\/__pycache__/);
  assert.deepEqual(only('D15', good, { dockerignore: read('allowlist.dockerignore') }), []);
  assert.deepEqual(only('D15', good, {}), []);
  // node projects must also keep node_modules out.
  assert.match(only('D15', 'FROM node:22\nRUN npm ci\n', { dockerignore: '.git\n.env\n' })[0]!.message, /node_modules/);
});

// Rule details beyond the fixtures -------------------------------------------------------------

const SYNTAX = '# syntax=docker/dockerfile:1\n';

test('D1 accepts a minor pin and a digest, rejects a misplaced directive', () => {
  assert.deepEqual(only('D1', '# syntax=docker/dockerfile:1.7\nFROM scratch\n'), []);
  assert.deepEqual(only('D1', `# syntax=docker/dockerfile:1.7@sha256:${'a'.repeat(64)}\nFROM scratch\n`), []);
  assert.deepEqual(brief(only('D1', '# escape=\\\n# syntax=docker/dockerfile:1\nFROM scratch\n')), ['D1 error 2']);
  assert.deepEqual(brief(only('D1', '# syntax=docker/dockerfile:1-labs\nFROM scratch\n')), ['D1 error 1']);
});

test('D2: cert-bundle stage required when a bundle is expected, and stage order', () => {
  const noBundle = read('good-poetry.Dockerfile');
  assert.deepEqual(only('D2', noBundle, { certBundle: false }), []);
  assert.match(only('D2', noBundle, { certBundle: true })[0]!.message, /cert-bundle/);
  const swapped = 'FROM a:1@sha256:' + 'a'.repeat(64) + ' AS test\nFROM a:1 AS builder\nFROM scratch\n';
  assert.match(only('D2', swapped)[0]!.message, /`test` comes before `builder`/);
});

test('D3: stage references and scratch are exempt; COPY --from images and ARG defaults are checked', () => {
  const text = `${SYNTAX}ARG PY=python:3.13-slim\nFROM \${PY} AS builder\nFROM builder AS test\nFROM scratch\nCOPY --from=busybox:latest /bin/true /true\nCOPY --from=builder /a /a\n`;
  assert.deepEqual(brief(only('D3', text)), ['D3 warning 3', 'D3 error 6']);
  assert.deepEqual(brief(only('D3', 'FROM python\n')), ['D3 error 1']);
  assert.deepEqual(brief(only('D3', 'FROM python@sha256:abc\n')), ['D3 error 1']);
  assert.deepEqual(only('D3', `FROM localhost:5000/python@sha256:${'0'.repeat(64)}\n`), []);
});

test('D4: pip requirements, npm -g, go install, apt (warning); variables in pins are accepted', () => {
  const text = [
    'FROM x:1',
    'RUN pip install --no-cache-dir -r requirements.txt black==26.1.0 "ruff>=0.1" \\',
    '  && pip install --upgrade pip',
    'RUN python3 -m pip install "pipenv==${PIPENV_VERSION}" ./dist/app.whl',
    'RUN npm install -g typescript@5.9.3 prettier && go install golang.org/x/tools/cmd/goimports@latest',
    'RUN apt-get install -y --no-install-recommends curl=8.1.0 git',
  ].join('\n');
  assert.deepEqual(
    only('D4', text).map((f) => [f.severity, f.line, f.message.split(' without')[0]]),
    [
      ['error', 2, '`pip` installs `ruff>=0.1`'],
      ['error', 3, '`pip` installs `pip`'],
      ['error', 5, '`npm` installs `prettier`'],
      ['error', 5, '`go` installs `golang.org/x/tools/cmd/goimports@latest`'],
      ['warning', 6, '`apt-get` installs `git`'],
    ],
  );
});

test('D5: a bind-mounted lock counts as copied; an install with no dependency files is flagged', () => {
  const bound = 'FROM x:1 AS builder\nRUN --mount=type=bind,source=uv.lock,target=/app/uv.lock --mount=type=bind,source=pyproject.toml,target=/app/pyproject.toml uv sync --locked\nCOPY src/ /app/src/\n';
  assert.deepEqual(only('D5', bound), []);
  assert.match(only('D5', 'FROM x:1\nRUN pipenv install --deploy\n')[0]!.message, /no dependency file/);
  assert.match(only('D5', 'FROM x:1\nCOPY . .\nRUN npm ci\n')[0]!.message, /after source was copied \(line 2\)/);
});

test('D6: each manager enforces its lock; locking inside the build is an error', () => {
  const d6 = (run: string, manager?: string) => only('D6', `FROM x:1\nCOPY pyproject.toml poetry.lock uv.lock requirements.txt ./\n${run}\n`, manager ? { manager } : {});
  assert.match(d6('RUN poetry install --no-root')[0]!.message, /poetry check --lock/);
  assert.deepEqual(d6('RUN poetry check --lock && poetry install --no-root', 'poetry'), []);
  assert.match(d6('RUN uv sync --no-dev')[0]!.message, /--locked/);
  assert.deepEqual(d6('RUN uv sync --frozen', 'uv'), []);
  assert.deepEqual(only('D6', 'FROM x:1\nENV UV_LOCKED=1\nRUN uv sync && uv run pytest\n'), []);
  assert.match(d6('RUN uv run pytest')[0]!.message, /uv run/);
  assert.match(d6('RUN pip install -r requirements.txt')[0]!.message, /--require-hashes/);
  assert.match(d6('RUN pipenv lock && pipenv install --deploy')[0]!.message, /resolves a new lock/);
  assert.deepEqual(only('D6', 'FROM x:1\nENV PIPENV_DEPLOY=1\nRUN pipenv install\n', { manager: 'pipenv' }), []);
  assert.match(d6('RUN npm install')[0]!.message, /npm ci/);
  // The named manager must actually install from its lock somewhere.
  assert.match(d6('RUN pipenv install --deploy', 'poetry')[0]!.message, /no poetry install enforces the lock/);
});

test('D7: one RUN, cache mounts, no ignored failures, bandit -r, the chosen gates, dev dependencies', () => {
  const stage = (run: string, extra = '') => `FROM x:1 AS builder\nCOPY Pipfile Pipfile.lock ./\nRUN pipenv install --deploy\nFROM builder AS test\n${extra}RUN pipenv install --dev --deploy\n${run}\n`;
  const cache = 'RUN --mount=type=cache,target=/app/.mypy_cache --mount=type=cache,target=/app/.pytest_cache ';
  assert.deepEqual(only('D7', stage(`${cache}mypy . && pytest`), { manager: 'pipenv' }), []);
  assert.ok(only('D7', stage('RUN mypy .\nRUN pytest')).some((f) => /2 RUNs/.test(f.message)));
  assert.ok(only('D7', stage('RUN mypy . && pytest')).some((f) => /no cache mount/.test(f.message)));
  assert.match(only('D7', stage(`${cache}mypy .; pytest`))[0]!.message, /exit status/);
  assert.deepEqual(only('D7', stage(`${cache}set -e; mypy .; pytest`)), []);
  assert.match(only('D7', stage(`${cache}mypy . && pytest | tee /tmp/log`))[0]!.message, /pipe/);
  assert.deepEqual(only('D7', stage(`${cache}mypy . || exit 1 && pytest`)), []);
  assert.match(only('D7', stage(`${cache}bandit -ll ./*.py && pytest`))[0]!.message, /bandit -r/);
  assert.match(only('D7', stage(`${cache}pytest --suppress-no-test-exit-code`))[0]!.message, /no test ran/);
  assert.match(only('D7', stage(`${cache}mypy . && pytest`), { gates: ['typecheck', 'lint', 'test'] })[0]!.message, /the chosen gate lint does not run/);
  const noDev = `FROM x:1 AS builder\nCOPY Pipfile Pipfile.lock ./\nRUN pipenv install --deploy\nFROM builder AS test\n${cache}mypy . && pytest\n`;
  assert.match(only('D7', noDev, { manager: 'pipenv' })[0]!.message, /dev dependencies/);
  assert.match(only('D7', 'FROM x:1 AS builder\nFROM scratch\n')[0]!.message, /no test stage/);
});

test('D7: the tests as one background job beside the other gates, only when `wait $tests` fails the RUN', () => {
  const stage = (run: string) => `FROM x:1 AS builder\nCOPY Pipfile Pipfile.lock ./\nRUN pipenv install --deploy\nFROM builder AS test\nRUN pipenv install --dev --deploy\nRUN --mount=type=cache,target=/app/.mypy_cache --mount=type=cache,target=/app/.pytest_cache ${run}\n`;
  const d7 = (run: string) => only('D7', stage(run), { manager: 'pipenv' }).map((f) => f.message).join('\n');
  assert.equal(d7('pytest & tests=$!; mypy . && wait $tests && touch /ok'), '');
  assert.equal(d7('pytest & tests=$!; mypy . && wait ${tests} && touch /ok || { wait $tests; exit 1; }'), '');
  assert.match(d7('pytest & tests=$!; mypy . && touch /ok'), /nothing returns its status/);
  assert.match(d7('pytest & tests=$!; mypy . && wait && touch /ok'), /a bare `wait` exits 0/);
  assert.match(d7('pytest & mypy . && wait $! && touch /ok'), /no `tests=\$!` keeps its process id/);
  assert.match(d7('pytest & tests=$!; mypy . && wait $tests || true'), /`wait … \|\| true` ignores its failure \(the status of `pytest … &`\)/);
  assert.match(d7('pytest & tests=$!; mypy . && wait $tests; touch /ok'), /`wait …;` lets the next command decide/);
  assert.match(d7('pytest || true & tests=$!; mypy . && wait $tests && touch /ok'), /`pytest … \|\| true` ignores its failure/);
  assert.match(d7('pytest & tests=$!; mypy . && wait $tests && touch /ok || { wait $tests; exit 0; }'), /every gate before it/);
  assert.match(d7('pytest & tests=$!; mypy . && wait $tests && touch /ok || true'), /every gate before it/);
  // Ordered within the job, and the job counts where it is waited for.
  assert.match(d7('pytest && mypy . & tests=$!; black --check . && wait $tests && touch /ok'), /`mypy` \(typecheck\) runs after `pytest`/);
  assert.match(d7('pytest & tests=$!; wait $tests && mypy . && touch /ok'), /`mypy` \(typecheck\) runs after `pytest` \(test\)/);

  // The generated form itself, Python and Node.js, and its defects.
  for (const language of ['python', 'node']) {
    const files = renderProject(testOptions({ language, gates: language === 'node' ? ['typecheck', 'format', 'lint', 'test'] : ALL_GATES as never }));
    const context = auditContextOf(files);
    const dockerfile = files.get('Dockerfile')!;
    const messages = (edit: (d: string) => string) => {
      const edited = edit(dockerfile);
      assert.notEqual(edited, dockerfile, `${language}: the edit applies`);
      return auditDockerfile(edited, context).filter((f) => f.rule === 'D7').map((f) => f.message).join('\n');
    };
    assert.deepEqual(auditDockerfile(dockerfile, context).filter((f) => f.rule === 'D7'), [], `${language}: the generated gate RUN passes D7`);
    assert.match(messages((d) => d.replace(' & tests=$!;', ' || true & tests=$!;')), /\|\| true` ignores its failure/, language);
    assert.match(messages((d) => d.replace('&& wait $tests \\', '&& { wait $tests || true; } \\')), /ignores its failure/, language);
    assert.match(messages((d) => d.replace('    && wait $tests \\\n', '').replace(' \\\n    || { wait $tests; exit 1; }', '')), /nothing returns its status/, language);
    assert.match(messages((d) => d.replace('&& wait $tests \\', '&& wait \\').replace(' \\\n    || { wait $tests; exit 1; }', '')), /a bare `wait`/, language);
    assert.match(messages((d) => d.replace(' & tests=$!;', '; tests=$!;')), /lets the next command decide/, language);
  }
});

test('D8: RUN --mount from=test and a chain through another stage count as depending on the tests', () => {
  const base = 'FROM x:1 AS builder\nFROM builder AS test\nRUN pytest && touch /ok\n';
  assert.deepEqual(only('D8', `${base}FROM scratch\nRUN --mount=from=test,source=/ok,target=/ok true\n`), []);
  assert.deepEqual(only('D8', `${base}FROM builder AS release\nCOPY --from=test /ok /ok\nFROM scratch\nCOPY --from=release /ok /ok\n`), []);
  assert.deepEqual(brief(only('D8', `${base}FROM scratch\nCOPY --from=builder /a /a\n`)), ['D8 error 4']);
  // A stage that runs tests but is not called test still counts.
  assert.deepEqual(brief(only('D8', 'FROM x:1 AS checks\nRUN go test ./...\nFROM scratch\n')), ['D8 error 3']);
  assert.match(only('D8', 'FROM x:1 AS builder\nFROM scratch\n')[0]!.message, /no stage runs the tests/);
});

test('D9: scratch and allowed bases pass; debug variants, shell bases and SHELL fail', () => {
  assert.deepEqual(only('D9', 'FROM scratch\n'), []);
  assert.deepEqual(only('D9', 'FROM registry.local/base/py-minimal:3.13\n', { runtimeAllowed: ['registry.local/base/py-minimal:3.13'] }), []);
  assert.match(only('D9', 'FROM gcr.io/distroless/python3-debian13:debug\n')[0]!.message, /debug variant/);
  assert.match(only('D9', 'FROM x:1 AS builder\nFROM builder\n')[0]!.message, /not distroless/);
  assert.deepEqual(brief(only('D9', 'FROM gcr.io/distroless/static\nSHELL ["/bin/sh", "-c"]\n')), ['D9 error 2']);
});

test('D10: USER numeric and non-zero; --chown to root is fine; group-writable --chmod is not', () => {
  const d10 = (body: string) => brief(only('D10', `FROM gcr.io/distroless/static\n${body}\n`));
  assert.deepEqual(d10('USER 65532'), []);
  assert.deepEqual(d10('COPY --chown=0:0 a /a\nUSER 65532:65532'), []);
  assert.deepEqual(d10('USER 0'), ['D10 error 2']);
  assert.deepEqual(d10('USER root'), ['D10 error 2']);
  assert.deepEqual(d10('USER 65532:nonroot'), ['D10 error 2']);
  assert.deepEqual(d10('COPY a /a'), ['D10 error 1']);
  assert.deepEqual(d10('COPY --chmod=0775 a /a\nUSER 1'), ['D10 error 2']);
  const chowned = 'FROM x:1 AS builder\nRUN mkdir /out && chown -R 65532:65532 /out\nFROM scratch\nCOPY --from=builder /out /out\nUSER 65532\n';
  assert.deepEqual(brief(only('D10', chowned)), ['D10 warning 2']);
  assert.deepEqual(only('D10', chowned.replace('65532:65532', 'root:root')), []);
});

test('D11: exec form everywhere, at most one ENTRYPOINT and one CMD in the runtime stage', () => {
  assert.deepEqual(brief(only('D11', 'FROM x:1\nCMD ["a"]\nCMD ["b"]\nENTRYPOINT python3\n')), ['D11 error 3', 'D11 error 4']);
  assert.match(only('D11', "FROM x:1\nCMD ['python3']\n")[0]!.message, /not valid JSON/);
});

test('D12: ADD, TLS switched off, secrets in names, URLs and copied files', () => {
  const text = [
    'FROM x:1',
    'ADD https://example.com/a.tgz /a',
    'ENV PIP_TRUSTED_HOST=pypi.org PIP_INDEX_URL=https://user:s3cret@nexus.example.com/simple',
    'ARG NPM_TOKEN',
    'ARG AWS_SECRET_ACCESS_KEY=x',
    'RUN curl -k https://example.com/x',
    'COPY .netrc /root/.netrc',
    'ENV PWD=/app PIP_CERT=/etc/ssl/certs/ca.crt NETRC_FILE=/run/secrets/netrc SSH_AUTH_SOCK=/ssh',
  ].join('\n');
  assert.deepEqual(brief(only('D12', text)), ['D12 error 2', 'D12 error 3', 'D12 error 3', 'D12 error 4', 'D12 error 5', 'D12 error 6', 'D12 error 7']);
  assert.match(only('D12', 'FROM x:1\nCOPY config/.env.production /app/\n')[0]!.message, /\.env\.production/);
});

test('D13: created should come from a build ARG; MAINTAINER is deprecated', () => {
  const labels = 'LABEL org.opencontainers.image.title=t org.opencontainers.image.source=s org.opencontainers.image.revision=$R';
  assert.deepEqual(only('D13', `FROM scratch\nARG R\nARG C\n${labels} org.opencontainers.image.created=$C\n`), []);
  assert.deepEqual(brief(only('D13', `FROM scratch\n${labels} org.opencontainers.image.created=2024-01-01\nMAINTAINER me\n`)), ['D13 warning 2', 'D13 warning 3']);
});

test('D14: COPY . , features, a runtime built on test, and the test venv are flagged', () => {
  const base = 'FROM x:1 AS builder\nFROM builder AS test\nRUN pytest\n';
  assert.deepEqual(brief(only('D14', `${base}FROM scratch\nCOPY . /app\nCOPY ./features/ /app/features\n`)), ['D14 error 5', 'D14 error 6']);
  assert.deepEqual(brief(only('D14', `${base}FROM test\n`)), ['D14 error 4']);
  assert.deepEqual(brief(only('D14', `${base}FROM scratch\nCOPY --from=test /app/.venv /app/.venv\n`)), ['D14 error 5']);
  const dev = 'FROM x:1 AS builder\nCOPY Pipfile Pipfile.lock ./\nRUN pipenv install --dev --deploy\nFROM builder AS test\nRUN pytest\nFROM scratch\n';
  assert.match(only('D14', `${dev}COPY --from=test /app/.venv /app/.venv\n`)[0]!.message, /`test` stage, which installed dev dependencies \(line 3\)/);
  assert.match(only('D14', `${dev}COPY --from=builder /app/.venv/lib/python3.13/site-packages /app/deps\n`)[0]!.message, /`builder` stage/);
  // The gates marker from the test stage is fine.
  assert.deepEqual(only('D14', `${dev}COPY --from=test /app/.gates-passed /app/.gates-passed\n`), []);
  // uv environments have no pip; a venv made by python -m venv has.
  const uvVenv = 'FROM x:1 AS builder\nCOPY pyproject.toml uv.lock ./\nRUN uv sync --locked --no-dev\nFROM builder AS test\nRUN pytest\nFROM scratch\nCOPY --from=builder /app/.venv /app/.venv\n';
  assert.deepEqual(only('D14', uvVenv), []);
  assert.deepEqual(brief(only('D14', uvVenv.replace('RUN uv sync --locked --no-dev', 'RUN python3 -m venv /app/.venv'))), ['D14 warning 7']);
  // A clean production directory from the builder is fine.
  assert.deepEqual(only('D14', `${base}FROM scratch\nCOPY --from=builder /deps/ /app/deps/\n`), []);
});

// Each of these was tried with buildah 1.28.2 here: all but HEALTHCHECK (warned, dropped) failed the build.
test('D16: each buildah 1.28 gap is named', () => {
  const text = [
    '# syntax=docker/dockerfile:1',
    'FROM x:1',
    'RUN --network=none --security=insecure true',
    'RUN <<EOF',
    'echo hi',
    'EOF',
    'ADD --checksum=sha256:abc https://e/x /x',
    'COPY --parents --exclude=*.md --chmod=u+x a /b',
    'RUN --mount=type=secret,id=n,target=netrc true',
    'HEALTHCHECK CMD ["/healthz"]',
    'RUN --mount=type=secret,id=n,env=TOKEN,required=false --mount=type=cache,target=/root/.cache,sharing=locked true',
    'ADD --link --chown=0:0 a /a',
  ].join('\n');
  const messages = only('D16', text).map((f) => `${f.line} ${f.severity} ${f.message.split(' is ')[0]}`);
  assert.deepEqual(messages, [
    '3 error `RUN --network=none`',
    '3 error `RUN --security=insecure`',
    '4 error the here-document `<<EOF`',
    '7 error `ADD --checksum`',
    '8 error `COPY --parents`',
    '8 error `COPY --exclude`',
    '8 error `--chmod=u+x` (non-octal)',
    '9 error the secret mount target `netrc`',
    '10 warning HEALTHCHECK',
    '11 error the secret mount option `env=`',
    '12 error `ADD --link`',
  ]);
});

test('every message says what is wrong and how to fix it, in one sentence', () => {
  const findings = ['article.Dockerfile', ...FAILING.map(([f]) => `fail/${f}.Dockerfile`)].flatMap((f) => auditDockerfile(read(f), { ...PIPENV, dockerignore: null }));
  assert.ok(findings.length > 30);
  for (const f of findings) {
    assert.match(f.message, /^[^\n]+: [^\n]+\.$/, `${f.rule}: ${f.message}`);
    assert.equal(f.message.match(/\. [A-Z]/), null, `one sentence: ${f.message}`);
  }
});

test('formatFindings: one aligned line per finding, a count line, colour only when asked', () => {
  const findings = auditDockerfile(read('article.Dockerfile'), { dockerignore: null });
  const plain = formatFindings(findings, { file: 'svc/Dockerfile' });
  const lines = plain.trimEnd().split('\n');
  assert.equal(lines.length, findings.length + 1);
  assert.match(lines[0]!, /^svc\/Dockerfile {5}D15 {2}error {4}there is no \.dockerignore/);
  assert.ok(lines.some((l) => /^svc\/Dockerfile:47 +D8 +error +the runtime stage does not depend/.test(l)), plain);
  const { errors, warnings } = summary(findings);
  assert.equal(lines[lines.length - 1], `${errors} errors, ${warnings} warnings`);
  assert.ok(!plain.includes('\u001b['));
  assert.ok(formatFindings(findings, { color: true }).includes('\u001b[31merror'));
  assert.equal(formatFindings([]), 'Dockerfile: no findings (D1-D16)\n');
});

test('exit code: errors make 1, warnings alone make 0', () => {
  assert.equal(exitCode(auditDockerfile(read('fail/d3-tag-only.Dockerfile'), PIPENV)), 0);
  assert.equal(exitCode(auditDockerfile(read('fail/d8-skippable-tests.Dockerfile'), PIPENV)), 1);
});

test('auditProject reads the Dockerfile, .dockerignore and the project record', () => {
  const dir = mkdtempSync(join(tmpdir(), 'audit-'));
  try {
    writeFileSync(join(dir, 'Dockerfile'), read('good-poetry.Dockerfile'));
    // No .dockerignore yet: D15 error.
    assert.deepEqual(brief(auditProject(dir).findings), ['D15 error -']);
    writeFileSync(join(dir, '.dockerignore'), GOOD_IGNORE);
    assert.deepEqual(auditProject(dir).findings, []);
    // The record says a CA bundle was chosen and pipenv is the manager: D2 and D6/D7 now apply.
    const record = { answers: { language: 'python', manager: 'pipenv', certBundle: 'registry.example.com/base/ca-bundle:1', gates: ALL_GATES }, images: { runtime: 'gcr.io/distroless/python3-debian13:nonroot' } };
    writeFileSync(join(dir, '.hardened-service.json'), JSON.stringify(record));
    const rules = new Set(auditProject(dir).findings.map((f) => f.rule));
    assert.deepEqual([...rules].sort(), ['D2', 'D6', 'D7']);
    assert.throws(() => auditProject(join(dir, 'missing')), /no Dockerfile/);
    writeFileSync(join(dir, '.hardened-service.json'), '{ broken');
    assert.throws(() => auditProject(dir), /\.hardened-service\.json is not valid JSON/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
