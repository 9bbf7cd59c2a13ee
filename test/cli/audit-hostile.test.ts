// The corpus's hostile inputs (test/fixtures/audit/corpus/hostile.mjs, the cases the benchmark
// times) through the built CLI: input that is not a readable text Dockerfile exits 2 naming the
// path; huge but real Dockerfiles are judged. Bounds are generous wall-clock limits for a shared
// machine, there to catch a hang or a quadratic blow-up: test/unit/audit-speed.test.ts holds the
// engine's CPU bounds and scripts/bench-audit.mjs the real goals (goalMs).
import assert from 'node:assert/strict';
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { HOSTILE } from '../fixtures/audit/corpus/hostile.mjs';
import { assertBuilt, binDir, cliEnv, runCli, show, tempDir } from '../helpers/cli.ts';

before(assertBuilt);

const LIMIT_MS = 30_000;
const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;
/** What the message says after the path, for each input the audit refuses. */
const REASON: Record<string, RegExp> = {
  empty: /is empty: not a Dockerfile/,
  binary: /is binary/,
  directory: /is a directory/,
  fifo: /is a FIFO/,
  unreadable: /is not readable \(permission denied\)/,
};

for (const hostile of HOSTILE) {
  test(`${hostile.kind === 'reject' ? 'refused' : 'judged'}: ${hostile.title}`, async () => {
    const root = tempDir('chs-hostile');
    // root reads any file, so the unreadable case runs as nobody, who must reach the directory.
    const drop = hostile.rootSkips && asRoot;
    if (drop) chmodSync(root, 0o755);
    const path = hostile.make(join(root, hostile.key));
    const shown = path.slice(root.length + 1);
    const started = Date.now();
    const result = await runCli(['audit', shown], { cwd: root, env: cliEnv(binDir()), timeoutMs: LIMIT_MS, ...(drop ? { uid: NOBODY, gid: NOBODY } : {}) });
    const ms = Date.now() - started;
    assert.ok(!result.timedOut, `${hostile.key}: still running after ${LIMIT_MS} ms (goal ${hostile.goalMs} ms)\n${show(result)}`);
    if (hostile.kind === 'reject') {
      assert.equal(result.exitCode, 2, show(result));
      assert.ok(result.stderr.includes(`audit: ${shown}`), `the message names the path ${shown}\n${result.stderr}`);
      assert.ok(REASON[hostile.key], `a reason to expect for ${hostile.key}: add it to REASON`);
      assert.match(result.stderr, REASON[hostile.key]!);
      assert.doesNotMatch(result.stderr, /TypeError|EISDIR|EACCES|ENOENT|at .*\.js:\d+/, 'a message, not a raw error');
    } else {
      assert.ok(result.exitCode === 0 || result.exitCode === 1, show(result));
      assert.match(result.stdout, new RegExp(`^${shown}/Dockerfile[:]`, 'm'), `a report on ${shown}/Dockerfile\n${result.stdout.slice(0, 2000)}`);
      assert.equal(result.stderr, '');
    }
    console.log(`# ${hostile.key}: exit ${result.exitCode} in ${ms} ms (benchmark goal ${hostile.goalMs} ms)`);
  });
}
