/** docs/audit.md's rule list, generated from the catalogue (a test keeps docs/audit.md in step). */
import { CATALOGUE } from './rules/index.ts';

const cell = (text: string) => text.replace(/\|/g, '\\|');

export function ruleListMarkdown(): string {
  const rows = CATALOGUE.map((r) => `| ${r.id} | ${cell(r.title)} | ${r.severity} | ${r.profiles.join(', ')} |`);
  return ['| id | checks | severity | profiles |', '| --- | --- | --- | --- |', ...rows].join('\n');
}
