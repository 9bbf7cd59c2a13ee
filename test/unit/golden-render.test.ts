// Golden snapshots: every file of a generated project, one golden file per case, for every language
// and manager. UPDATE_GOLDEN=1 rewrites them (review the diff: it is the change in what users get).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LANGUAGES } from '../../src/languages/index.ts';
import { renderProject } from '../../src/render/render.ts';
import { GATES, type Answers } from '../../src/options/types.ts';
import { DOCKERFILE_SYNTAX } from '../../src/versions.ts';
import { testOptions } from '../helpers/options.ts';

const GOLDEN = fileURLToPath(new URL('../golden', import.meta.url));
const REGISTRY = 'registry.example.com/base';
const BUNDLE = 'registry.example.com/base/ca-bundle:20220405';
const TEAM = 'Team Foo <foo@example.com>';
const mirror = (language: string) => LANGUAGES.find((l) => l.value === language)!.mirror.example;
/** A registry with its index mirror, CA bundle and maintainer: what a platform team's preset sets. */
const company = (language: string) => ({ registry: REGISTRY, certBundle: BUNDLE, indexUrl: mirror(language), maintainer: TEAM });

/**
 * The cases: [golden file name, answers]. The first six predate this table and name the public
 * frontend (their projects were made before a registry implied a mirrored one); the others take
 * the product's default, so a registry case has `REGISTRY/docker/dockerfile:1`.
 */
const CASES: Array<[string, Partial<Answers>]> = [
  ['pipenv-bundle-registry-all-github', { manager: 'pipenv', ...company('python'), gates: [...GATES], ci: 'github', syntax: DOCKERFILE_SYNTAX }],
  ['poetry-public-subset-gitlab', { manager: 'poetry', gates: ['typecheck', 'format', 'test'], ci: 'gitlab', syntax: DOCKERFILE_SYNTAX }],
  ['uv-registry-all-none', { manager: 'uv', registry: REGISTRY, indexUrl: mirror('python'), gates: [...GATES], ci: 'none', syntax: DOCKERFILE_SYNTAX }],
  ['pip-tools-bundle-public-lint-security-github', { manager: 'pip-tools', certBundle: BUNDLE, maintainer: TEAM, gates: ['lint', 'security'], ci: 'github', syntax: DOCKERFILE_SYNTAX }],
  ['go-bundle-registry-proxy-all-github', { language: 'go', manager: 'modules', ...company('go'), gates: ['typecheck', 'format', 'lint', 'security', 'test'], ci: 'github', syntax: DOCKERFILE_SYNTAX }],
  ['go-public-subset-gitlab', { language: 'go', manager: 'modules', gates: ['typecheck', 'format', 'test'], ci: 'gitlab', syntax: DOCKERFILE_SYNTAX }],
  ['pipenv-python311-public-bdd-gitlab', { manager: 'pipenv', runtimeVersion: '3.11', gates: ['bdd'], ci: 'gitlab' }],
  ['poetry-bundle-registry-all-github', { manager: 'poetry', ...company('python'), gates: [...GATES], ci: 'github' }],
  ['uv-bundle-public-test-github', { manager: 'uv', certBundle: BUNDLE, gates: ['test'], ci: 'github' }],
  ['pip-tools-registry-all-gitlab', { manager: 'pip-tools', registry: REGISTRY, indexUrl: mirror('python'), gates: [...GATES], ci: 'gitlab' }],
  ['go126-registry-nosyntax-lint-none', { language: 'go', manager: 'modules', runtimeVersion: '1.26', registry: REGISTRY, indexUrl: mirror('go'), gates: ['lint'], ci: 'none', syntax: null }],
  ['node-npm-public-all-github', { language: 'node', manager: 'npm', gates: ['typecheck', 'format', 'lint', 'test'], ci: 'github' }],
  ['node-npm-bundle-registry-subset-gitlab', { language: 'node', manager: 'npm', runtimeVersion: '22', ...company('node'), gates: ['typecheck', 'test'], ci: 'gitlab' }],
  ['node-pnpm-bundle-registry-all-github', { language: 'node', manager: 'pnpm', ...company('node'), gates: ['typecheck', 'format', 'lint', 'test'], ci: 'github' }],
  ['node-pnpm-public-format-lint-none', { language: 'node', manager: 'pnpm', runtimeVersion: '26', gates: ['format', 'lint'], ci: 'none' }],
  ['java-maven-public-github', { language: 'java', manager: 'maven', gates: ['test'], ci: 'github' }],
  ['java17-maven-bundle-registry-gitlab', { language: 'java', manager: 'maven', runtimeVersion: '17', ...company('java'), gates: ['test'], ci: 'gitlab' }],
  ['go-public-no-devcontainer-no-pre-commit-none', { language: 'go', manager: 'modules', devcontainer: false, preCommit: false, ci: 'none' }],
];

function snapshot(answers: Partial<Answers>): string {
  const files = renderProject(testOptions({ directory: 'billing-api', ...answers }));
  return [...files].map(([path, content]) => `===== ${path} =====\n${content}`).join('\n');
}

for (const [name, answers] of CASES) {
  test(`golden: ${name}`, () => {
    const file = join(GOLDEN, `${name}.txt`);
    const actual = snapshot(answers);
    if (process.env.UPDATE_GOLDEN === '1') {
      mkdirSync(GOLDEN, { recursive: true });
      writeFileSync(file, actual);
    }
    assert.ok(existsSync(file), `${file} is missing: run with UPDATE_GOLDEN=1 to create it`);
    assert.equal(actual, readFileSync(file, 'utf8'), `${name} differs from ${file} (UPDATE_GOLDEN=1 rewrites it after review)`);
  });
}

test('the golden cases cover every language x manager, and every golden file has its case', () => {
  const covered = new Set(CASES.map(([, answers]) => `${answers.language ?? 'python'}/${answers.manager}`));
  for (const language of LANGUAGES) for (const manager of language.managers) assert.ok(covered.has(`${language.value}/${manager.value}`), `${language.value}/${manager.value} has no golden`);
  const names = CASES.map(([name]) => `${name}.txt`);
  assert.equal(new Set(names).size, names.length, 'one golden file per case');
  assert.deepEqual(readdirSync(GOLDEN).filter((file) => !names.includes(file)), [], 'a golden file no case writes');
});
