// auditPath: which file a PATH means, which .dockerignore and record go with it, and the profile.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { AuditInputError, auditPath } from '../../src/audit/index.ts';

const root = mkdtempSync(join(tmpdir(), 'audit-path-'));
after(() => rmSync(root, { recursive: true, force: true }));

const WHOLE_COPY = 'FROM debian:trixie\nWORKDIR /app\nCOPY . .\nUSER 1000\n';

test('a directory means its Dockerfile, else its Containerfile; a file may have any name', () => {
  const dir = join(root, 'containerfile');
  mkdirSync(dir);
  writeFileSync(join(dir, 'Containerfile'), WHOLE_COPY);
  assert.equal(auditPath(dir).file, join(dir, 'Containerfile'));
  writeFileSync(join(dir, 'Dockerfile'), WHOLE_COPY);
  assert.equal(auditPath(dir).file, join(dir, 'Dockerfile'));
  writeFileSync(join(dir, 'build.prod'), WHOLE_COPY);
  assert.equal(auditPath(join(dir, 'build.prod')).file, join(dir, 'build.prod'));
});

test('<file>.dockerignore wins over .dockerignore, as BuildKit reads them; none at all is reported by B316', () => {
  const dir = join(root, 'ignores');
  mkdirSync(dir);
  writeFileSync(join(dir, 'Dockerfile.prod'), WHOLE_COPY);
  assert.deepEqual(auditPath(join(dir, 'Dockerfile.prod')).findings.map((f) => f.rule), ['B316']);
  writeFileSync(join(dir, '.dockerignore'), 'node_modules\n');
  assert.match(auditPath(join(dir, 'Dockerfile.prod')).findings[0]!.message, /does not exclude \.git, \.env/);
  writeFileSync(join(dir, 'Dockerfile.prod.dockerignore'), '.git\n.env\n');
  const audit = auditPath(join(dir, 'Dockerfile.prod'));
  assert.deepEqual(audit.findings, []);
  assert.equal(audit.dockerignore, join(dir, 'Dockerfile.prod.dockerignore'));
});

test('a record beside the Dockerfile chooses the generated profile; an explicit profile wins; a record that is not an object is refused', () => {
  const dir = join(root, 'record');
  mkdirSync(dir);
  writeFileSync(join(dir, 'Dockerfile'), WHOLE_COPY);
  assert.equal(auditPath(dir).profile, 'baseline');
  writeFileSync(join(dir, '.hardened-service.json'), JSON.stringify({ answers: { language: 'python', syntax: 'none' } }));
  const generated = auditPath(dir);
  assert.equal(generated.profile, 'generated');
  assert.ok(!generated.findings.some((f) => f.rule === 'D1'), 'the record says: no syntax line on purpose');
  assert.equal(auditPath(dir, { profile: 'baseline' }).profile, 'baseline');
  for (const [text, why] of [['null', /is not a JSON object \(it holds null\)/], ['"x"', /it holds string/], ['[1]', /it holds an array/], ['{', /is not valid JSON/]] as const) {
    writeFileSync(join(dir, '.hardened-service.json'), text);
    assert.throws(() => auditPath(dir), (error: unknown) => error instanceof AuditInputError && why.test(error.message) && error.path.endsWith('.hardened-service.json'));
  }
});
