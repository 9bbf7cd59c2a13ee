// Every language through the built CLI, the way a user runs it without a terminal: the project is
// written, the lock step is run or explained (or absent, for a manager without a lock file), and
// the product's own `audit` passes what it generated.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { LANGUAGES } from '../../src/languages/index.ts';
import { testOptions } from '../helpers/options.ts';
import { assertBuilt, binDir, cliEnv, runCli, show, tempDir } from '../helpers/cli.ts';

assertBuilt();

for (const language of LANGUAGES) {
  for (const manager of language.managers) {
    test(`--language ${language.value} --manager ${manager.value}: written, lock step as the manager needs, audit clean`, async () => {
      const cwd = tempDir();
      const result = await runCli(['svc', '--yes', '--no-git', '--language', language.value, '--manager', manager.value], { cwd, env: cliEnv(binDir()) });
      assert.equal(result.exitCode, 0, show(result));
      assert.ok(existsSync(join(cwd, 'svc', 'Dockerfile')), 'Dockerfile written');
      const output = result.stdout + result.stderr;
      const [lock] = manager.lockCommands(testOptions({ language: language.value, manager: manager.value }));
      if (lock) assert.ok(output.includes(`${lock.command} ${lock.args.join(' ')}`), `the lock command is run or printed:\n${output}`);
      else assert.doesNotMatch(output, /Lock|lockfile/i, 'no lock step for a manager without a lock file');
      const audit = await runCli(['audit', 'svc'], { cwd, env: cliEnv(binDir()) });
      assert.equal(audit.exitCode, 0, show(audit));
    });
  }
}
