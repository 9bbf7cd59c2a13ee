import { allInstructions, lineOf } from '../analysis.ts';
import { finding, type Rule } from '../rule.ts';
import type { Finding } from '../types.ts';

export const B112: Rule = {
  id: 'B112',
  title: 'no passwordless sudo (NOPASSWD) in the image',
  severity: 'warning',
  profiles: ['baseline', 'generated'],
  rationale: 'A sudoers rule with NOPASSWD makes the non-root user root in all but name: any process that runs as it can become root without a password.',
  fix: 'Do the root work at build time (as `USER root`, then switch back) and leave sudo and its rules out of the image.',
  check(d) {
    const findings: Finding[] = [];
    for (const instruction of allInstructions(d)) {
      if (instruction.keyword !== 'RUN' && instruction.keyword !== 'COPY') continue;
      const texts = [instruction.args, ...instruction.heredocs.map((h) => h.body)];
      if (texts.some((t) => /\bNOPASSWD\s*:/.test(t))) {
        findings.push(finding('B112', 'warning', lineOf(instruction, 'NOPASSWD'), 'a sudoers rule with NOPASSWD lets the image\'s user become root without a password: do root work at build time instead.'));
      }
    }
    return findings;
  },
};
