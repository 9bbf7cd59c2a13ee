import { allInstructions, contextCopy } from '../analysis.ts';
import { copyPaths } from '../commands.ts';
import { finding, type Rule } from '../rule.ts';
import { SECRET_FILES } from '../secrets.ts';
import type { Finding } from '../types.ts';

export const B110: Rule = {
  id: 'B110',
  title: 'no secret files copied into the image',
  severity: 'error',
  profiles: ['baseline'],
  rationale: 'A copied `.env`, `id_rsa`, `.netrc` or `*.key` is in the layer for anyone who pulls the image, even if a later step deletes it.',
  fix: 'Mount it for the step that needs it (`RUN --mount=type=secret,…` or `--mount=type=ssh`) and keep it out of the context with .dockerignore.',
  check(d) {
    const findings: Finding[] = [];
    for (const instruction of allInstructions(d)) {
      if (!contextCopy(instruction)) continue;
      const secret = copyPaths(instruction).sources.find((s) => SECRET_FILES.test(s.replace(/\/$/, '')));
      if (secret) findings.push(finding('B110', 'error', instruction.line, `\`${instruction.keyword} ${secret}\` puts a secret file in a layer: mount it with \`RUN --mount=type=secret\` where it is needed.`));
    }
    return findings;
  },
};
