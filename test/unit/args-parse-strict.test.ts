// The one reading of node's parseArgs refusals that the wizard, `audit` and `pin` share.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseStrict, type ArgvProblem } from '../../src/cli/args.ts';

const OPTIONS = { format: { type: 'string' }, strict: { type: 'boolean' }, yes: { type: 'boolean', short: 'y' } } as const;

class Refused extends Error {
  constructor(readonly problem: ArgvProblem) {
    super(`${problem.flag} ${problem.kind}`);
  }
}
const problem = (argv: string[]): ArgvProblem | null => {
  try {
    parseStrict(argv, OPTIONS, (p) => new Refused(p));
    return null;
  } catch (error) {
    assert.ok(error instanceof Refused, String(error));
    return error.problem;
  }
};

test('parseStrict: values and positionals as parseArgs gives them', () => {
  const { values, positionals } = parseStrict(['a', '--format', 'json', '-y', 'b'], OPTIONS, (p) => new Refused(p));
  assert.deepEqual({ ...values }, { format: 'json', yes: true });
  assert.deepEqual(positionals, ['a', 'b']);
});

test('parseStrict: an unknown flag, a missing value, a value on a switch (long and short forms)', () => {
  assert.deepEqual(problem(['--name', 'x']), { flag: '--name', kind: 'unknown' });
  assert.deepEqual(problem(['--format']), { flag: '--format', kind: 'needs-value' });
  assert.deepEqual(problem(['--format', '--strict']), { flag: '--format', kind: 'needs-value' });
  assert.deepEqual(problem(['--strict=yes']), { flag: '--strict', kind: 'takes-no-value' });
  assert.deepEqual(problem(['--yes=1']), { flag: '--yes', kind: 'takes-no-value' });
  assert.equal(problem(['--strict', 'x']), null);
});
