// The first question before the wizard loads (steps/first.ts): a run without arguments in a terminal
// draws the directory question from the first stage, and the wizard takes the answer over; every
// other run (a directory, any flag, a preset from the environment, no terminal) goes the wizard's own
// way. What each loads is checked in test/cli/loading.test.ts; here, what a person sees and gets.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { VERSION } from '../../src/version.ts';
import { assertBuilt, BIN, binDir, cliEnv, shellWords, tempDir } from '../helpers/cli.ts';
import { KEY, startPty, type Session } from '../helpers/pty.ts';

before(assertBuilt);

const DIRECTORY = 'Where should the service go?';
const NAME = 'Service name?';
// The questions of a run without flags after the directory, in order (the CA bundle's path is not asked without a bundle).
const REST = [NAME, 'Language?', 'Dependency manager?', 'Python version?', 'Internal registry for base images?', 'CA certificate bundle image?', 'Package index mirror?', 'Quality gates the build must pass?', 'CI pipeline?', 'Maintainer label?', 'Create it?'];

async function answer(session: Session, prompt: string, ...keys: string[]): Promise<void> {
  await session.waitFor(prompt);
  await session.type(...keys);
}

const erase = (count: number) => Array<string>(count).fill(KEY.backspace).join('');

/** A run of `args` in a terminal: `svc` at the directory question, Enter at every other, until it exits. */
async function defaults(args: readonly string[], cwd: string): Promise<{ exitCode: number; screen: string }> {
  const session = startPty(args, { cwd, env: cliEnv(binDir()) });
  try {
    await answer(session, DIRECTORY, 'svc', KEY.enter);
    for (const prompt of REST) await answer(session, prompt, KEY.enter);
    return { exitCode: (await session.exit).exitCode, screen: session.screen() };
  } finally {
    session.kill();
  }
}

test('without arguments: the first question, then the rest of the wizard, as with a flag that changes nothing asked', async () => {
  const fast = tempDir();
  const first = await defaults([], fast);
  assert.equal(first.exitCode, 0, first.screen);
  assert.equal(first.screen.match(/┌\s+create-hardened-service/g)?.length, 1, 'the intro is drawn once');
  assert.ok(existsSync(join(fast, 'svc', '.hardened-service.json')), first.screen);
  // The typed directory is the positional of the printed command line, as a typed one always is.
  const lines = first.screen.split(/\r?\n/);
  const at = lines.findIndex((line) => line.includes('Same project without prompts:'));
  assert.deepEqual(shellWords(lines[at + 1]!.replace(/^[\s│]+/, '').trim()), ['npx', `create-hardened-service@${VERSION}`, 'svc', '--yes']);
  // --force takes the wizard's own path and changes nothing here (svc does not exist): the same screens up to the confirmation.
  const slow = tempDir();
  const other = await defaults(['--force'], slow);
  assert.equal(other.exitCode, 0, other.screen);
  const upTo = (screen: string) => screen.slice(0, screen.indexOf('Create it?'));
  assert.equal(upTo(first.screen), upTo(other.screen));
  const record = (dir: string) => JSON.parse(readFileSync(join(dir, 'svc', '.hardened-service.json'), 'utf8')).answers;
  assert.deepEqual(record(fast), record(slow));
});

test('without arguments: the first question refuses a file, a path with "..", and a non-empty directory inline, then takes a fresh one', async () => {
  const cwd = tempDir();
  writeFileSync(join(cwd, 'afile'), 'mine\n');
  mkdirSync(join(cwd, 'taken'));
  writeFileSync(join(cwd, 'taken', 'keep.txt'), 'mine\n');
  const session = startPty([], { cwd, env: cliEnv(binDir()) });
  try {
    await answer(session, DIRECTORY, 'afile', KEY.enter);
    await session.waitFor('afile is a file, not a directory');
    await session.type(erase('afile'.length), '../up', KEY.enter);
    await session.waitFor('escapes the current directory with ".."');
    await session.type(erase('../up'.length), 'taken', KEY.enter);
    await session.waitFor('taken is not empty');
    await session.type(erase('taken'.length), 'fresh', KEY.enter);
    await answer(session, NAME, KEY.ctrlC);
    assert.equal((await session.exit).exitCode, 130, session.screen());
  } finally {
    session.kill();
  }
  assert.match(session.screen(), /Cancelled\. Nothing was written\./);
  assert.deepEqual(readdirSync(cwd).sort(), ['afile', 'taken']);
  assert.deepEqual(readdirSync(join(cwd, 'taken')), ['keep.txt']);
});

for (const [how, keys, code, said] of [
  ['Ctrl-C', KEY.ctrlC, 130, 'Cancelled. Nothing was written.'],
  ['Esc', KEY.escape, 130, 'Cancelled. Nothing was written.'],
  ['SIGHUP', 'SIGHUP', 129, 'Cancelled by SIGHUP. Nothing was written.'],
  ['SIGTERM', 'SIGTERM', 143, 'Cancelled by SIGTERM. Nothing was written.'],
] as const) {
  test(`without arguments: ${how} at the first question: exit ${code}, "${said}", nothing written, the cursor shown again`, async () => {
    const cwd = tempDir();
    const session = startPty([], { cwd, env: cliEnv(binDir()) });
    try {
      await session.waitFor(DIRECTORY);
      await session.type('half');
      if (keys.startsWith('SIG')) session.signal(keys as NodeJS.Signals);
      else await session.type(keys);
      assert.equal((await session.exit).exitCode, code, session.screen());
    } finally {
      session.kill();
    }
    assert.ok(session.screen().includes(said), session.screen());
    assert.doesNotMatch(session.screen(), /^\s+at /m, 'no stack trace');
    const raw = session.raw();
    assert.ok(raw.lastIndexOf('\x1b[?25h') > raw.lastIndexOf('\x1b[?25l'), 'the cursor is visible again');
    assert.deepEqual(readdirSync(cwd), []);
  });
}

test('a directory on the command line: the first question is the name, the directory is never asked', async () => {
  const cwd = tempDir();
  const session = startPty(['svc'], { cwd, env: cliEnv(binDir()) });
  try {
    await answer(session, NAME, KEY.ctrlC);
    assert.equal((await session.exit).exitCode, 130, session.screen());
  } finally {
    session.kill();
  }
  assert.ok(!session.screen().includes(DIRECTORY), session.screen());
  assert.deepEqual(readdirSync(cwd), []);
});

test('a flag: the directory is asked first, and what the flag answered is not asked', async () => {
  const cwd = tempDir();
  const session = startPty(['--name', 'billing-api', '--no-git', '--no-lock'], { cwd, env: cliEnv(binDir()) });
  try {
    await answer(session, DIRECTORY, 'svc', KEY.enter);
    await answer(session, 'Language?', KEY.ctrlC);
    assert.equal((await session.exit).exitCode, 130, session.screen());
  } finally {
    session.kill();
  }
  assert.ok(!session.screen().includes(NAME), session.screen());
});

for (const via of ['--preset', 'HARDENED_SERVICE_PRESET'] as const) {
  test(`a preset that cannot be read (${via}): the usage error before any question, exit 2`, () => {
    const cwd = tempDir();
    const missing = join(cwd, 'missing.json');
    const env = cliEnv(binDir(), via === 'HARDENED_SERVICE_PRESET' ? { HARDENED_SERVICE_PRESET: missing } : {});
    const session = startPty(via === '--preset' ? ['--preset', missing] : [], { cwd, env });
    return session.exit.then(({ exitCode }) => {
      assert.equal(exitCode, 2, session.screen());
      assert.match(session.screen(), new RegExp(`error ${via === '--preset' ? '--preset' : 'HARDENED_SERVICE_PRESET'}: `));
      assert.ok(!session.screen().includes(DIRECTORY), 'no question was drawn');
      assert.deepEqual(readdirSync(cwd), []);
    });
  });
}

test('a preset from the environment: its suggestions are the questions\' defaults, after the directory question', async () => {
  const cwd = tempDir();
  const preset = join(cwd, 'team.json');
  writeFileSync(preset, JSON.stringify({ defaults: { ci: 'gitlab' }, locked: [] }));
  const session = startPty([], { cwd, env: cliEnv(binDir(), { HARDENED_SERVICE_PRESET: preset }) });
  try {
    await answer(session, DIRECTORY, 'svc', KEY.enter);
    for (const prompt of REST.slice(0, REST.indexOf('CI pipeline?'))) await answer(session, prompt, KEY.enter);
    await session.waitFor('CI pipeline?');
    await session.waitFor(/● GitLab CI/); // the preset's, preselected
    await session.type(KEY.ctrlC);
    assert.equal((await session.exit).exitCode, 130, session.screen());
  } finally {
    session.kill();
  }
  assert.deepEqual(readdirSync(cwd), ['team.json']);
});

// A terminal at one end only: nobody is asked; the defaults make my-service, as in a pipe.
for (const [end, stdio] of [
  ['standard output is a file', ['inherit', 'file', 'inherit']],
  ['standard input is not a terminal', ['ignore', 'inherit', 'inherit']],
] as const) {
  test(`without arguments, ${end}: no question, the defaults written, exit 0`, async () => {
    const cwd = tempDir();
    const dir = tempDir();
    const log = join(dir, 'out.txt');
    // Run the CLI with one end moved off the terminal (the wrapper itself runs in it).
    const wrapper = join(dir, 'wrapper.cjs');
    writeFileSync(
      wrapper,
      `const { openSync } = require('node:fs');
const stdio = ${JSON.stringify(stdio)}.map((end) => (end === 'file' ? openSync(${JSON.stringify(log)}, 'w') : end));
const run = require('node:child_process').spawnSync(process.execPath, [${JSON.stringify(BIN)}, ...process.argv.slice(2)], { stdio });
process.exitCode = run.status ?? 1;`,
    );
    const session = startPty([], { cwd, env: cliEnv(binDir()), bin: wrapper, timeoutMs: 60_000 });
    const { exitCode } = await session.exit;
    const shown = session.screen() + (existsSync(log) ? readFileSync(log, 'utf8') : '');
    assert.equal(exitCode, 0, shown);
    assert.ok(!shown.includes(DIRECTORY), shown);
    assert.ok(existsSync(join(cwd, 'my-service', '.hardened-service.json')), shown);
  });
}
