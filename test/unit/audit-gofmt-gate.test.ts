// D7 and the gofmt gate: gofmt exits 0 whatever it lists, so a format gate is honest only when a
// non-empty listing fails the RUN. The honest forms below are the shapes Go projects write in their
// Dockerfiles, Makefiles and CI steps (found by searching public repositories; each line here is
// written for this test, not copied): each must pass D7 inside the generated Go gate RUN. The forms
// that cannot fail must each be reported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { auditDockerfile } from '../../src/audit/index.ts';
import { GO_GATES, goGateSteps } from '../../src/languages/go/gates.ts';
import { renderProject } from '../../src/render/render.ts';
import { auditContextOf } from '../helpers/audit-context.ts';
import { goOptions } from './go-options.ts';

const files = renderProject(goOptions({ gates: [...GO_GATES] }));
const DOCKERFILE = files.get('Dockerfile')!;
const CTX = auditContextOf(files);
const GATE = goGateSteps(['format'], '')[0]!.command;

/** D7's findings when the generated format gate is replaced by `form`. */
function d7With(form: string): string[] {
  assert.ok(DOCKERFILE.includes(GATE), 'the generated Dockerfile runs the format gate');
  return auditDockerfile(DOCKERFILE.replace(GATE, () => form), CTX)
    .filter((f) => f.rule === 'D7')
    .map((f) => f.message);
}

test('the generated Go Dockerfile passes D7 with its own format gate', () => {
  assert.deepEqual(d7With(GATE), []);
});

const HONEST: Array<[string, string]> = [
  ['test -z on the listing (the common one-liner)', 'test -z "$(gofmt -l .)"'],
  ['[ -z ] on the listing', '[ -z "$(gofmt -l .)" ]'],
  ['simplify and list, listing shown through tee (Makefile check targets)', 'test -z "$(gofmt -s -l . | tee /dev/stderr)"'],
  ['line count tested -eq 0 (a lint image\'s command)', '[ "$(gofmt -l . | wc -l)" -eq 0 ]'],
  ['listing compared with the empty string', '[ "$(gofmt -l .)" = "" ]'],
  ['listing kept in a variable, tested empty', 'out="$(gofmt -l .)" && test -z "$out"'],
  ['variable, then if -n: print and exit 1 (GitHub workflow steps)', 'unformatted=$(gofmt -l .) && if [ -n "$unformatted" ]; then echo "$unformatted"; exit 1; fi'],
  ['if -n on the listing itself, diffs shown, exit 1 (CI scripts)', 'if [ -n "$(gofmt -s -l .)" ]; then gofmt -s -d .; exit 1; fi'],
  ['piped through tee into a negated read', 'gofmt -l . | tee /dev/stderr | (! read)'],
  ['a negated pipeline into grep', '! gofmt -l . | grep .'],
  ['a negated pipeline into grep, gofmt errors included', '! gofmt -l . 2>&1 | grep .'],
  ['listing written to a file, the file tested empty', 'gofmt -l . > /tmp/gofmt.txt && cat /tmp/gofmt.txt && test ! -s /tmp/gofmt.txt'],
  ['listing written to a file (no blank after >), [ ! -s ]', 'gofmt -l . >/tmp/gofmt.txt && [ ! -s /tmp/gofmt.txt ]'],
  ['diffs instead of names', 'test -z "$(gofmt -d .)"'],
];

for (const [what, form] of HONEST) {
  test(`D7 takes an honest gofmt gate: ${what}`, () => {
    assert.deepEqual(d7With(form), []);
  });
}

const CANNOT_FAIL: Array<[string, string, RegExp]> = [
  ['the listing alone', 'gofmt -l .', /`gofmt -l` exits 0 even when it lists/],
  ['the listing, errors merged, alone', 'gofmt -l . 2>&1', /`gofmt -l` exits 0 even when it lists/],
  ['files rewritten', 'gofmt -w .', /`gofmt -w` rewrites the files/],
  ['listed and rewritten', 'gofmt -l -w .', /`gofmt -w` rewrites the files/],
  ['the formatted source printed', 'gofmt .', /without `-l`/],
  ['rewritten inside the test', 'test -z "$(gofmt -w .)"', /`gofmt -w` rewrites the files/],
  ['the honest form with its failure ignored', 'test -z "$(gofmt -l .)" || true', /ignores its failure/],
  ['the listing ignored', 'gofmt -l . || true', /ignores its failure/],
  ['-n outside an if: passes exactly when files are unformatted', 'test -n "$(gofmt -l .)"', /`gofmt -l` exits 0 even when it lists/],
  ['if -n without a failing branch', 'if [ -n "$(gofmt -l .)" ]; then echo unformatted; fi', /`gofmt -l` exits 0 even when it lists/],
  ['kept in a variable, never tested', 'out=$(gofmt -l .) && echo "$out"', /`out=\$\(gofmt …\)` keeps the listing/],
  ['piped into a command that passes', 'gofmt -l . | tee /tmp/gofmt.txt', /`gofmt -l` exits 0 even when it lists/],
  ['grep without the negation', 'gofmt -l . | grep .', /`gofmt -l` exits 0 even when it lists/],
  ['a negated pipeline after ; (set -e does not stop at it)', 'set -e; ! gofmt -l . | grep .; true', /lets the next command decide/],
];

for (const [what, form, message] of CANNOT_FAIL) {
  test(`D7 reports a gofmt gate that cannot fail: ${what}`, () => {
    const findings = d7With(form);
    assert.ok(findings.some((m) => message.test(m)), `expected ${message} in:\n${findings.join('\n')}`);
  });
}
