// Finding a Dockerfile's image references by their characters, and replacing exactly those.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findImageReferences, replaceReferences } from '../../src/registry/dockerfile-refs.ts';

const D = `sha256:${'d'.repeat(64)}`;

/** Pin every found reference by appending @D, as pin does. */
function pinAll(text: string): string {
  const { images } = findImageReferences(text);
  return replaceReferences(text, images.map(({ start, end, reference }) => ({ start, end, value: `${reference}@${D}` })));
}

test('every kind of image reference is found, with its line and exact characters', () => {
  const text = [
    '# syntax=docker/dockerfile:1.7',
    'ARG BASE=python:3.13',
    'FROM --platform=$BUILDPLATFORM golang:1.24-trixie AS build',
    'COPY --from=build /a /b',
    'COPY --from=0 /a /b',
    'COPY --from=ghcr.io/acme/tools:2 --chown=0:0 /bin/x /x',
    'RUN --mount=type=cache,target=/root/.cache --mount=type=bind,from=registry.example.com:5000/base/assets:1,source=/a,target=/a true',
    'RUN --mount=type=bind,from=build,target=/b true',
    'FROM ${BASE} AS py',
    'FROM build AS again',
    'FROM scratch',
    'COPY --from=py /x /y',
  ].join('\n');
  const { images, skipped } = findImageReferences(text);
  assert.deepEqual(
    images.map((i) => [i.kind, i.line, i.reference, text.slice(i.start, i.end)]),
    [
      ['# syntax', 1, 'docker/dockerfile:1.7', 'docker/dockerfile:1.7'],
      ['FROM', 3, 'golang:1.24-trixie', 'golang:1.24-trixie'],
      ['COPY --from', 6, 'ghcr.io/acme/tools:2', 'ghcr.io/acme/tools:2'],
      ['RUN --mount from', 7, 'registry.example.com:5000/base/assets:1', 'registry.example.com:5000/base/assets:1'],
    ],
  );
  assert.deepEqual(skipped.map((s) => [s.kind, s.line, s.reference]), [['FROM', 9, '${BASE}']]);
  assert.match(skipped[0]!.reason, /build argument/);
});

test('only the references change: comments, spacing, continuations, CRLF and the rest stay byte for byte', () => {
  const text = [
    '#   syntax =  docker/dockerfile:1   ',
    '# a comment naming python:3.13 that must not change',
    'FROM \\',
    '  # a comment inside the continuation',
    '\t--platform=linux/amd64   \\',
    '',
    '      python:3.13-slim    AS   builder',
    'RUN echo python:3.13-slim && \\',
    '    true',
    'COPY   --from=python:3.13-slim   /usr/bin/python3 /x',
    '',
  ].join('\r\n');
  const out = pinAll(text);
  const expected = text
    .replace('docker/dockerfile:1   ', `docker/dockerfile:1@${D}   `)
    .replace('      python:3.13-slim    AS', `      python:3.13-slim@${D}    AS`)
    .replace('--from=python:3.13-slim ', `--from=python:3.13-slim@${D} `);
  assert.equal(out, expected);
  // Exactly three places changed, each by the digest suffix.
  assert.equal(out.length, text.length + 3 * (D.length + 1));
  assert.equal(out.split('\r\n').length, text.split('\r\n').length);
});

test('a reference on a continuation line maps back to that line', () => {
  const text = 'FROM --platform=linux/arm64 \\\n   alpine:3.20 \\\n   AS base\nRUN true\n';
  const { images } = findImageReferences(text);
  assert.equal(images.length, 1);
  assert.equal(images[0]!.line, 2);
  assert.equal(pinAll(text), `FROM --platform=linux/arm64 \\\n   alpine:3.20@${D} \\\n   AS base\nRUN true\n`);
});

test('the escape directive (backtick) is honoured when joining lines', () => {
  const text = '# escape=`\nFROM `\n  mcr.microsoft.com/windows/servercore:ltsc2022\nRUN dir c:\\\n';
  const { images } = findImageReferences(text);
  assert.deepEqual(images.map((i) => [i.line, i.reference]), [[3, 'mcr.microsoft.com/windows/servercore:ltsc2022']]);
});

test('stage names are matched case-insensitively, wherever the stage is defined; scratch in any case is no image', () => {
  const text = 'FROM alpine:3.20 AS Base\nFROM SCRATCH\nCOPY --from=BASE /a /a\nCOPY --from=later /b /b\nFROM base\nFROM alpine:3.20 AS later\n';
  const { images, skipped } = findImageReferences(text);
  assert.deepEqual(images.map((i) => [i.line, i.reference]), [[1, 'alpine:3.20'], [6, 'alpine:3.20']]);
  assert.deepEqual(skipped, []);
});

test('references inside here-documents are text, not instructions', () => {
  const text = 'FROM alpine:3.20\nCOPY <<EOF /etc/x\nFROM evil:1\nEOF\nRUN <<EOF\nFROM evil:2\nEOF\n';
  assert.deepEqual(findImageReferences(text).images.map((i) => i.reference), ['alpine:3.20']);
});

test('a quoted or escaped reference cannot be rewritten in place, and is reported instead', () => {
  const text = 'FROM alpine:3.20\nCOPY --from="busybox:1.36" /bin/busybox /b\nRUN --mount="type=bind,from=busybox:1.36,target=/b" true\n';
  const { images, skipped } = findImageReferences(text);
  assert.deepEqual(images.map((i) => i.reference), ['alpine:3.20']);
  assert.deepEqual(skipped.map((s) => [s.kind, s.line]), [['COPY --from', 2], ['RUN --mount from', 3]]);
});

test('already pinned references are found as written (the caller decides), and a file without images has none', () => {
  const pinned = `FROM python:3.13@${D} AS a\n`;
  assert.deepEqual(findImageReferences(pinned).images.map((i) => i.reference), [`python:3.13@${D}`]);
  assert.deepEqual(findImageReferences('FROM scratch\nCOPY a /a\n'), { images: [], skipped: [] });
  assert.deepEqual(findImageReferences(''), { images: [], skipped: [] });
});

test('replaceReferences applies replacements in any order without shifting the others', () => {
  const text = 'FROM a:1\nFROM b:2\n';
  const out = replaceReferences(text, [
    { start: 14, end: 17, value: 'bb:22' },
    { start: 5, end: 8, value: 'aa:11' },
  ]);
  assert.equal(out, 'FROM aa:11\nFROM bb:22\n');
});
