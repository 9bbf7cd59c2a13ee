// What pin asks about and writes in each mode, given references and registry answers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findImageReferences } from '../../src/registry/dockerfile-refs.ts';
import { planPins, settlePins } from '../../src/registry/pin-plan.ts';

const OLD = `sha256:${'0'.repeat(64)}`;
const NEW = `sha256:${'1'.repeat(64)}`;
const text = [
  'FROM python:3.13 AS a', // unpinned
  `FROM golang:1.24@${OLD} AS b`, // pinned
  'FROM alpine AS c', // no tag
  `FROM busybox@${OLD} AS d`, // digest only
  'FROM Bad:Ref AS e', // invalid
  '',
].join('\n');
const { images } = findImageReferences(text);

test('pin asks only about references without a digest; refresh and check ask about pinned ones too', () => {
  const pin = planPins(images, 'pin');
  assert.deepEqual(pin.lookups.map((l) => [l.tagged, l.current]), [['python:3.13', null], ['alpine', null]]);
  assert.equal(pin.pinned, 2);
  assert.deepEqual(pin.problems.map((p) => [p.occurrence.line, p.kind]), [[5, 'invalid']]);
  assert.deepEqual(pin.notes.map((n) => [n.occurrence.line, n.message]), [
    [3, 'has no tag, which means latest: name a version tag'],
    [4, 'names a digest without a tag: nothing to compare it with'],
  ]);

  const refresh = planPins(images, 'refresh');
  assert.deepEqual(refresh.lookups.map((l) => [l.tagged, l.current]), [['python:3.13', null], ['golang:1.24', OLD], ['alpine', null]]);

  const check = planPins(images, 'check');
  assert.deepEqual(check.lookups.map((l) => l.tagged), ['golang:1.24']);
  assert.deepEqual(check.problems.map((p) => [p.occurrence.line, p.kind]), [[1, 'unpinned'], [3, 'unpinned'], [5, 'invalid']]);
});

test('settle: new pins are written (a missing tag as :latest), same digests are up to date, others drift under check', () => {
  const refresh = planPins(images, 'refresh');
  const written = settlePins(refresh.lookups, [{ digest: NEW }, { digest: NEW }, { digest: NEW }], 'refresh');
  assert.deepEqual(written.replacements.map((r) => [text.slice(r.start, r.end), r.value]), [
    ['python:3.13', `python:3.13@${NEW}`],
    [`golang:1.24@${OLD}`, `golang:1.24@${NEW}`],
    ['alpine', `alpine:latest@${NEW}`],
  ]);

  const check = planPins(images, 'check');
  assert.deepEqual(settlePins(check.lookups, [{ digest: OLD }], 'check'), { replacements: [], upToDate: [check.lookups[0]!], problems: [] });
  const drift = settlePins(check.lookups, [{ digest: NEW }], 'check');
  assert.deepEqual(drift.replacements, []);
  assert.deepEqual(drift.problems.map((p) => [p.kind, p.message]), [['drifted', `drifted: golang:1.24 now points at ${NEW}`]]);
});

test('settle: a registry error is a problem; for a --from that looks like a stage name, the message says so', () => {
  const refs = findImageReferences('FROM alpine:3.20 AS base\nCOPY --from=bulder /a /a\n').images;
  const plan = planPins(refs, 'pin');
  const outcome = settlePins(plan.lookups, [{ digest: NEW }, { error: 'registry-1.docker.io wants credentials for library/bulder (401)' }], 'pin');
  assert.equal(outcome.replacements.length, 1);
  assert.deepEqual(outcome.problems.map((p) => [p.kind, p.message]), [
    ['registry', 'registry-1.docker.io wants credentials for library/bulder (401) (if it names a stage: no stage has that name)'],
  ]);
});
