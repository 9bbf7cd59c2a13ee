// The audit's output: JSON for scripts, SARIF 2.1.0 validated against the OASIS schema (as shipped
// in @microsoft/jest-sarif), text with every file-borne string escaped, inline ignores kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type AjvDraft04 from 'ajv-draft-04';
import { lint } from '../../src/audit/index.ts';
import { escapeText, formatFindings, renderJson, renderSarif, renderText, type Audited } from '../../src/audit/format.ts';

const require = createRequire(import.meta.url);
// A CommonJS package: its class is the `default` property of what require returns.
const Ajv = (require('ajv-draft-04') as typeof AjvDraft04).default;
const SCHEMA = JSON.parse(readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8')) as object;
const TOOL = { name: 'create-hardened-service audit', version: '0.1.0' };

const DOCKERFILE = [
  'FROM debian:trixie',
  '# audit-ignore B309, B301: the vendor script only runs from its own directory',
  'RUN cd /opt/vendor && apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*',
  'RUN curl -fsSL https://get.example.com | sh',
  'USER root',
].join('\n');

function audited(): Audited[] {
  const a = lint(DOCKERFILE, { profile: 'baseline', dockerignore: null });
  const b = lint('FROM gcr.io/distroless/static-debian13:nonroot\nCOPY app /app\n', { profile: 'generated', dockerignore: null });
  return [
    { path: 'services/api/Dockerfile', ...a },
    { path: 'deploy/Dockerfile.prod', ...b },
  ];
}

test('inline `# audit-ignore ID, ID: reason` silences those rules for the next instruction and keeps the reason', () => {
  const { findings, suppressed } = lint(DOCKERFILE, { profile: 'baseline' });
  assert.deepEqual(suppressed.map((s) => `${s.rule} ${s.line} ${s.reason}`), ['B301 3 the vendor script only runs from its own directory', 'B309 3 the vendor script only runs from its own directory']);
  assert.ok(findings.some((f) => f.rule === 'B101' && f.line === 4), 'the next instruction is not covered');
  assert.ok(!findings.some((f) => f.line === 3 && ['B301', 'B309'].includes(f.rule)));
  // --ignore: not run at all.
  assert.ok(!lint(DOCKERFILE, { profile: 'baseline', ignore: ['b101'] }).findings.some((f) => f.rule === 'B101'));
});

test('JSON: one object with a findings array of rule, severity, path, line, message', () => {
  const document = JSON.parse(renderJson(audited(), TOOL)) as { findings: Array<Record<string, unknown>>; suppressed: Array<Record<string, unknown>>; summary: { files: number; errors: number; warnings: number }; files: unknown[] };
  assert.ok(document.findings.length > 3);
  for (const f of document.findings) {
    assert.match(String(f.rule), /^(D\d+|B\d{3})$/);
    assert.ok(f.severity === 'error' || f.severity === 'warning');
    assert.ok(typeof f.path === 'string' && (f.line === null || (typeof f.line === 'number' && f.line >= 1)));
    assert.equal(typeof f.message, 'string');
  }
  assert.ok(document.findings.some((f) => f.path === 'deploy/Dockerfile.prod' && f.rule === 'D13'));
  assert.equal(document.suppressed.length, 2);
  assert.equal(document.suppressed[0]!.reason, 'the vendor script only runs from its own directory');
  assert.equal(document.summary.files, 2);
  assert.equal(document.summary.errors + document.summary.warnings, document.findings.length);
});

test('SARIF 2.1.0: valid against the schema, rules with help text, results with locations, suppressions', () => {
  const sarif = JSON.parse(renderSarif(audited(), TOOL)) as {
    version: string;
    runs: Array<{ tool: { driver: { name: string; rules: Array<{ id: string; help: { text: string }; shortDescription: { text: string } }> } }; results: Array<{ ruleId: string; ruleIndex: number; level: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }>; suppressions?: Array<{ kind: string; justification: string }> }> }>;
  };
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  const validate = ajv.compile(SCHEMA);
  assert.ok(validate(sarif), JSON.stringify(validate.errors, null, 2));
  // An unreadable PATH is a failed invocation with a notification, still valid SARIF.
  const failed = JSON.parse(renderSarif(audited(), TOOL, [{ path: 'svc/Dockerfile', message: 'is a FIFO (named pipe)' }])) as { runs: Array<{ invocations: Array<{ executionSuccessful: boolean; toolExecutionNotifications: unknown[] }> }> };
  assert.ok(validate(failed), JSON.stringify(validate.errors, null, 2));
  assert.equal(failed.runs[0]!.invocations[0]!.executionSuccessful, false);
  assert.equal(failed.runs[0]!.invocations[0]!.toolExecutionNotifications.length, 1);
  assert.equal(sarif.version, '2.1.0');
  const [run] = sarif.runs;
  const rules = run!.tool.driver.rules;
  for (const rule of rules) assert.ok(rule.help.text.length > 20 && rule.shortDescription.text.length > 5, rule.id);
  for (const result of run!.results) {
    assert.equal(rules[result.ruleIndex]!.id, result.ruleId);
    assert.ok(['error', 'warning'].includes(result.level));
    assert.ok(result.locations[0]!.physicalLocation.region.startLine >= 1);
    assert.ok(!result.locations[0]!.physicalLocation.artifactLocation.uri.startsWith('/'));
  }
  assert.deepEqual(run!.results.filter((r) => r.suppressions).map((r) => [r.ruleId, r.suppressions![0]!.kind]), [['B301', 'inSource'], ['B309', 'inSource']]);
  // The schema check can fail: a result without a message is refused.
  const broken = structuredClone(sarif) as { runs: Array<{ results: Array<Record<string, unknown>> }> };
  delete broken.runs[0]!.results[0]!.message;
  assert.equal(validate(broken), false);
});

test('text: aligned lines, the ignored findings with their reason, one total for several files', () => {
  const text = renderText(audited());
  assert.match(text, /^services\/api\/Dockerfile:4 +B101 +error +`curl … \| sh` runs a script/m);
  assert.match(text, /^services\/api\/Dockerfile:3 +B309 +ignored +the vendor script only runs from its own directory \(was: /m);
  assert.match(text, /^2 files: \d+ errors?, \d+ warnings?, 2 ignored$/m);
  assert.equal(formatFindings([], { profile: 'baseline', file: 'x/Dockerfile' }), 'x/Dockerfile: no findings (baseline)\n');
});

test('text from the file is escaped before it reaches a terminal: image names, paths, commands', () => {
  const hostile = 'FROM evil\u001b]0;owned\u0007:latest\nRUN curl https://x.example/\u001b[2J | sh\n';
  const findings = lint(hostile, { profile: 'baseline' }).findings;
  assert.ok(findings.some((f) => f.message.includes('\u001b')), 'the raw finding keeps the text (JSON escapes it)');
  const out = formatFindings(findings, { file: 'dir\u001b[31m/Dockerfile', profile: 'baseline' });
  assert.ok(!/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(out), JSON.stringify(out));
  assert.match(out, /evil\\u001b\]0;owned\\u0007:latest/);
  assert.match(out, /^dir\\u001b\[31m\/Dockerfile:1/m);
  assert.equal(escapeText('a\u202eb\u2066c\nd'), 'a\\u202eb\\u2066c\\u000ad');
  assert.doesNotMatch(renderJson([{ path: 'x', profile: 'baseline', findings, suppressed: [] }], TOOL), /\u001b/);
});
