import { allInstructions } from '../analysis.ts';
import { copyPaths } from '../commands.ts';
import { finding, type Rule } from '../rule.ts';
import type { Finding } from '../types.ts';

export const B312: Rule = {
  id: 'B312',
  title: 'COPY of several sources goes to a directory ending in /',
  severity: 'error',
  profiles: ['baseline'],
  rationale: 'With more than one source the destination must be a directory, written with a trailing slash; otherwise the build fails.',
  fix: 'End the destination with `/`: `COPY package.json package-lock.json /app/`.',
  covers: ['hadolint DL3021'],
  check(d) {
    const findings: Finding[] = [];
    for (const instruction of allInstructions(d)) {
      if ((instruction.keyword !== 'COPY' && instruction.keyword !== 'ADD') || instruction.heredocs.length) continue;
      const { sources, dest } = copyPaths(instruction);
      if (sources.length > 1 && !dest.endsWith('/') && !dest.endsWith('\\') && !dest.includes('$') && dest !== '.') {
        findings.push(finding('B312', 'error', instruction.line, `${instruction.keyword} with ${sources.length} sources needs a directory destination: write \`${dest}/\`.`));
      }
    }
    return findings;
  },
};
