// The ecosystem facts (src/ecosystems): every manager a language offers has an entry, the module
// stands below both the languages and the audit, each entry's own example commands satisfy it, and
// the generated projects write exactly those commands (one home for how a manager installs, locks
// and tests: the Dockerfiles, the READMEs and the in-image lock line all come from it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ECOSYSTEMS, ecosystemById, ecosystemOf, LANGUAGE_FACTS } from '../../src/ecosystems/index.ts';
import { LANGUAGES } from '../../src/languages/index.ts';
import { shellCommands } from '../../src/audit/shell.ts';
import { gateOf } from '../../src/audit/commands.ts';
import { auditDockerfile } from '../../src/audit/index.ts';
import { showCommand } from '../../src/kit/command.ts';
import { renderProject } from '../../src/render/render.ts';
import { auditContextOf } from '../helpers/audit-context.ts';
import { testOptions } from '../helpers/options.ts';

test('every manager each language offers has its ecosystem entry, of that language', () => {
  for (const language of LANGUAGES) {
    assert.ok(Object.hasOwn(LANGUAGE_FACTS, language.value), `${language.value} has its row in src/ecosystems/languages.ts`);
    for (const manager of language.managers) {
      const entry = ecosystemById(manager.value);
      assert.ok(entry, `${language.value}/${manager.value} has no entry in src/ecosystems`);
      assert.equal(entry.language, language.value, `${manager.value} belongs to ${language.value}`);
    }
  }
  assert.equal(new Set(ECOSYSTEMS.map((e) => e.id)).size, ECOSYSTEMS.length);
});

function imports(dir: string): Array<{ file: string; from: string }> {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .flatMap((f) => [...readFileSync(join(dir, f), 'utf8').matchAll(/^import[^'"]*['"]([^'"]+)['"]/gm)].map((m) => ({ file: join(dir, f), from: m[1]! })));
}

test('layering: ecosystems import nothing of the project; the audit imports neither languages nor answers', () => {
  for (const { file, from } of imports('src/ecosystems')) assert.ok(from.startsWith('./') && !from.includes('/', 2), `${file} imports ${from}`);
  for (const { file, from } of imports('src/audit')) assert.ok(!/\/(languages|options|cli|render|prompts)\//.test(from), `${file} imports ${from}`);
});

const one = (script: string) => shellCommands(script).filter((c) => ecosystemOf(c) || c.wrappers.length);

test("each entry's example commands are what its own checks accept", () => {
  for (const e of ECOSYSTEMS) {
    const install = one(e.examples.install);
    assert.ok(install.some((c) => e.installs(c)), `${e.id}: '${e.examples.install}' installs`);
    const uses = install.map((c) => e.lockUse(c, new Map(), true)?.kind);
    assert.ok(uses.includes('enforced') && !uses.includes('unenforced'), `${e.id}: '${e.examples.install}' enforces the lock`);
    assert.ok(one(e.examples.installDev).some((c) => e.installs(c) && e.installsDev(c)), `${e.id}: '${e.examples.installDev}' installs dev dependencies`);
    assert.ok(install.every((c) => e.locksAnew(c) === null), `${e.id}: installing does not lock anew`);
    if (e.lockFiles.length) assert.ok(one(e.examples.lock).some((c) => e.locksAnew(c) !== null), `${e.id}: '${e.examples.lock}' locks anew`);
    const tests = shellCommands(e.examples.test);
    assert.ok(tests.some((c) => e.runsTests(c) || gateOf(c) === 'test'), `${e.id}: '${e.examples.test}' runs the tests`);
  }
});

test('the commands issue 12 found misread: npm --version installs nothing, mvn install runs tests, uv run syncs', () => {
  const [npmVersion] = shellCommands('npm --version');
  assert.equal(ecosystemById('npm')!.installs(npmVersion!), false);
  const [mvnInstall] = shellCommands('mvn -B install');
  assert.equal(ecosystemById('maven')!.runsTests(mvnInstall!), true);
  const uv = ecosystemById('uv')!;
  assert.equal(uv.lockUse({ tool: 'uv', args: ['run', 'pytest'] }, new Map(), false)?.kind, 'unenforced');
  assert.equal(uv.lockUse({ tool: 'uv', args: ['run', '--locked', 'pytest'] }, new Map(), false)?.kind, 'enforced');
  assert.equal(uv.lockUse({ tool: 'uv', args: ['sync'] }, new Map([['UV_LOCKED', '1']]), false)?.kind, 'enforced');
  assert.equal(uv.skipsProject?.({ tool: 'uv', args: ['sync', '--locked', '--no-install-project'] }), true);
});

test('every language x manager renders its ecosystem\'s commands: locked install, dev install, tests, lock and its check', () => {
  for (const language of LANGUAGES) {
    for (const manager of language.managers) {
      const e = ecosystemById(manager.value)!;
      for (const mirror of [null, language.mirror.example]) {
        const at = `${language.value}/${manager.value}${mirror ? ' +mirror' : ''}`;
        const options = testOptions({ language: language.value, manager: manager.value, indexUrl: mirror });
        const files = renderProject(options);
        const dockerfile = files.get('Dockerfile')!;
        const readme = files.get('README.md')!;
        assert.ok(dockerfile.includes(e.examples.install), `${at}: the Dockerfile installs with '${e.examples.install}'`);
        assert.ok(dockerfile.includes(e.examples.installDev), `${at}: the Dockerfile installs dev dependencies with '${e.examples.installDev}'`);
        // The tests run as the manager runs them, or by the gate's own tool (pytest from the venv), which the audit knows as the test gate.
        // The RUN's shell text, without the instruction and its mounts (the tests may be its first command).
        const gateRun = dockerfile.slice(dockerfile.lastIndexOf('\nRUN ', dockerfile.indexOf('/app/.gates-passed'))).replace(/^\nRUN\s+(--mount=\S+\s+(\\\n\s*)?)*/, '');
        assert.ok(gateRun.includes(e.examples.test) || shellCommands(gateRun).some((c) => gateOf(c) === 'test'), `${at}: the gate RUN runs the tests`);
        if (e.lock?.check) assert.ok(dockerfile.includes(`# ${e.lock.check}`), `${at}: the Dockerfile says why the install cannot drift`);
        const commands = e.lock?.commands(mirror) ?? [];
        assert.deepEqual(manager.lockCommands(options), commands, `${at}: the lock step runs the ecosystem's lock`);
        for (const command of commands) assert.ok(readme.includes(`\n${showCommand(command)}\n`), `${at}: the README prints '${showCommand(command)}'`);
        const inImage = manager.lockInImageCommand(options);
        // Maven has no lock: its README explains the pinned POM instead.
        if (commands.length) assert.ok(readme.includes(inImage), `${at}: the README prints the in-image lock`);
        for (const command of commands) assert.ok(inImage.includes(showCommand({ command: command.command, args: command.args })), `${at}: the in-image lock runs '${command.command}'`);
        assert.deepEqual(manager.lockFiles, (e.lock?.writes ?? []).filter((file) => e.lockFiles.includes(file)), `${at}: the lock files are the ecosystem's`);
        // The chain closes: the audit's reading of those commands accepts the generated Dockerfile.
        const errors = auditDockerfile(dockerfile, auditContextOf(files)).filter((f) => f.severity === 'error');
        assert.deepEqual(errors, [], `${at}: the audit accepts the generated install, lock and gates`);
      }
    }
  }
});
