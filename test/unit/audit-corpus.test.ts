// The audit held to the corpus (issue 12, Tests): Dockerfiles modelled on public projects, and
// expected.json saying what a good linter reports on each. Under both profiles, every defect row is
// reported by its rule at its line, and no must-not-flag row draws the findings it names.
// expected.json is the one home of the mapping from defect keys to rule ids (`rules`, `match`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { auditPath, PROFILES, ruleById, type Finding, type Profile } from '../../src/audit/index.ts';

const DIR = 'test/fixtures/audit/corpus';

interface Defect {
  /** The rule that reports this defect under each profile; null: that profile does not check it. */
  rules: Record<Profile, string | null>;
  /** Tells this key's findings from the others of a rule that reports several keys. */
  match?: string;
}
interface Row {
  line: number;
  endLine: number;
  at: number;
  text: string;
}
interface DefectRow extends Row {
  key: string;
}
interface MustNotFlag extends Row {
  pattern: string;
  keys: string[];
  scope?: 'file';
}
interface Fixture {
  file: string;
  defects: DefectRow[];
  mustNotFlag: MustNotFlag[];
}
const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as { defects: Record<string, Defect>; fixtures: Fixture[] };

/** What to look for when a row names `key` under `profile`, or null when that profile has no rule for it. */
function lookFor(key: string, profile: Profile): ((f: Finding) => boolean) | null {
  if (key === '*') return () => true;
  const [tool, rule] = key.includes(':') ? key.split(':') : [null, null];
  // Another linter's rule says what that linter gets wrong; ours are named by profile.
  if (tool !== null) return tool === profile && rule ? (f) => f.rule === rule : null;
  const defect = expected.defects[key];
  assert.ok(defect, `unknown defect key ${key}`);
  const id = defect.rules[profile];
  if (!id) return null;
  const match = defect.match ? new RegExp(defect.match) : null;
  return (f) => f.rule === id && (!match || match.test(f.message));
}

const show = (findings: Finding[]) => findings.map((f) => `    ${f.line ?? '-'} ${f.rule} ${f.message}`).join('\n') || '    (none)';

test('the mapping in expected.json names real rules of the right profile', () => {
  for (const [key, defect] of Object.entries(expected.defects)) {
    assert.ok(defect.rules?.baseline, `${key}: every defect has a baseline rule`);
    for (const profile of PROFILES) {
      const id = defect.rules[profile];
      if (id === null) continue;
      const rule = ruleById(id);
      assert.ok(rule, `${key}: ${id} is not in the catalogue`);
      assert.ok(rule.profiles.includes(profile), `${key}: ${id} does not run under ${profile}`);
    }
  }
});

for (const fixture of expected.fixtures) {
  for (const profile of PROFILES) {
    test(`${fixture.file} (${profile})`, () => {
      const { findings } = auditPath(join(DIR, fixture.file), { profile });
      const problems: string[] = [];
      for (const row of fixture.defects) {
        const wanted = lookFor(row.key, profile);
        if (!wanted) continue;
        // The physical line of the construct (inside a long RUN or a heredoc), as code scanning shows it.
        if (!findings.some((f) => wanted(f) && f.line === row.at)) {
          problems.push(`missed ${row.key} (${expected.defects[row.key]!.rules[profile]}) at line ${row.at}: ${row.text}`);
        }
      }
      for (const row of fixture.mustNotFlag) {
        const inRow = (f: Finding) => row.scope === 'file' || (f.line !== undefined && f.line >= row.line && f.line <= row.endLine);
        for (const key of row.keys) {
          const unwanted = lookFor(key, profile);
          const alarms = unwanted ? findings.filter((f) => inRow(f) && unwanted(f)) : [];
          for (const f of alarms) problems.push(`false alarm on ${row.pattern} (${key}) at line ${f.line ?? '-'}: ${f.rule} ${f.message}`);
        }
      }
      assert.deepEqual(problems, [], `${fixture.file} under ${profile}:\n  ${problems.join('\n  ')}\n  all findings:\n${show(findings)}`);
    });
  }
}

test('expected.json agrees with the fixtures (check-expected.mjs, an independent parser)', () => {
  const run = spawnSync(process.execPath, [join(DIR, 'check-expected.mjs')], { encoding: 'utf8' });
  assert.equal(run.status, 0, `${run.stdout}${run.stderr}`);
  assert.ok(run.stdout.startsWith(`corpus ok: ${expected.fixtures.length} fixtures`), run.stdout);
});
