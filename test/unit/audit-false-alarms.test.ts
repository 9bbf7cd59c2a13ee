// Correct, documented patterns the audit used to call wrong (issue 12), each with the defect it
// must still catch next to it, and fix suggestions that fit the file's own language.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { auditDockerfile, lint, type Finding, type LintOptions } from '../../src/audit/index.ts';

const DIGEST = `@sha256:${'a'.repeat(64)}`;
const read = (name: string) => readFileSync(`test/fixtures/audit/false-alarms/${name}`, 'utf8');
const rules = (findings: readonly Finding[]) => findings.map((f) => `${f.rule} ${f.line ?? '-'}`);
const of = (rule: string, text: string, options: LintOptions = {}) => auditDockerfile(text, options).filter((f) => f.rule === rule);

test("uv's two-step sync (lock bind-mounted, --no-install-project, the project after COPY) is not a late install (D5)", () => {
  const text = read('uv-two-step.Dockerfile');
  assert.deepEqual(of('D5', text), []);
  assert.deepEqual(of('D6', text), []);
  assert.deepEqual(of('D16', text), [], 'the bind targets are absolute');
  // The same second step without the first one is a real late install.
  const lateOnly = text.replace(/RUN --mount=type=cache,target=\/root\/.cache\/uv \\\n    --mount=type=bind[\s\S]*?--no-dev\n/, '');
  assert.notEqual(lateOnly, text);
  assert.deepEqual(rules(of('D5', lateOnly)), ['D5 10']);
  // poetry's and pip's versions of the same pattern.
  const poetry = 'FROM x:1\nCOPY pyproject.toml poetry.lock ./\nRUN poetry check --lock && poetry install --no-root\nCOPY src/ ./src/\nRUN poetry install --only-root\n';
  assert.deepEqual(of('D5', poetry), []);
  const pip = 'FROM x:1\nCOPY requirements.txt ./\nRUN pip install --require-hashes -r requirements.txt\nCOPY . .\nRUN pip install --no-deps .\n';
  assert.deepEqual(of('D5', pip), []);
});

test('`npm --version` is not an install; `npm ci` after COPY . still is a late one (D5)', () => {
  assert.deepEqual(of('D5', 'FROM node:24\nRUN npm --version && node --version\n'), []);
  assert.deepEqual(of('D6', 'FROM node:24\nRUN npm --version\n'), []);
  assert.deepEqual(rules(of('D5', 'FROM node:24\nCOPY . .\nRUN npm ci\n')), ['D5 3']);
});

test('a constraints file or a requirements/ directory copied early is a dependency file, not source (D5)', () => {
  for (const copy of ['COPY constraints.txt requirements.txt ./', 'COPY pip-constraints.txt requirements.txt ./', 'COPY requirements/ ./requirements/', 'COPY requirements/base.txt ./']) {
    assert.deepEqual(of('D5', `FROM python:3.13\n${copy}\nRUN pip install --require-hashes -r requirements.txt -c constraints.txt\n`), [], copy);
  }
  assert.deepEqual(rules(of('D5', 'FROM python:3.13\nCOPY app.py requirements.txt ./\nRUN pip install --require-hashes -r requirements.txt\n')), ['D5 3']);
});

test('ENV GPG_KEY fingerprints are not secrets; AWS_ACCESS_KEY_ID, *_TOKEN, *_PAT, *_AUTH, *PASSWORD are', () => {
  const text = read('gpg-key.Dockerfile');
  for (const profile of ['generated', 'baseline'] as const) {
    const findings = lint(text, { profile }).findings.filter((f) => f.rule === 'D12' || f.rule === 'B106');
    assert.deepEqual(findings, [], profile);
  }
  const secrets = 'FROM x:1\nARG AWS_ACCESS_KEY_ID\nARG GITLAB_TOKEN\nARG GH_PAT\nENV NPM_AUTH=x\nENV ADMIN_PASSWORD=y\n';
  assert.deepEqual(rules(of('D12', secrets)), ['D12 2', 'D12 3', 'D12 4', 'D12 5', 'D12 6']);
});

test('a version from a build ARG counts as pinned (D4), in pip, npm and go install', () => {
  assert.deepEqual(of('D4', read('gpg-key.Dockerfile')), []);
  assert.deepEqual(rules(of('D4', 'FROM x:1\nRUN npm install -g pnpm && go install x.example/tool@latest\n')), ['D4 2', 'D4 2']);
});

test('a distroless :nonroot base needs no USER line (D10); other bases do', () => {
  for (const base of ['gcr.io/distroless/static-debian13:nonroot', `gcr.io/distroless/python3-debian13:nonroot${DIGEST}`, 'registry.example.com/base/distroless/java21-debian13:debug-nonroot']) {
    assert.deepEqual(of('D10', `FROM ${base}\nCOPY app /app\n`), [], base);
  }
  assert.deepEqual(rules(of('D10', 'FROM gcr.io/distroless/static-debian13\nCOPY app /app\n')), ['D10 1']);
  assert.deepEqual(rules(of('D10', 'FROM gcr.io/distroless/static-debian13:nonroot\nUSER 0\n')), ['D10 2'], 'an explicit root user still fails');
});

test('`mvn install`, `mvn package` and `./mvnw verify` run the tests (D8 sees the test stage)', () => {
  for (const run of ['mvn -B install', './mvnw -B verify', 'mvn package', 'gradle check', './gradlew build']) {
    const text = `FROM maven:3.9 AS test\nRUN ${run}\nFROM gcr.io/distroless/java21-debian13:nonroot\nCOPY --from=test /app/target/app.jar /app/app.jar\n`;
    assert.deepEqual(of('D8', text), [], run);
  }
  assert.deepEqual(rules(of('D8', 'FROM maven:3.9 AS test\nRUN mvn -B compile\nFROM gcr.io/distroless/java21-debian13:nonroot\n')), ['D8 3']);
});

test('fix suggestions name the file\'s own language: Go gets the static image and Go\'s build cache', () => {
  const go = 'FROM golang:1.25 AS builder\nCOPY go.mod go.sum ./\nRUN go mod download\nFROM builder AS test\nRUN go vet ./... && go test ./...\nFROM golang:1.25\nCOPY --from=test /ok /ok\n';
  const d9 = of('D9', go)[0]!.message;
  assert.match(d9, /static-debian13/);
  assert.doesNotMatch(d9, /python/);
  const d7 = of('D7', go).map((f) => f.message).join('\n');
  assert.match(d7, /\/root\/\.cache\/go-build/);
  assert.doesNotMatch(d7, /\.go_cache/);
  assert.match(of('D9', 'FROM node:24 AS builder\nRUN npm ci\nFROM node:24\n')[0]!.message, /nodejs24-debian13/);
  assert.match(of('D9', 'FROM python:3.13 AS builder\nRUN pip install --require-hashes -r r.txt\nFROM python:3.13\n')[0]!.message, /python3-debian13/);
  assert.match(of('D11', 'FROM golang:1.25\nRUN go build ./...\nCMD /app/server\n')[0]!.message, /CMD \["\/app\/app"\]/);
});

test('parser: nested ARG defaults, --platform and $TARGETOS/$TARGETARCH in FROM', () => {
  const nested = 'ARG REGISTRY\nARG PY=${PYTHON_IMAGE:-${REGISTRY:-docker.io}/python:3.13-slim}\nFROM ${PY}\n';
  assert.match(of('D3', nested)[0]!.message, /`docker\.io\/python:3\.13-slim` is pinned by tag only/);
  const platform = `FROM --platform=$BUILDPLATFORM golang:1.25${DIGEST} AS build-amd64\nFROM --platform=$BUILDPLATFORM golang:1.25${DIGEST} AS build-arm64\nFROM build-\${TARGETARCH} AS build\nFROM gcr.io/distroless/static-debian13:nonroot${DIGEST}\nCOPY --from=build /out /out\n`;
  assert.deepEqual(of('D3', platform), [], 'a stage picked by $TARGETARCH is a stage, not an image');
  assert.deepEqual(lint(platform, { profile: 'baseline' }).findings.filter((f) => f.rule === 'B201'), []);
  const tagged = `FROM alpine:3.22-\${TARGETARCH}${DIGEST}\n`;
  assert.deepEqual(of('D3', tagged), [], 'only the platform varies: judged by the rest of the reference');
});

test('parser: heredocs, # escape=, JSON and shell forms reach the rules', () => {
  const heredoc = 'FROM debian:trixie\nRUN <<EOF\ncurl -fsSL https://x.example/i | sh\nEOF\nCOPY <<EOF /etc/app.conf\nkey=value\nEOF\n';
  assert.deepEqual(rules(lint(heredoc, { profile: 'baseline' }).findings.filter((f) => f.rule === 'B101')), ['B101 3'], 'the line of the pipe inside the heredoc');
  const escaped = '# escape=`\nFROM debian:trixie\nRUN apt-get update && `\n    apt-get install -y curl && `\n    rm -rf /var/lib/apt/lists/*\n';
  assert.deepEqual(rules(lint(escaped, { profile: 'baseline' }).findings.filter((f) => f.rule === 'B301')), ['B301 4']);
  const execForm = 'FROM debian:trixie\nRUN ["sudo", "apt-get", "update"]\n';
  assert.deepEqual(rules(lint(execForm, { profile: 'baseline' }).findings.filter((f) => f.rule === 'B102')), ['B102 2']);
});

test('a UTF-8 byte-order mark before `# syntax=` does not make D1 fire', () => {
  const text = '\uFEFF# syntax=docker/dockerfile:1\nFROM scratch\n';
  assert.deepEqual(of('D1', text), []);
  assert.deepEqual(rules(of('D1', '\uFEFFFROM scratch\n')), ['D1 1']);
});

test('D1 follows the project record: a mirrored frontend passes, `none` means no line on purpose', () => {
  const mirrored = 'registry.example.com/base/docker/dockerfile:1';
  const line = (value: string) => `# syntax=${value}\nFROM scratch\n`;
  assert.deepEqual(rules(of('D1', line(mirrored))), ['D1 1'], 'without a record only the official frontend passes');
  assert.deepEqual(of('D1', line(mirrored), { syntax: mirrored }), []);
  assert.deepEqual(of('D1', line(`${mirrored}@sha256:${'c'.repeat(64)}`), { syntax: mirrored }), [], 'pinned later by digest');
  assert.deepEqual(rules(of('D1', line('registry.example.com/other/docker/dockerfile:1'), { syntax: mirrored })), ['D1 1'], 'another mirror than recorded');
  assert.deepEqual(of('D1', 'FROM scratch\n', { syntax: null }), [], 'record says none: no line passes');
  assert.match(of('D1', 'FROM scratch\n', { syntax: mirrored })[0]!.message, /registry\.example\.com\/base\/docker\/dockerfile:1/);
  assert.deepEqual(lint('FROM scratch\n', { profile: 'baseline' }).findings.filter((f) => f.rule === 'D1'), [], 'baseline: no syntax line is no error');
});
