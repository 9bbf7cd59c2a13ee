import { flag } from '../dockerfile.ts';
import { finding, type Rule } from '../rule.ts';
import type { Finding } from '../types.ts';

export const B319: Rule = {
  id: 'B319',
  title: 'COPY --from does not name its own stage',
  severity: 'error',
  profiles: ['baseline'],
  rationale: 'A stage cannot copy from itself: the builder looks for an image of that name instead, or fails.',
  fix: 'Name the earlier stage that produced the files, e.g. `COPY --from=build /out/app /app`.',
  covers: ['hadolint DL3023'],
  check(d) {
    const findings: Finding[] = [];
    for (const stage of d.stages) {
      if (!stage.name) continue;
      for (const instruction of stage.instructions) {
        const from = flag(instruction, 'from')?.value?.toLowerCase();
        if (instruction.keyword === 'COPY' && (from === stage.name || from === String(stage.index))) {
          findings.push(finding('B319', 'error', instruction.line, `\`COPY --from=${from}\` names the stage it is in: copy from the earlier stage that built the files.`));
        }
      }
    }
    return findings;
  },
};
