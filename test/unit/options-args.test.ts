import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ANSWER_FLAGS, parseArgv } from '../../src/cli/args.ts';
import { UsageError } from '../../src/options/validate.ts';

// The flag half of option resolution: argv -> raw answer strings and switches (validated later).

function usageError(argv: string[]): UsageError {
  try {
    parseArgv(argv);
  } catch (error) {
    assert.ok(error instanceof UsageError, `expected a UsageError, got ${String(error)}`);
    return error;
  }
  assert.fail(`accepted ${JSON.stringify(argv)}`);
}

test('no arguments: no answers, the default switches', () => {
  const parsed = parseArgv([]);
  assert.deepEqual(parsed.flags, {});
  assert.deepEqual(parsed.switches, { yes: false, dryRun: false, force: false, git: true, lock: true });
  assert.equal(parsed.preset, undefined);
  assert.equal(parsed.help, false);
  assert.equal(parsed.version, false);
});

const SWITCH_FLAGS = ['--devcontainer', '--pre-commit'];

test('every answer flag of the contract sets its answer key, raw and unvalidated', () => {
  for (const [key, flag] of Object.entries(ANSWER_FLAGS).filter(([, flag]) => !SWITCH_FLAGS.includes(flag))) {
    assert.deepEqual(parseArgv([flag, 'some value']).flags, { [key]: 'some value' }, flag);
    assert.deepEqual(parseArgv([`${flag}=v=1`]).flags, { [key]: 'v=1' }, `${flag}=`);
  }
  assert.deepEqual(Object.values(ANSWER_FLAGS).sort(), [
    '--builder-image', '--cert-bundle', '--cert-path', '--ci', '--devcontainer', '--gates', '--index-url', '--language', '--maintainer', '--manager',
    '--name', '--pre-commit', '--registry', '--runtime-image', '--runtime-version', '--syntax',
  ]);
});

test('on/off answers: --x turns it on, --no-x off, as the text a preset gives; neither takes a value; both is an error', () => {
  assert.deepEqual(parseArgv(['--devcontainer']).flags, { devcontainer: 'true' });
  assert.deepEqual(parseArgv(['--no-devcontainer', '--no-pre-commit']).flags, { devcontainer: 'false', preCommit: 'false' });
  assert.deepEqual(parseArgv(['--pre-commit']).flags, { preCommit: 'true' });
  for (const argv of [['--no-pre-commit=yes'], ['--devcontainer=false']]) {
    assert.match(usageError(argv).message, /takes no value\. Example: create-hardened-service billing-api --/, argv[0]);
  }
  const both = usageError(['--devcontainer', '--no-devcontainer']);
  assert.match(both.message, /^--no-devcontainer: give --devcontainer or --no-devcontainer, not both\. Example: /);
});

test('--python is the contract\'s alias of --runtime-version; both at once is a usage error', () => {
  const parsed = parseArgv(['--python', '3.11']);
  assert.deepEqual(parsed.flags, { runtimeVersion: '3.11' });
  assert.deepEqual(parsed.aliases, { runtimeVersion: '--python' });
  assert.deepEqual(parseArgv(['--runtime-version', '3.11']).aliases, {});
  assert.throws(() => parseArgv(['--python', '3.11', '--runtime-version', '3.13']), /--python: give --python or --runtime-version, not both/);
});

test('the positional is the directory, before or after the flags', () => {
  assert.deepEqual(parseArgv(['svc', '--manager', 'uv']).flags, { directory: 'svc', manager: 'uv' });
  assert.deepEqual(parseArgv(['--manager', 'uv', 'svc']).flags, { directory: 'svc', manager: 'uv' });
});

test('switches: -y/--yes, --dry-run, --force, --no-git, --no-lock, --preset, -h, -v', () => {
  const parsed = parseArgv(['-y', '--dry-run', '--force', '--no-git', '--no-lock', '--preset', 'team.json']);
  assert.deepEqual(parsed.switches, { yes: true, dryRun: true, force: true, git: false, lock: false });
  assert.equal(parsed.preset, 'team.json');
  assert.equal(parseArgv(['--yes']).switches.yes, true);
  assert.equal(parseArgv(['-h']).help, true);
  assert.equal(parseArgv(['--help']).help, true);
  assert.equal(parseArgv(['-v']).version, true);
  assert.equal(parseArgv(['--version']).version, true);
});

test('a subcommand is dispatched before the wizard parses (src/cli/main.ts); after a flag it is refused, not taken for a directory', () => {
  assert.throws(() => parseArgv(['--yes', 'audit']), /audit: a subcommand comes first/);
  assert.throws(() => parseArgv(['audit', 'services/svc']), UsageError);
});

test('usage errors: unknown flag, missing value, value on a switch, two directories', () => {
  for (const [argv, expected] of [
    [['--bogus'], /--bogus/],
    [['--registy', 'x'], /--registy/],
    [['--git'], /--git/],
    [['--name'], /--name/],
    [['--yes=true'], /--yes/],
    [['one', 'two'], /\[directory\].*one two/],
  ] as [string[], RegExp][]) {
    const error = usageError(argv);
    assert.match(error.message, expected);
    assert.doesNotMatch(error.message, /^\s+at /m);
  }
  assert.match(usageError(['--bogus']).message, /--help/);
  assert.match(usageError(['one', 'two']).message, /Example: /);
});

test('a flag given twice keeps the last value (as other create-* tools do)', () => {
  assert.deepEqual(parseArgv(['--name', 'a', '--name', 'b']).flags, { name: 'b' });
});

test('argv is not mutated', () => {
  const argv = ['svc', '--name', 'x', '-y'];
  const copy = [...argv];
  parseArgv(argv);
  assert.deepEqual(argv, copy);
});
