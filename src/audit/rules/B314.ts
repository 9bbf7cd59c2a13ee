import { finding, type Rule } from '../rule.ts';
import type { Finding } from '../types.ts';

export const B314: Rule = {
  id: 'B314',
  title: 'stage names are unique',
  severity: 'error',
  profiles: ['baseline'],
  rationale: 'Two stages with one name make `COPY --from=NAME` and `--target NAME` ambiguous; BuildKit rejects it.',
  fix: 'Rename one of the stages.',
  covers: ['hadolint DL3024'],
  check(d) {
    const findings: Finding[] = [];
    const seen = new Map<string, number>();
    for (const stage of d.stages) {
      if (!stage.name) continue;
      const first = seen.get(stage.name);
      if (first !== undefined) findings.push(finding('B314', 'error', stage.line, `stage name \`${stage.name}\` is already used on line ${first}: give this stage another name.`));
      else seen.set(stage.name, stage.line);
    }
    return findings;
  },
};
