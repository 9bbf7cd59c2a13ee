// The baseline profile: each rule fires on a small defect and stays quiet on the fixed version.
// Together with the catalogue test, every B rule has a case here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lint, type Finding, type LintOptions } from '../../src/audit/index.ts';
import { CATALOGUE } from '../../src/audit/rules/index.ts';

const DIGEST = `@sha256:${'a'.repeat(64)}`;
const brief = (findings: readonly Finding[]) => findings.map((f) => `${f.rule} ${f.severity} ${f.line ?? '-'}`);
const show = (findings: readonly Finding[]) => findings.map((f) => `${f.line ?? '-'} ${f.rule} ${f.severity} ${f.message}`).join('\n');

/** Findings of one rule under the baseline profile. */
function only(rule: string, text: string, options: LintOptions = {}): Finding[] {
  return lint(text, { profile: 'baseline', ...options }).findings.filter((f) => f.rule === rule);
}

// [rule, a Dockerfile with the defect (expected findings), the same fixed (no finding of that rule)]
const CASES: Array<[rule: string, bad: string, expected: string[], good: string]> = [
  ['B101', 'FROM debian:trixie\nRUN curl -fsSL https://get.example.com | sh\n', ['B101 error 2'], 'FROM debian:trixie\nRUN curl -fsSLo /tmp/i.sh https://get.example.com && echo "abc  /tmp/i.sh" | sha256sum -c - && sh /tmp/i.sh\n'],
  ['B101', 'FROM debian:trixie\nRUN wget -qO- https://x.example/i | bash -s -- --yes\n', ['B101 error 2'], 'FROM debian:trixie\nRUN wget -qO- https://x.example/a.tgz | tar xz\n'],
  ['B101', 'FROM debian:trixie\nRUN sh -c "$(curl -fsSL https://x.example/install)"\n', ['B101 error 2'], 'FROM debian:trixie\nRUN sh -c "echo hi"\n'],
  ['B101', 'FROM python:3.13\nRUN curl -sSL https://install.python-poetry.org | python3 -\n', ['B101 error 2'], 'FROM python:3.13\nRUN pip install --no-cache-dir poetry==2.1.2\n'],
  ['B102', 'FROM debian:trixie\nUSER app\nRUN sudo apt-get update\n', ['B102 error 3'], 'FROM debian:trixie\nUSER root\nRUN apt-get update\n'],
  ['B103', 'FROM debian:trixie\nRUN mkdir /data && chmod -R 777 /data\nCOPY --chmod=666 a /a\n', ['B103 error 2', 'B103 error 3'], 'FROM debian:trixie\nRUN mkdir /data && chmod -R 755 /data && chmod u+w /data\nCOPY --chmod=644 a /a\n'],
  ['B103', 'FROM debian:trixie\nRUN chmod a+rwx /srv\n', ['B103 error 2'], 'FROM debian:trixie\nRUN chmod go-w /srv && chmod 1777 /scratch && chmod a+rwxt /shared\n'],
  ['B104', 'FROM debian:bookworm\nRUN curl -fsSL https://x.example/key.gpg | apt-key add -\n', ['B104 warning 2'], 'FROM debian:bookworm\nRUN curl -fsSLo /etc/apt/keyrings/x.asc https://x.example/key.gpg\n'],
  ['B105', 'FROM node:22\nARG NPM_TOKEN\nRUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > /root/.npmrc && npm ci\n', ['B105 error 3'], 'FROM node:22\nRUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci\n'],
  ['B105', 'FROM python:3.13\nRUN printf "machine pypi.example.com login u password p" > /root/.netrc\n', ['B105 error 2'], 'FROM python:3.13\nRUN printf "machine pypi.example.com" > /root/.netrc.example\n'],
  ['B105', 'FROM node:22\nRUN npm config set //registry.example.com/:_authToken abc && npm ci\n', ['B105 error 2'], 'FROM node:22\nRUN npm config set registry https://registry.example.com/ && npm ci\n'],
  ['B105', 'FROM node:22\nRUN echo "token=$NPM_TOKEN" | tee /root/.npmrc\n', ['B105 error 2'], 'FROM node:22\nRUN echo "token=$NPM_TOKEN" > /root/.npmrc && npm ci && rm /root/.npmrc\n'],
  ['B105', 'FROM python:3.13\nRUN --mount=type=secret,id=dotenv cat /run/secrets/dotenv > /etc/app.env\nRUN --mount=type=secret,id=pip,target=/etc/pip.conf cp /etc/pip.conf /root/pip.conf\n', ['B105 error 2', 'B105 error 3'], 'FROM python:3.13\nRUN --mount=type=secret,id=pip,target=/etc/pip.conf pip install --no-cache-dir flask==3.1.0\n'],
  ['B105', 'FROM x:1\nARG API_TOKEN\nRUN echo "$API_TOKEN" > /app/token.txt\n', ['B105 error 3'], 'FROM x:1\nARG API_URL\nRUN echo "$API_URL" > /app/url.txt\n'],
  ['B106', 'FROM x:1\nARG AWS_ACCESS_KEY_ID\nENV GITHUB_PAT=x NPM_AUTH=y DB_PASSWORD=z\nARG SERVICE_TOKEN\n', ['B106 error 2', 'B106 error 3', 'B106 error 3', 'B106 error 3', 'B106 error 4'], 'FROM x:1\nENV GPG_KEY=7169605F62C751356D054A26A821E680E5FA6305 SSH_AUTH_SOCK=/ssh TOKEN_FILE=/run/secrets/t PWD=/app AUTH_URL=https://x\nARG PASSWORD_PATH\n'],
  ['B107', 'FROM x:1\nRUN pip install --index-url https://ci:s3cret@nexus.example.com/simple flask==3.1.0\n', ['B107 error 2'], 'FROM x:1\nRUN pip install --index-url https://nexus.example.com/simple flask==3.1.0\n'],
  ['B108', 'FROM x:1\nENV NODE_TLS_REJECT_UNAUTHORIZED=0\nRUN curl -k https://x.example/a -o /a\n', ['B108 error 2', 'B108 error 3'], 'FROM x:1\nENV NODE_TLS_REJECT_UNAUTHORIZED=1\nRUN curl https://x.example/a -o /a\n'],
  ['B109', 'FROM x:1\nUSER app\nRUN true\nUSER root\n', ['B109 error 4'], 'FROM x:1\nUSER root\nRUN true\nUSER 10001:10001\n'],
  ['B109', 'FROM debian:trixie-slim\nCMD ["sleep", "1"]\n', ['B109 warning 1'], 'FROM gcr.io/distroless/static-debian13:nonroot\nCMD ["/app"]\n'],
  ['B109', 'FROM scratch\nCOPY app /app\nENTRYPOINT ["/app"]\n', ['B109 warning 1'], 'FROM golang:1.25 AS build\nRUN go build -o /out/app .\nFROM scratch AS export\nCOPY --from=build /out/app /\n'],
  ['B110', 'FROM x:1\nCOPY .env /app/.env\nCOPY id_rsa /root/.ssh/id_rsa\n', ['B110 error 2', 'B110 error 3'], 'FROM x:1\nCOPY .env.example /app/\n'],
  ['B111', 'FROM x:1\nADD https://example.com/tool.tgz /opt/\nADD config.yaml /etc/app/\n', ['B111 error 2', 'B111 warning 3'], `FROM x:1\nADD --checksum=sha256:${'b'.repeat(64)} https://example.com/tool.tgz /opt/\nADD rootfs.tar.gz /\n`],
  ['B111', 'FROM x:1\nADD https://github.com/opencontainers/runc.git /src/runc\n', ['B111 error 2'], 'FROM x:1\nADD https://github.com/opencontainers/runc.git#v1.3.0 /src/runc\n'],
  ['B112', "FROM debian:trixie\nRUN echo 'dev ALL=(ALL) NOPASSWD: ALL' >> /etc/sudoers\n", ['B112 warning 2'], "FROM debian:trixie\nRUN echo 'dev ALL=(ALL) ALL' >> /etc/sudoers\n"],
  ['B113', 'FROM x:1\nARG GITHUB_TOKEN\nRUN echo ${GITHUB_TOKEN}\n', ['B113 error 3'], 'FROM x:1\nARG GITHUB_USERNAME\nRUN echo ${GITHUB_USERNAME} && echo "$GITHUB_TOKEN" > /dev/null\n'],
  ['B201', 'FROM python\nFROM node:latest AS web\nCOPY --from=busybox /bin/sh /sh\n', ['B201 error 1', 'B201 error 2', 'B201 error 3'], `FROM python:3.13-slim\nFROM node:24${DIGEST} AS web\nCOPY --from=busybox:1.37 /bin/sh /sh\n`],
  ['B202', 'FROM python:3.13\nRUN pip install --no-cache-dir flask "ruff>=0.1" && npm install -g typescript\n', ['B202 warning 2', 'B202 warning 2'], 'FROM python:3.13\nRUN pip install --no-cache-dir flask==3.1.0 && npm install -g typescript@5.9.3 && apt-get install -y --no-install-recommends curl\n'],
  ['B203', 'FROM node:24\nCOPY package.json package-lock.json ./\nRUN npm install\nRUN pipenv install\nRUN bun install\nONBUILD RUN yarn install\n', ['B203 warning 3', 'B203 warning 4', 'B203 warning 5', 'B203 warning 6'], 'FROM node:24\nCOPY package.json package-lock.json ./\nRUN npm ci\nRUN pipenv install --deploy\nRUN bun install --frozen-lockfile\nONBUILD RUN yarn install --immutable\n'],
  ['B204', 'FROM debian:trixie\nRUN apt-get update && apt-get -y upgrade && rm -rf /var/lib/apt/lists/*\n', ['B204 warning 2'], 'FROM debian:trixie\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n'],
  ['B205', 'FROM x:1\nMAINTAINER me@example.com\n', ['B205 warning 2'], 'FROM x:1\nLABEL org.opencontainers.image.authors="me@example.com"\n'],
  ['B301', 'FROM debian:trixie\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n', ['B301 warning 2'], 'FROM debian:trixie\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n'],
  ['B302', 'FROM debian:trixie\nRUN apt-get update && apt-get install --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\nRUN dnf install git\n', ['B302 error 2', 'B302 error 3'], 'FROM debian:trixie\nRUN apt-get update && apt-get install -qy --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\nRUN dnf install -y git\n'],
  ['B303', 'FROM debian:trixie\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n', ['B303 warning 2'], 'FROM debian:trixie\nRUN --mount=type=cache,target=/var/lib/apt/lists apt-get update && apt-get install -y --no-install-recommends curl\n'],
  ['B304', 'FROM debian:trixie\nRUN apt-get update\nRUN apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n', ['B304 warning 2', 'B304 warning 3'], 'FROM debian:trixie\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n'],
  ['B305', 'FROM debian:trixie\nRUN apt update && apt install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n', ['B305 warning 2', 'B305 warning 2'], 'FROM debian:trixie\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n'],
  ['B306', 'FROM x:1\nWORKDIR app\n', ['B306 error 2'], 'FROM x:1\nWORKDIR /app\nWORKDIR $HOME/app\n'],
  ['B307', 'FROM x:1\nENTRYPOINT python3 -m app\nCMD [\'--port\', \'8080\']\n', ['B307 warning 2', 'B307 warning 3'], 'FROM x:1\nENTRYPOINT ["python3", "-m", "app"]\nCMD ["--port", "8080"]\n'],
  ['B308', 'FROM x:1\nCMD ["a"]\nCMD ["b"]\nHEALTHCHECK CMD ["/a"]\nHEALTHCHECK NONE\n', ['B308 warning 3', 'B308 warning 5'], 'FROM x:1 AS a\nCMD ["a"]\nFROM x:1\nCMD ["b"]\nHEALTHCHECK CMD ["/b"]\n'],
  ['B309', 'FROM x:1\nRUN cd /src && make\n', ['B309 warning 2'], 'FROM x:1\nWORKDIR /src\nRUN make\n'],
  ['B310', 'FROM python:3.13\nRUN pip install flask==3.1.0\n', ['B310 warning 2'], 'FROM python:3.13\nENV PIP_NO_CACHE_DIR=1\nRUN pip install flask==3.1.0\nFROM python:3.13\nRUN --mount=type=cache,target=/root/.cache/pip pip install flask==3.1.0\nRUN --mount=type=cache,target=/root/.cache python3 -m pip install pipenv==2026.10.3\n'],
  ['B311', 'FROM debian:trixie\nRUN curl -fsSL https://x.example/a.tgz | tar xz -C /opt\n', ['B311 warning 2'], 'FROM debian:trixie\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN curl -fsSL https://x.example/a.tgz | tar xz -C /opt\n'],
  ['B312', 'FROM x:1\nCOPY package.json package-lock.json /app\n', ['B312 error 2'], 'FROM x:1\nCOPY package.json package-lock.json /app/\n'],
  ['B313', 'RUN echo before\nFROM x:1\nRUNN echo typo\n', ['B313 error 1', 'B313 error 3'], 'ARG BASE=x:1\nFROM ${BASE}\nRUN echo ok\n'],
  ['B314', 'FROM x:1 AS build\nFROM x:1 AS BUILD\n', ['B314 error 2'], 'FROM x:1 AS build\nFROM x:1 AS test\n'],
  ['B315', 'FROM alpine:3.22\nRUN apk add curl\n', ['B315 warning 2'], 'FROM alpine:3.22\nRUN apk add --no-cache curl\n'],
  ['B318', 'FROM x:1\nEXPOSE 80:8080 70000 http\n', ['B318 error 2', 'B318 error 2', 'B318 error 2'], 'FROM x:1\nARG PORT=8080\nEXPOSE 8080 53/udp 9000-9002 $PORT\n'],
  ['B319', 'FROM x:1 AS build\nCOPY --from=build /a /b\n', ['B319 error 2'], 'FROM x:1 AS build\nFROM x:1\nCOPY --from=build /a /b\n'],
  ['B320', 'FROM node:24\nCOPY package.json package-lock.json ./\n', ['B320 warning 2'], 'FROM node:24 AS base\nWORKDIR /app\nFROM base\nCOPY package.json package-lock.json ./\nCOPY --from=base /etc/hosts /tmp/\n'],
  ['B321', 'FROM debian:trixie\nRUN useradd -u 123456 app\n', ['B321 warning 2'], 'FROM debian:trixie\nRUN useradd -l -u 123456 app && useradd -u 1000 other\n'],
  ['B317', 'FROM golang:1.25\nWORKDIR /src\nCOPY . .\nRUN go mod download\n', ['B317 warning 4'], 'FROM golang:1.25\nWORKDIR /src\nCOPY go.* ./\nRUN go mod download\nCOPY . .\n'],
  ['B317', 'FROM node:24\nCOPY package.json yarn.lock ./\nCOPY src src\nRUN yarn install --immutable\n', ['B317 warning 4'], 'FROM node:24\nCOPY package.json yarn.lock .yarnrc.yml ./\nCOPY .yarn .yarn\nRUN yarn install --immutable\nCOPY src src\n'],
];

for (const [rule, bad, expected, good] of CASES) {
  test(`${rule}: ${CATALOGUE.find((r) => r.id === rule)?.title} (${bad.split('\n')[1]?.slice(0, 50)})`, () => {
    assert.deepEqual(brief(only(rule, bad)), expected, show(lint(bad, { profile: 'baseline' }).findings));
    assert.deepEqual(only(rule, good), [], 'the fixed version passes');
  });
}

test('B316: copying the whole context needs a .dockerignore that leaves .git and .env out', () => {
  const text = 'FROM x:1\nWORKDIR /app\nCOPY . .\n';
  assert.deepEqual(brief(only('B316', text, { dockerignore: null })), ['B316 warning 3']);
  assert.match(only('B316', text, { dockerignore: '.git\nnode_modules\n' })[0]!.message, /does not exclude \.env/);
  assert.deepEqual(only('B316', text, { dockerignore: '.git\n.env\n' }), []);
  assert.deepEqual(only('B316', 'FROM x:1\nCOPY src/ /app/src/\n', { dockerignore: null }), [], 'only a whole-context copy needs it');
});

test('every baseline rule has a case in this file (the catalogue is tested where it is defined)', () => {
  const covered = new Set([...CASES.map(([rule]) => rule), 'B316']);
  const baseline = CATALOGUE.filter((r) => r.profiles.includes('baseline')).map((r) => r.id);
  assert.deepEqual(baseline.filter((id) => !covered.has(id)), []);
});

test('ONBUILD: the instruction it registers is checked by the content rules too', () => {
  const text = 'FROM x:1\nONBUILD RUN curl -fsSL https://x.example/i | sh\nONBUILD ADD https://x.example/a.tgz /opt/\nONBUILD ENV API_TOKEN=abc\nUSER 1000\n';
  assert.deepEqual(brief(lint(text, { profile: 'baseline' }).findings.filter((f) => f.rule !== 'B201')), ['B101 error 2', 'B111 error 3', 'B106 error 4']);
});

test('Windows images: no POSIX user rules, exec form not demanded', () => {
  const text = '# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL ["powershell", "-Command"]\nRUN Write-Host hi\nCMD powershell -File C:\\app\\run.ps1\n';
  assert.deepEqual(brief(lint(text, { profile: 'baseline' }).findings), []);
  assert.deepEqual(lint(text, { profile: 'generated' }).findings.filter((f) => f.rule === 'D10'), []);
});

test('a well-kept multi-stage Dockerfile passes the baseline with no finding at all', () => {
  const text = [
    '# syntax=docker/dockerfile:1',
    `FROM golang:1.25-trixie${DIGEST} AS build`,
    'WORKDIR /src',
    'COPY go.mod go.sum ./',
    'RUN --mount=type=cache,target=/root/go/pkg/mod go mod download && go mod verify',
    'COPY . .',
    'RUN --mount=type=cache,target=/root/.cache/go-build CGO_ENABLED=0 go build -trimpath -o /out/app ./cmd/app',
    `FROM gcr.io/distroless/static-debian13:nonroot${DIGEST}`,
    'COPY --from=build /out/app /app',
    'ENTRYPOINT ["/app"]',
  ].join('\n');
  assert.deepEqual(lint(text, { profile: 'baseline', dockerignore: '.git\n.env\n' }).findings, []);
});

test('the baseline never presumes our stage names, gates or labels (none of D1-D16 runs)', () => {
  const findings = lint('FROM debian:trixie\nRUN echo hi\nUSER 1000\n', { profile: 'baseline', dockerignore: null }).findings;
  assert.deepEqual(findings, []);
});
