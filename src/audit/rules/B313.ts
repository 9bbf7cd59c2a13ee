import { finding, type Rule } from '../rule.ts';
import type { Finding } from '../types.ts';

/** The instructions Docker's frontend knows. */
export const INSTRUCTIONS = new Set(['ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'FROM', 'HEALTHCHECK', 'LABEL', 'MAINTAINER', 'ONBUILD', 'RUN', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR']);

export const B313: Rule = {
  id: 'B313',
  title: 'a valid Dockerfile: known instructions, FROM first',
  severity: 'error',
  profiles: ['baseline'],
  rationale: 'An unknown instruction (a typo, a stray line of a broken continuation) or an instruction before the first FROM fails the build.',
  fix: 'Fix the instruction name; only ARG and parser directives may come before the first FROM.',
  covers: ['hadolint DL3061', 'dockerfile-utils: unknown instruction'],
  check(d) {
    const findings: Finding[] = [];
    for (const instruction of d.instructions) {
      if (!INSTRUCTIONS.has(instruction.keyword)) {
        findings.push(finding('B313', 'error', instruction.line, `\`${instruction.keyword}\` is not a Dockerfile instruction: check the spelling, or a missing \`\\\` on the line before.`));
      } else if (instruction.stage === -1 && instruction.keyword !== 'ARG') {
        findings.push(finding('B313', 'error', instruction.line, `${instruction.keyword} comes before the first FROM: only ARG may come before FROM.`));
      }
    }
    if (d.stages.length === 0 && d.instructions.length > 0) findings.push(finding('B313', 'error', undefined, 'there is no FROM instruction: a Dockerfile starts its first stage with FROM.'));
    return findings;
  },
};
