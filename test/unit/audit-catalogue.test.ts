// The rule catalogue: one module per rule with everything --explain, SARIF and docs/audit.md show.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { CATALOGUE, ruleById } from '../../src/audit/rules/index.ts';
import { RULE_IDS } from '../../src/audit/types.ts';
import { ruleListMarkdown } from '../../src/audit/docs.ts';

test('ids are unique and follow the scheme: D1-D16 for the generated contract, Bnnn for the baseline', () => {
  const ids = CATALOGUE.map((r) => r.id);
  assert.equal(new Set(ids).size, ids.length);
  assert.deepEqual(ids.filter((id) => id.startsWith('D')), [...RULE_IDS]);
  for (const rule of CATALOGUE) {
    assert.match(rule.id, /^(D([1-9]|1[0-6])|B[1-3]\d\d)$/, rule.id);
    if (rule.id.startsWith('D')) assert.deepEqual(rule.profiles, ['generated'], `${rule.id} belongs to the generated contract only`);
    else assert.ok(rule.profiles.includes('baseline'), `${rule.id} is a baseline rule`);
  }
});

test('every rule says what it checks, why, and how to fix it; one module per rule, named after its id', () => {
  const files = readdirSync('src/audit/rules').filter((f) => f !== 'index.ts').map((f) => f.replace(/\.ts$/, '')).sort();
  assert.deepEqual(files, CATALOGUE.map((r) => r.id).sort());
  for (const rule of CATALOGUE) {
    assert.ok(rule.title.length > 5 && !rule.title.endsWith('.'), `${rule.id} title`);
    assert.match(rule.rationale, /^[A-Z`/].{30,}[.)]$/s, `${rule.id} rationale`);
    assert.match(rule.fix, /^[A-Z`].{10,}[.)]$/s, `${rule.id} fix`);
    assert.ok(['error', 'warning'].includes(rule.severity));
  }
  assert.equal(ruleById('d8'), ruleById('D8'));
  assert.equal(ruleById('b101')?.id, 'B101');
  assert.equal(ruleById('DL3008'), undefined);
});

test('docs/audit.md lists the rules as the catalogue has them (UPDATE_DOCS=1 rewrites the list)', () => {
  const doc = readFileSync('docs/audit.md', 'utf8');
  const start = '<!-- audit-rules:start (generated from src/audit/rules by test/unit/audit-catalogue.test.ts) -->\n';
  const end = '\n<!-- audit-rules:end -->';
  const from = doc.indexOf(start);
  const to = doc.indexOf(end);
  assert.ok(from !== -1 && to > from, 'docs/audit.md has the audit-rules markers');
  const current = doc.slice(from + start.length, to);
  if (process.env.UPDATE_DOCS === '1') writeFileSync('docs/audit.md', doc.slice(0, from + start.length) + ruleListMarkdown() + doc.slice(to));
  else assert.equal(current, ruleListMarkdown(), 'run UPDATE_DOCS=1 npm run test:unit to refresh docs/audit.md');
});
