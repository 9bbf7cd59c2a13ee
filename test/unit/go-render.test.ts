// The Go project as rendered: its files, which gates leave which traces, the go directive, the
// module proxy and CA wiring, and the lock commands. Pure rendering, no tools needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse as parseYaml } from 'yaml';
import { go } from '../../src/languages/go/index.ts';
import { GO_GATES } from '../../src/languages/go/gates.ts';
import { goDirective } from '../../src/languages/go/context.ts';
import { renderProject } from '../../src/render/render.ts';
import { CI_KINDS, type Gate } from '../../src/options/types.ts';
import { VERSIONS } from '../../src/versions.ts';
import { goOptions } from './go-options.ts';

const MIRROR = 'https://nexus.example.com/repository/go-proxy/';
const BUNDLE = 'registry.example.com/base/ca-bundle:20220405';

test('the default Go project has the layout the README describes', () => {
  const files = renderProject(goOptions({ gates: [...GO_GATES] }));
  assert.deepEqual([...files.keys()].sort(), [
    '.devcontainer/devcontainer.json', '.dockerignore', '.editorconfig', '.github/workflows/ci.yml', '.gitignore', '.hardened-service.json', '.pre-commit-config.yaml', 'Dockerfile', 'README.md',
    'cmd/billing-api/main.go', 'go.mod', 'go.sum', 'internal/server/server.go', 'internal/server/server_test.go',
  ]);
  assert.equal(files.get('go.mod'), `module billing-api\n\ngo ${go.runtimeVersions[0]!.value}\n`);
  assert.equal(files.get('go.sum'), '', 'standard library only: go.sum lists no module');
  assert.match(files.get('cmd/billing-api/main.go')!, /"billing-api\/internal\/server"/);
  assert.match(files.get('cmd/billing-api/main.go')!, /signal\.NotifyContext\(context\.Background\(\), syscall\.SIGTERM, os\.Interrupt\)/);
  const record = JSON.parse(files.get('.hardened-service.json')!) as { answers: Record<string, unknown> };
  assert.equal(record.answers.language, 'go');
  assert.equal(record.answers.manager, 'modules');
});

test('Go offers its own gates, one manager and the supported Go releases, newest first', () => {
  assert.deepEqual(GO_GATES, ['typecheck', 'format', 'lint', 'security', 'test']);
  assert.deepEqual(go.managers.map((m) => m.value), ['modules']);
  assert.deepEqual(go.runtimeVersions.map((v) => v.value), ['1.27', '1.26']);
  assert.deepEqual(go.images(null, '1.26'), { builder: 'golang:1.26-trixie', runtime: 'gcr.io/distroless/static-debian13:nonroot' });
  assert.deepEqual(go.images('registry.example.com/base', '1.27'), {
    builder: 'registry.example.com/base/golang:1.27-trixie',
    runtime: 'registry.example.com/base/distroless/static-debian13:nonroot',
  });
});

/** What each gate leaves in the build; a gate left out must leave none of it. */
const TRACES: Partial<Record<Gate, RegExp[]>> = {
  typecheck: [/go vet/],
  format: [/gofmt/],
  lint: [/staticcheck/],
  security: [/gosec/],
  test: [/go test/, /server_test\.go/],
};

test('each gate appears in the Dockerfile and README exactly when chosen', () => {
  for (const gate of GO_GATES) {
    for (const gates of [[gate], GO_GATES.filter((g) => g !== gate)]) {
      const files = renderProject(goOptions({ gates }));
      const text = [files.get('Dockerfile'), files.get('README.md'), [...files.keys()].join('\n')].join('\n');
      for (const trace of TRACES[gate]!) assert.equal(trace.test(text), gates.includes(gate), `${gate} ${trace} with gates ${gates.join(',')}`);
      assert.match(files.get('Dockerfile')!, new RegExp(`echo "${gates.join(' ')}" > /app/.gates-passed`));
    }
  }
});

test('linters are installed by the pinned version, in the test stage only', () => {
  const dockerfile = renderProject(goOptions({ gates: [...GO_GATES] })).get('Dockerfile')!;
  assert.ok(dockerfile.includes(`go install honnef.co/go/tools/cmd/staticcheck@v${VERSIONS.staticcheck}`));
  assert.ok(dockerfile.includes(`go install github.com/securego/gosec/v2/cmd/gosec@v${VERSIONS.gosec}`));
  const test = dockerfile.indexOf('AS test');
  assert.ok(dockerfile.indexOf('go install') > test && dockerfile.indexOf('go install') < dockerfile.indexOf('COPY cmd/'));
  const overridden = renderProject(goOptions({ gates: ['lint'] }, '1.27')).get('Dockerfile')!;
  assert.doesNotMatch(overridden, /gosec/);
});

test('the module proxy, CA and credentials are wired the Go way, never insecure', () => {
  for (const [mirror, bundle] of [[true, true], [true, false], [false, true], [false, false]] as const) {
    const files = renderProject(goOptions({ indexUrl: mirror ? MIRROR : null, certBundle: bundle ? BUNDLE : null, gates: [...GO_GATES] }));
    const dockerfile = files.get('Dockerfile')!;
    assert.equal(dockerfile.includes(`GOPROXY=${MIRROR}`), mirror);
    assert.equal(/SSL_CERT_FILE=\/etc\/ssl\/certs\/ca-certificates\.crt/.test(dockerfile), bundle);
    assert.equal(/AS cert-bundle/.test(dockerfile), bundle);
    assert.doesNotMatch(dockerfile, /GOINSECURE|-insecure|GONOSUMDB|GOSUMDB=off|GOPRIVATE/);
    // Every RUN that may fetch modules gets the netrc secret; no ARG or ENV carries credentials.
    const fetching = dockerfile.split(/\nRUN /).slice(1).filter((run) => /go (mod download|install|vet|test|build)/.test(run));
    for (const run of fetching) assert.match(run, /--mount=type=secret,id=netrc,target=\/root\/\.netrc,required=false/);
    assert.doesNotMatch(dockerfile, /^ARG .*(NETRC|TOKEN|PASSWORD)/m);
    const readme = files.get('README.md')!;
    assert.equal(readme.includes('GONOSUMDB'), mirror, 'the README explains private modules only with a proxy');
    const inImage = go.managers[0]!.lockInImageCommand(goOptions({ indexUrl: mirror ? MIRROR : null, certBundle: bundle ? BUNDLE : null }));
    assert.equal(inImage.includes(`-e GOPROXY=${MIRROR}`), mirror);
    assert.equal(inImage.includes('-e SSL_CERT_FILE=/etc/ssl/certs/org-ca.pem'), bundle);
    assert.match(inImage, / sh -c 'go mod tidy && chown "\$\(stat -c %u:%g \.\)" go\.mod go\.sum'$/);
  }
});

test('the lock step is `go mod tidy`, with the proxy through the environment', () => {
  const modules = go.managers[0]!;
  assert.deepEqual(modules.lockFiles, ['go.sum']);
  assert.deepEqual(modules.lockCommands(goOptions({ indexUrl: MIRROR })), [{ command: 'go', args: ['mod', 'tidy'], env: { GOPROXY: MIRROR } }]);
  assert.deepEqual(modules.lockCommands(goOptions()), [{ command: 'go', args: ['mod', 'tidy'], env: {} }]);
});

test('the go directive is the chosen Go, lowered by a pinned older `go` version (a preset), never raised', () => {
  assert.equal(goDirective({ runtimeVersion: '1.27', versions: { go: '1.27' } }), '1.27');
  assert.equal(goDirective({ runtimeVersion: '1.26', versions: { go: '1.27' } }), '1.26');
  assert.equal(goDirective({ runtimeVersion: '1.27', versions: { go: '1.24' } }), '1.24');
  assert.equal(goDirective({ runtimeVersion: '1.26', versions: {} }), '1.26');
  const options = { ...goOptions(), versions: { ...goOptions().versions, go: '1.24' } };
  assert.match(renderProject(options).get('go.mod')!, /^go 1\.24$/m);
});

test('overridden images are warned about: the builder must carry the go directive\'s Go', () => {
  assert.deepEqual(go.warnings(goOptions()), []);
  const [warning] = go.warnings(goOptions({ builderImage: 'registry.example.com/golang:1.24' }));
  assert.match(warning!, /Go 1\.27 or newer/);
});

test('CI files for every kind parse, and the Dockerfile names the project\'s binary', () => {
  for (const ci of CI_KINDS) {
    const files = renderProject(goOptions({ ci, directory: 'orders', name: 'orders' }));
    if (ci === 'github') assert.ok(parseYaml(files.get('.github/workflows/ci.yml')!));
    if (ci === 'gitlab') assert.ok(parseYaml(files.get('.gitlab-ci.yml')!));
    if (ci === 'none') assert.ok(![...files.keys()].some((path) => /ci\.yml$|gitlab-ci/.test(path)));
    const dockerfile = files.get('Dockerfile')!;
    assert.match(dockerfile, /go build -trimpath -ldflags=-buildid= -o \/out\/orders \.\/cmd\/orders/);
    assert.match(dockerfile, /ENTRYPOINT \["\/app\/orders"\]/);
    assert.ok(files.has('cmd/orders/main.go'));
  }
});
