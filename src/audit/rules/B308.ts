import { finding, type Rule } from '../rule.ts';
import type { Finding } from '../types.ts';

export const B308: Rule = {
  id: 'B308',
  title: 'one CMD, one ENTRYPOINT and one HEALTHCHECK per stage',
  severity: 'warning',
  profiles: ['baseline'],
  rationale: 'Only the last CMD, ENTRYPOINT and HEALTHCHECK of a stage take effect; earlier ones mislead the reader.',
  fix: 'Delete all but the last one.',
  covers: ['hadolint DL4003', 'hadolint DL4004', 'hadolint DL3012', 'dockerfile-utils: multiple CMD/ENTRYPOINT/HEALTHCHECK'],
  check(d) {
    const findings: Finding[] = [];
    for (const stage of d.stages) {
      for (const keyword of ['CMD', 'ENTRYPOINT', 'HEALTHCHECK']) {
        const all = stage.instructions.filter((i) => i.keyword === keyword);
        if (all.length > 1) findings.push(finding('B308', 'warning', all[all.length - 1]!.line, `stage ${stage.name ?? stage.index} has ${all.length} ${keyword} instructions and only the last counts: keep one.`));
      }
    }
    return findings;
  },
};
