// The plug-in contract every language module meets, checked on all of them: a new language is a
// new folder, and these tests hold it to what the wizard, the preset schema and the audit expect.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { auditDockerfile } from '../../src/audit/index.ts';
import { isLanguageId, LANGUAGES, languageById, type LanguageId, type ManagerId, type ManagerIdOf } from '../../src/languages/index.ts';
import { renderProject } from '../../src/render/render.ts';
import { checkAnswer, settle } from '../../src/answer-rules.ts';
import { GATES } from '../../src/options/types.ts';
import { checkImage, checkIndexUrl, UsageError } from '../../src/options/validate.ts';
import { VERSIONS } from '../../src/versions.ts';
import { auditContextOf } from '../helpers/audit-context.ts';
import { testOptions } from '../helpers/options.ts';

test('every language offers managers, versions and gates the validators accept', () => {
  for (const language of LANGUAGES) {
    const at = (what: string) => `${language.value}: ${what}`;
    assert.ok(language.managers.some((m) => m.value === language.defaultManager), at('the default manager is offered'));
    assert.ok(language.runtimeVersions.length > 0, at('offers a runtime version'));
    for (const version of language.runtimeVersions) {
      assert.equal(checkAnswer('runtimeVersion', version.value, '--runtime-version', { language: language.value }), version.value, at(version.value));
    }
    const gates = language.gates.map((g) => g.value);
    assert.deepEqual(gates, GATES.filter((g) => gates.includes(g)), at('gates are a subset of GATES, cheapest first'));
    assert.ok(language.gates.every((g) => g.hint), at('every gate names its tool'));
    assert.equal(checkImage(language.examples.builderImage, '--builder-image', ''), language.examples.builderImage);
    assert.equal(checkImage(language.examples.runtimeImage, '--runtime-image', ''), language.examples.runtimeImage);
    assert.equal(checkIndexUrl(language.mirror.example), language.mirror.example);
  }
});

test('LanguageId and ManagerId are the unions of the registry (checked by the type checker too)', () => {
  const languages: LanguageId[] = ['python', 'go', 'node', 'java'];
  const managers: ManagerId[] = ['pipenv', 'poetry', 'uv', 'pip-tools', 'modules', 'npm', 'pnpm', 'maven'];
  const node: Array<ManagerIdOf<'node'>> = ['npm', 'pnpm'];
  // @ts-expect-error: not a language of the registry
  const rust: LanguageId = 'rust';
  // @ts-expect-error: a manager of another language
  const wrong: ManagerIdOf<'node'> = 'pipenv';
  assert.deepEqual(LANGUAGES.map((language) => language.value), languages);
  assert.deepEqual(LANGUAGES.flatMap((language) => language.managers.map((manager) => manager.value)), managers);
  assert.deepEqual(languageById('node').managers.map((manager) => manager.value), node);
  assert.equal(isLanguageId(rust), false);
  assert.equal(isLanguageId(wrong), false);
  assert.equal(isLanguageId('java'), true);
});

test('every pinned version belongs to a language, and every language pins only known tools', () => {
  const claimed = LANGUAGES.flatMap((language) => language.tools);
  for (const tool of claimed) assert.ok(Object.hasOwn(VERSIONS, tool), `${tool} is in src/versions.ts`);
  assert.deepEqual(Object.keys(VERSIONS).filter((tool) => !claimed.includes(tool)), [], 'no orphan pins');
});

test("each language's defaults render a project whose Dockerfile passes the audit, recording only its own pins", () => {
  for (const language of LANGUAGES) {
    const files = renderProject(testOptions({ language: language.value, manager: language.defaultManager }));
    for (const path of ['Dockerfile', '.dockerignore', 'README.md', '.gitignore', '.hardened-service.json']) {
      assert.ok(files.has(path), `${language.value} renders ${path}`);
    }
    const findings = auditDockerfile(files.get('Dockerfile')!, auditContextOf(files));
    assert.deepEqual(findings.filter((f) => f.severity === 'error'), [], language.value);
    const record = JSON.parse(files.get('.hardened-service.json')!) as { versions: Record<string, string> };
    assert.deepEqual(Object.keys(record.versions), [...language.tools], `${language.value} records its own pins`);
  }
});

test('a gate the chosen language does not offer is a usage error naming --gates', () => {
  for (const language of LANGUAGES) {
    for (const gate of GATES.filter((g) => !language.gates.some((offered) => offered.value === g))) {
      assert.throws(() => settle({ language: language.value, gates: gate }, undefined), (error: unknown) => {
        assert.ok(error instanceof UsageError);
        assert.match(error.message, new RegExp(`^--gates: .*${language.label.replace(/[()]/g, "\\$&")} does not offer`));
        return true;
      });
    }
  }
});

test('--python applies to Python only: other languages name --runtime-version in the error', () => {
  const others = LANGUAGES.filter((language) => language.value !== 'python');
  for (const language of others) {
    const version = language.runtimeVersions[0]!.value;
    assert.throws(() => settle({ language: language.value, runtimeVersion: version }, undefined, { runtimeVersion: '--python' }), /--python: applies to --language python only.*--runtime-version/);
    assert.equal(settle({ language: language.value, runtimeVersion: version }, undefined).fixed.runtimeVersion, version);
  }
  assert.equal(settle({ runtimeVersion: '3.11' }, undefined, { runtimeVersion: '--python' }).fixed.runtimeVersion, '3.11');
});

test("the CI pipeline hands over the same build secret the language's Dockerfile mounts", () => {
  for (const language of LANGUAGES) {
    for (const ci of ['github', 'gitlab'] as const) {
      const files = renderProject(testOptions({ language: language.value, ci, indexUrl: language.mirror.example }));
      const pipeline = files.get(ci === 'github' ? '.github/workflows/ci.yml' : '.gitlab-ci.yml')!;
      const { id, variable } = language.buildSecret;
      // GitLab: --secret from a File variable; GitHub: build-push-action's secret-envs from the secret.
      assert.match(pipeline, new RegExp(`--secret id=${id},src=|secret-envs: ${id}=`), `${language.value} ${ci}`);
      assert.ok(pipeline.includes(variable), `${language.value} ${ci} names ${variable}`);
      assert.match(files.get('Dockerfile')!, new RegExp(`--mount=type=secret,id=${id}[,\\s]`), `${language.value}: the Dockerfile mounts ${id}`);
    }
  }
});

/** Every `import … from '…'` of the .ts files under a folder, resolved to a path under src/. */
function imports(dir: string): Array<{ file: string; to: string }> {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .flatMap((f) =>
      [...readFileSync(join(dir, f), 'utf8').matchAll(/^import[^'"]*['"]([^'"]+)['"]/gm)].map((m) => ({ file: join(dir, f), to: m[1]!.startsWith('.') ? join(dir, f, '..', m[1]!) : m[1]! })),
    );
}

test('layering: the kit sits below the languages, and neither imports its caller (render/) or the wizard', () => {
  for (const { file, to } of imports('src/kit')) assert.doesNotMatch(to, /^src\/(languages|render|cli|prompts|write)\//, `${file} imports ${to}`);
  for (const { file, to } of imports('src/languages')) assert.doesNotMatch(to, /^src\/(render|cli|prompts|write|tasks|audit)\//, `${file} imports ${to}`);
  // The command printer is the one the lock task prints with (tasks/which.ts), and nothing else of tasks/.
  assert.deepEqual(imports('src/kit').filter(({ to }) => to.startsWith('src/tasks/')).map(({ to }) => to), ['src/tasks/which.ts']);
});
