import { allInstructions } from '../analysis.ts';
import { finding, type Rule } from '../rule.ts';
import type { Finding } from '../types.ts';

export const B306: Rule = {
  id: 'B306',
  title: 'absolute WORKDIR',
  severity: 'error',
  profiles: ['baseline'],
  rationale: 'A relative WORKDIR depends on every WORKDIR before it, in this stage and in the base image, so moving one line silently moves where files land.',
  fix: 'Write `WORKDIR /app` (or a variable holding an absolute path).',
  covers: ['hadolint DL3000'],
  check(d) {
    const findings: Finding[] = [];
    for (const instruction of allInstructions(d)) {
      if (instruction.keyword !== 'WORKDIR') continue;
      const path = instruction.words[0] ?? '';
      if (!path.startsWith('/') && !path.startsWith('$') && !/^[A-Za-z]:[\\/]/.test(path)) {
        findings.push(finding('B306', 'error', instruction.line, `\`WORKDIR ${path}\` is relative (it depends on the previous WORKDIR): use an absolute path such as \`/app\`.`));
      }
    }
    return findings;
  },
};
