import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { flag, keyValues, mounts, parseDockerfile, parseOptions, splitWords } from '../../src/audit/dockerfile.ts';
import { expandVariables, parseImageRef } from '../../src/audit/image-ref.ts';
import { shellCommands } from '../../src/audit/shell.ts';
import { isIgnored, parseDockerignore } from '../../src/audit/dockerignore.ts';
import { lineage, stageClosure } from '../../src/audit/stages.ts';
import { auditDockerfile } from '../../src/audit/index.ts';
import { runCommands } from '../../src/audit/commands.ts';
import { commandLine, lineOf } from '../../src/audit/analysis.ts';
import { DockerfileParser } from 'dockerfile-ast';
import { asBuildKitReads, crossCheck } from '../fixtures/audit/crosscheck.ts';

const FIXTURES = 'test/fixtures/audit';

function dockerfiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return dockerfiles(path);
    return entry.endsWith('Dockerfile') ? [path] : [];
  });
}

test('parser directives: syntax and escape at the top, nothing after the first comment', () => {
  const d = parseDockerfile('# syntax=docker/dockerfile:1.7\n#ESCAPE = `\n# check=skip=all\n# comment\n# syntax=ignored\nFROM scratch\n');
  assert.deepEqual(d.directives, [
    { name: 'syntax', value: 'docker/dockerfile:1.7', line: 1 },
    { name: 'escape', value: '`', line: 2 },
    { name: 'check', value: 'skip=all', line: 3 },
  ]);
  assert.equal(d.escape, '`');
  assert.deepEqual(d.comments, [{ text: 'comment', line: 4 }, { text: 'syntax=ignored', line: 5 }]);
  // A directive after an instruction is a comment.
  assert.deepEqual(parseDockerfile('FROM scratch\n# syntax=docker/dockerfile:1\n').directives, []);
});

test('continuations join lines, skip comments and blank lines inside, and keep line numbers', () => {
  const text = 'FROM python:3.13\nRUN a \\\n  # inside\n\n  && b \\\n  && c\nCOPY x /y\n';
  const d = parseDockerfile(text);
  const run = d.instructions[1]!;
  assert.equal(run.keyword, 'RUN');
  assert.equal(run.line, 2);
  assert.equal(run.endLine, 6);
  assert.equal(run.args.replace(/\s+/g, ' '), 'a && b && c');
  assert.equal(run.lineAt(run.args.indexOf('b')), 5);
  assert.equal(run.lineAt(run.args.indexOf('c')), 6);
  assert.deepEqual(d.comments, [{ text: 'inside', line: 3 }]);
  assert.equal(d.instructions[2]!.line, 7);
});

test('the backtick escape directive changes continuations and leaves backslashes alone', () => {
  const d = parseDockerfile('# escape=`\nFROM img:1 AS a\nCOPY C:\\src `\n  C:\\dst\n');
  const copy = d.instructions[1]!;
  assert.equal(copy.endLine, 4);
  assert.deepEqual(copy.words, ['C:\\src', 'C:\\dst']);
});

test('flags: names, values, and --mount key/values; only on instructions that take flags', () => {
  const d = parseDockerfile(
    'FROM --platform=linux/amd64 python:3.13 AS b\nRUN --mount=type=cache,target=/root/.cache,id=pip \\\n    --mount=type=secret,id=netrc,target=/root/.netrc,required=false --network=none echo\nCOPY --from=b --chown=0:0 --link a /b\nENV --notaflag=1\n',
  );
  const [from, run, copy, env] = d.instructions;
  assert.deepEqual(flag(from!, 'platform')?.value, 'linux/amd64');
  assert.deepEqual(
    mounts(run!).map((m) => [m.options, m.line]),
    [
      [{ type: 'cache', target: '/root/.cache', id: 'pip' }, 2],
      [{ type: 'secret', id: 'netrc', target: '/root/.netrc', required: 'false' }, 3],
    ],
  );
  assert.equal(flag(run!, 'network')?.value, 'none');
  assert.equal(run!.args, 'echo');
  assert.deepEqual(copy!.flags.map((f) => [f.name, f.value]), [['from', 'b'], ['chown', '0:0'], ['link', null]]);
  assert.deepEqual(copy!.words, ['a', '/b']);
  assert.deepEqual(env!.flags, []);
  assert.deepEqual(parseOptions('type=bind,source="a,b",ro'), { type: 'bind', source: 'a,b', ro: '' });
});

test('exec form is parsed as JSON; invalid JSON falls back to shell form', () => {
  const d = parseDockerfile('FROM x:1\nCMD ["python3", "main.py"]\nENTRYPOINT [\'python3\']\nRUN ["sh", "-c", "echo hi"]\n');
  assert.deepEqual(d.instructions[1]!.json, ['python3', 'main.py']);
  assert.equal(d.instructions[2]!.json, null);
  assert.deepEqual(d.instructions[3]!.json, ['sh', '-c', 'echo hi']);
});

test('stages: names lower-cased, indexes, FROM lineage and COPY/RUN --mount dependencies', () => {
  const d = parseDockerfile(
    'ARG BASE=python:3.13\nFROM ${BASE} AS Builder\nFROM builder AS test\nRUN pytest\nFROM scratch AS other\nFROM gcr.io/distroless/python3\nCOPY --from=1 /a /a\nRUN --mount=from=other,target=/o true\n',
  );
  assert.deepEqual(d.stages.map((s) => [s.index, s.name, s.base, s.line]), [
    [0, 'builder', '${BASE}', 2],
    [1, 'test', 'builder', 3],
    [2, 'other', 'scratch', 5],
    [3, null, 'gcr.io/distroless/python3', 6],
  ]);
  assert.equal(d.globalArgs.length, 1);
  assert.deepEqual(lineage(d, d.stages[1]!).map((s) => s.name), ['test', 'builder']);
  assert.deepEqual([...stageClosure(d, d.stages[3]!)].map((s) => s.name).sort(), ['builder', 'other', 'test']);
  assert.equal(d.instructions[3]!.stage, 1);
});

test('ARG, ENV and LABEL key/values: quotes, escapes, the legacy ENV form, ARG without value', () => {
  const d = parseDockerfile('ARG A\nFROM x:1\nENV B="two words" C=three\\ words D=1\nENV LEGACY value with spaces\nLABEL "org.opencontainers.image.title"="t" v=1\nARG E=e\n');
  const kv = (i: number) => keyValues(d.instructions[i]!).map((x) => [x.key, x.value]);
  assert.deepEqual(kv(0), [['A', null]]);
  assert.deepEqual(kv(2), [['B', 'two words'], ['C', 'three words'], ['D', '1']]);
  assert.deepEqual(kv(3), [['LEGACY', 'value with spaces']]);
  assert.deepEqual(kv(4), [['org.opencontainers.image.title', 't'], ['v', '1']]);
  assert.deepEqual(kv(5), [['E', 'e']]);
});

test('here-documents are detected and their bodies are not read as instructions', () => {
  const d = parseDockerfile('FROM x:1\nRUN <<EOF\nFROM evil\necho hi\nEOF\nCOPY <<-"EOT" /etc/motd\n\thello\n\tEOT\nUSER 1\n');
  assert.deepEqual(d.instructions.map((i) => [i.keyword, i.line, i.endLine]), [
    ['FROM', 1, 1],
    ['RUN', 2, 5],
    ['COPY', 6, 8],
    ['USER', 9, 9],
  ]);
  assert.deepEqual(d.instructions[1]!.heredocs.map((h) => [h.name, h.body, h.endLine]), [['EOF', 'FROM evil\necho hi', 5]]);
  assert.deepEqual(d.instructions[2]!.heredocs.map((h) => [h.name, h.stripTabs, h.quoted, h.body]), [['EOT', true, true, 'hello']]);
  // Commands inside a body are located on their own lines (findings point there).
  const two = parseDockerfile('FROM x:1\nRUN <<A bash <<B\necho a\n\napt-get install -y x\nA\nsudo b\nB\n').instructions[1]!;
  assert.deepEqual(two.heredocs.map((h) => [h.name, h.bodyLine, h.endLine]), [['A', 3, 6], ['B', 7, 8]]);
  assert.deepEqual(runCommands(two).map((c) => [c.words[0], commandLine(two, c)]), [['bash', 2], ['echo', 3], ['apt-get', 5], ['sudo', 7]]);
  assert.equal(lineOf(two, 'sudo'), 7);
  // `<<` inside quotes is not a heredoc.
  assert.deepEqual(parseDockerfile('FROM x:1\nRUN echo "a <<b"\n').instructions[1]!.heredocs, []);
});

test('splitWords removes quotes and escapes; lower-case keywords are upper-cased', () => {
  assert.deepEqual(splitWords(`a "b c" 'd e' f\\ g`).map((w) => w.value), ['a', 'b c', 'd e', 'f g']);
  assert.equal(parseDockerfile('from x:1\nrun true\n').instructions[1]!.keyword, 'RUN');
});

test('image references: registry ports, tags and digests', () => {
  assert.deepEqual(parseImageRef('localhost:5000/base/python:3.13-slim@sha256:abc'), { name: 'localhost:5000/base/python', tag: '3.13-slim', digest: 'sha256:abc' });
  assert.deepEqual(parseImageRef('localhost:5000/base/python'), { name: 'localhost:5000/base/python', tag: null, digest: null });
  assert.deepEqual(parseImageRef('python'), { name: 'python', tag: null, digest: null });
  const vars = new Map([['V', '3.13'], ['E', '']]);
  assert.equal(expandVariables('py:${V}-$V ${E:-d} ${U-u} ${V:+set} $U', vars), 'py:3.13-3.13 d u set $U');
});

test('shell reading: operators, quotes, wrappers and sh -c scripts', () => {
  const commands = shellCommands(`set -e; PATH=/x:$PATH pipenv run python -m pytest -q && echo "a && b" || true; sh -c 'uv run --locked mypy .' | cat`);
  assert.deepEqual(
    commands.map((c) => [c.tool, c.args, c.next]),
    [
      ['set', ['-e'], ';'],
      ['pytest', ['-q'], '&&'],
      ['echo', ['a && b'], '||'],
      ['true', [], ';'],
      ['mypy', ['.'], ''],
      ['cat', [], ''],
    ],
  );
  assert.deepEqual(commands[1]!.wrappers, [['pipenv', 'run'], ['python', '-m']]);
  assert.deepEqual(commands[4]!.wrappers, [['uv', 'run', '--locked']]);
  // Offsets point into the script, so findings can name the line of a word.
  assert.deepEqual(shellCommands('a x &&\n  b "y z"').map((c) => c.offsets), [[0, 2], [9, 11]]);
  assert.deepEqual(shellCommands(`sh -c 'mypy .'`).map((c) => c.offsets), [[7, 12]]);
});

test('shell: `2>&1`, `>&2` and `<&0` are redirections in their word, not a background `&`', () => {
  const read = (script: string) => shellCommands(script).map((c) => [c.tool, c.args, c.next]);
  assert.deepEqual(read('! gofmt -l . 2>&1 | grep . && echo >&2 "done: x" && cat <&0'), [
    ['gofmt', ['-l', '.', '2>&1'], '|'],
    ['grep', ['.'], '&&'],
    ['echo', ['>&2', 'done: x'], '&&'],
    ['cat', ['<&0'], ''],
  ]);
  assert.deepEqual(read('tests & tests=$!; wait $tests'), [
    ['tests', [], '&'],
    ['', [], ';'],
    ['wait', ['$tests'], ''],
  ]);
});

test('.dockerignore: root-relative patterns, ** for any depth, negation, last match wins', () => {
  const patterns = parseDockerignore('# c\n/.git\n__pycache__\n**/*.pyc\n*\n!src\nsrc/secret\n');
  assert.equal(isIgnored(patterns, '.git'), true);
  assert.equal(isIgnored(patterns, '.git/config'), true);
  assert.equal(isIgnored(patterns, 'src/main.py'), false);
  assert.equal(isIgnored(patterns, 'src/secret'), true);
  // `!src` comes after `**/*.pyc`, so it re-includes them (the last match wins).
  assert.equal(isIgnored(patterns, 'src/a/b.pyc'), false);
  assert.equal(isIgnored(parseDockerignore('**/*.pyc\n'), 'src/a/b.pyc'), true);
  assert.equal(isIgnored(parseDockerignore('__pycache__\n'), 'src/__pycache__'), false);
  assert.equal(isIgnored(parseDockerignore('**/__pycache__\n'), 'src/__pycache__'), true);
});

test('every fixture parses the same as dockerfile-ast (instructions, flags, arguments, lines)', () => {
  const files = dockerfiles(FIXTURES);
  assert.ok(files.length >= 25, `expected the fixtures, found ${files.length}`);
  for (const file of files) {
    const count = crossCheck(readFileSync(file, 'utf8'), file);
    assert.ok(count > 0, `${file}: no instructions`);
  }
});

test('edge cases agree with dockerfile-ast too: empty, comments only, CRLF, trailing escape, bare keywords', () => {
  const cases = ['', '# only a comment\n', 'FROM x:1\r\nRUN a \\\r\n  b\r\n', 'FROM x:1\nRUN a \\\n', 'FROM x:1\nRUN\nUSER\n', '\n\n  FROM x:1 AS a\n\tRUN  true\n'];
  for (const text of cases) crossCheck(text, JSON.stringify(text));
});

test('an indented comment line inside a continuation is dropped, as BuildKit drops it (dockerfile-ast keeps it: the cross-check blanks it there)', () => {
  const text = 'FROM x:1\nRUN a \\\n    # note \\\n    && b\nRUN <<EOF\n  # a shell comment in the body stays\nEOF\n';
  assert.match(DockerfileParser.parse(text).getInstructions()[1]!.getArgumentsContent() ?? '', /# note/, 'dockerfile-ast still reads it as arguments');
  assert.equal(parseDockerfile(text).instructions[1]!.args.replace(/\s+/g, ' '), 'a && b');
  assert.equal(asBuildKitReads(text), 'FROM x:1\nRUN a \\\n\n    && b\nRUN <<EOF\n  # a shell comment in the body stays\nEOF\n');
  crossCheck(text, 'indented comment');
  crossCheck(text.replace(/\n/g, '\r\n'), 'indented comment, CRLF');
});

test('a line holding only the escape character joins the next line, as BuildKit reads it', () => {
  assert.deepEqual(parseDockerfile('\\\nFROM x:1\n').instructions.map((i) => [i.keyword, i.line, i.endLine]), [['FROM', 1, 2]]);
  assert.deepEqual(parseDockerfile('FROM x:1\n\\').instructions.map((i) => i.keyword), ['FROM']);
});

test('mangled Dockerfiles never crash the parser or the rules, and findings point inside the file', () => {
  // Deterministic mutations of the fixtures (this found a crash on a line holding only an escape).
  let seed = 42;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const sources = dockerfiles(FIXTURES).map((file) => readFileSync(file, 'utf8'));
  const pieces = ['\\', '"', "'", '[', ']', '<<EOF', 'EOF', '#', '--mount=', '--from=', ' AS ', 'FROM ', '${', '$(', '\t', '\n', '=', ',', '`'];
  for (let n = 0; n < 600; n++) {
    const lines = pick(sources).split('\n');
    for (let k = 0; k < 3; k++) {
      const i = Math.floor(random() * lines.length);
      const op = random();
      if (op < 0.3) lines.splice(i, 1);
      else if (op < 0.6) lines.splice(i, 0, pick(lines));
      else {
        const line = lines[i] ?? '';
        const at = Math.floor(random() * (line.length + 1));
        lines[i] = line.slice(0, at) + pick(pieces) + line.slice(at);
      }
    }
    const text = lines.join('\n');
    const count = text.split('\n').length;
    const findings = auditDockerfile(text, { dockerignore: '', manager: 'pipenv', gates: ['typecheck', 'test'], certBundle: true });
    for (const f of findings) {
      assert.ok(f.line === undefined || (f.line >= 1 && f.line <= count), `line ${f.line} of ${count}: ${f.message}`);
      assert.ok(f.message.length > 20);
    }
  }
});
