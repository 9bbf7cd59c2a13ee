import { copyPaths } from '../commands.ts';
import { finding, type Rule } from '../rule.ts';
import { inheritedInstructions } from '../stages.ts';
import type { Finding } from '../types.ts';

export const B320: Rule = {
  id: 'B320',
  title: 'COPY to a relative path only after a WORKDIR',
  severity: 'warning',
  profiles: ['baseline'],
  rationale: 'A relative destination is resolved against the current WORKDIR; before any WORKDIR that is whatever the base image set, so the files land somewhere the reader cannot see.',
  fix: 'Set `WORKDIR /app` first, or write the destination as an absolute path.',
  covers: ['hadolint DL3045'],
  check(d, context) {
    const findings: Finding[] = [];
    if (context.windows) return findings;
    for (const stage of d.stages) {
      let workdir = inheritedInstructions(d, stage).slice(0, -stage.instructions.length || undefined).some((i) => i.keyword === 'WORKDIR');
      for (const instruction of stage.instructions) {
        if (instruction.keyword === 'WORKDIR') workdir = true;
        if ((instruction.keyword !== 'COPY' && instruction.keyword !== 'ADD') || workdir) continue;
        const { dest } = copyPaths(instruction);
        if (dest && !dest.startsWith('/') && !dest.startsWith('$') && !/^[A-Za-z]:[\\/]/.test(dest)) {
          findings.push(finding('B320', 'warning', instruction.line, `\`${instruction.keyword} … ${dest}\` copies to a relative path before any WORKDIR: set \`WORKDIR\` first or use an absolute destination.`));
        }
      }
    }
    return findings;
  },
};
