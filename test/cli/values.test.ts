// Unusual but valid values go through the whole CLI into the files without changing their
// structure: the Dockerfile keeps the same instructions, JSON/YAML/TOML still parse, and each value
// lands verbatim where it belongs.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { DockerfileParser } from 'dockerfile-ast';
import { parse as parseToml } from 'smol-toml';
import { parse as parseYaml } from 'yaml';
import { assertBuilt, binDir, cliEnv, files, runCli, show, tempDir } from '../helpers/cli.ts';

before(assertBuilt);

const EXOTIC = {
  registry: 'registry-01.corp.example.com:5000/base/team_a',
  certBundle: 'registry-01.corp.example.com:5000/base/ca-bundle:2024.06.01-r2',
  certPath: '/usr/local/share/ca-certificates/corp/',
  indexUrl: 'https://nexus.corp.example.com:8443/repository/pypi-proxy/simple/',
  maintainer: 'Platform Team (Ops) <platform+svc@corp.example.com>, Oncall: https://oncall.example.com/team',
};

async function generate(cwd: string, dir: string, extra: string[]): Promise<string> {
  const result = await runCli([dir, '--no-git', '--no-lock', '--ci', 'gitlab', ...extra], { cwd, env: cliEnv(binDir()) });
  assert.equal(result.exitCode, 0, show(result));
  return join(cwd, dir);
}

const instructions = (dockerfile: string) =>
  DockerfileParser.parse(dockerfile)
    .getInstructions()
    .map((instruction) => instruction.getKeyword());

test('exotic valid values keep the Dockerfile structure and land verbatim', async () => {
  const cwd = tempDir();
  const plain = await generate(cwd, 'plain', ['--cert-bundle', 'registry.example.com/base/ca-bundle:1', '--index-url', 'https://nexus.example.com/simple', '--maintainer', 'Team Foo', '--registry', 'registry.example.com/base']);
  const exotic = await generate(cwd, 'exotic', [
    '--registry', EXOTIC.registry, '--cert-bundle', EXOTIC.certBundle, '--cert-path', EXOTIC.certPath,
    '--index-url', EXOTIC.indexUrl, '--maintainer', EXOTIC.maintainer,
  ]);
  const dockerfile = readFileSync(join(exotic, 'Dockerfile'), 'utf8');
  assert.deepEqual(instructions(dockerfile), instructions(readFileSync(join(plain, 'Dockerfile'), 'utf8')), 'same instructions in the same order');
  for (const value of [EXOTIC.registry, EXOTIC.certBundle.split(':')[0]!, EXOTIC.maintainer]) {
    assert.ok(dockerfile.includes(value), `${value} in the Dockerfile`);
  }
  // Every line holding the maintainer is a LABEL line (or its continuation), never an instruction of its own.
  const keywords = DockerfileParser.parse(dockerfile).getInstructions().filter((i) => i.getTextContent().includes(EXOTIC.maintainer)).map((i) => i.getKeyword());
  assert.ok(keywords.length > 0 && keywords.every((keyword) => keyword === 'LABEL'), `maintainer only in LABEL, got ${keywords.join(', ')}`);
});

for (const manager of ['pipenv', 'poetry', 'uv', 'pip-tools']) test(`${manager}: exotic valid values keep every JSON, YAML and TOML file parseable`, async () => {
  const cwd = tempDir();
  const dir = await generate(cwd, 'svc', [
    '--registry', EXOTIC.registry, '--cert-bundle', EXOTIC.certBundle, '--cert-path', EXOTIC.certPath,
    '--index-url', EXOTIC.indexUrl, '--maintainer', EXOTIC.maintainer, '--manager', manager,
  ]);
  let parsed = 0;
  for (const path of files(dir)) {
    const text = readFileSync(join(dir, path), 'utf8');
    if (path.endsWith('.json')) JSON.parse(text);
    else if (/\.ya?ml$/.test(path)) parseYaml(text);
    else if (path.endsWith('.toml') || path === 'Pipfile') parseToml(text);
    else continue;
    parsed++;
  }
  assert.ok(parsed >= 2, `parsed ${parsed} structured files`);
  const record = JSON.parse(readFileSync(join(dir, '.hardened-service.json'), 'utf8'));
  assert.equal(record.answers.maintainer, EXOTIC.maintainer);
  assert.equal(record.answers.indexUrl, EXOTIC.indexUrl);
  assert.equal(record.answers.certPath, EXOTIC.certPath);
  assert.ok(existsSync(join(dir, '.gitlab-ci.yml')));
});

test('the next steps it prints match the generated Dockerfile (target stage, port, gates in the default build)', async () => {
  const cwd = tempDir();
  const result = await runCli(['svc', '--no-git', '--no-lock'], { cwd, env: cliEnv(binDir()) });
  assert.equal(result.exitCode, 0, show(result));
  const dockerfile = DockerfileParser.parse(readFileSync(join(cwd, 'svc', 'Dockerfile'), 'utf8'));
  const stages = dockerfile.getFROMs().map((from) => from.getBuildStage()).filter(Boolean);
  for (const [, target] of result.stdout.matchAll(/docker build --target (\S+)/g)) assert.ok(stages.includes(target!), `stage ${target} exists in ${stages.join(', ')}`);
  const port = /docker run [^\n]*-p \d+:(\d+)/.exec(result.stdout)?.[1];
  assert.ok(port, result.stdout);
  const exposed = dockerfile.getInstructions().filter((i) => i.getKeyword() === 'EXPOSE').map((i) => i.getArgumentsContent());
  assert.ok(exposed.some((value) => value?.split(/\s+/).includes(port) || value?.includes(`${port}/tcp`)), `EXPOSE ${port}: ${exposed.join(', ')}`);
  if (/gates included/.test(result.stdout)) {
    // The plain build only runs the test stage if the final stage depends on it.
    const final = dockerfile.getFROMs().at(-1)!;
    const after = dockerfile.getInstructions().filter((i) => i.getRange().start.line > final.getRange().start.line);
    assert.ok(after.some((i) => i.getKeyword() === 'COPY' && /--from=test\b/.test(i.getTextContent())), 'the final stage copies from the test stage');
  }
});
