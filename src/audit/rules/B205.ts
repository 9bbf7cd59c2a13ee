import { allInstructions } from '../analysis.ts';
import { finding, type Rule } from '../rule.ts';
import type { Finding } from '../types.ts';

export const B205: Rule = {
  id: 'B205',
  title: 'no MAINTAINER (deprecated)',
  severity: 'warning',
  profiles: ['baseline'],
  rationale: 'MAINTAINER is deprecated and not part of the OCI image labels tools read.',
  fix: 'Use `LABEL org.opencontainers.image.authors="Team <team@example.com>"`.',
  covers: ['hadolint DL4000', 'dockerfilelint: deprecated MAINTAINER'],
  check(d) {
    const findings: Finding[] = [];
    for (const instruction of allInstructions(d)) {
      if (instruction.keyword === 'MAINTAINER') findings.push(finding('B205', 'warning', instruction.line, 'MAINTAINER is deprecated: use `LABEL org.opencontainers.image.authors="…"`.'));
    }
    return findings;
  },
};
