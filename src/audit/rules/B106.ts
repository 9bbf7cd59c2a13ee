import { allInstructions } from '../analysis.ts';
import { keyValues } from '../dockerfile.ts';
import { finding, type Rule } from '../rule.ts';
import { looksLikeSecretName } from '../secrets.ts';
import type { Finding } from '../types.ts';

export const B106: Rule = {
  id: 'B106',
  title: 'no secrets in ARG or ENV',
  severity: 'error',
  profiles: ['baseline'],
  rationale: 'ENV values are in the image config and ARG values in its history (`docker history` shows them) for anyone who can pull the image.',
  fix: 'Pass the secret for one step with `RUN --mount=type=secret,id=token,env=TOKEN …` (BuildKit) or `--mount=type=secret,id=token` and read /run/secrets/token.',
  check(d) {
    const findings: Finding[] = [];
    for (const instruction of allInstructions(d)) {
      if (instruction.keyword !== 'ARG' && instruction.keyword !== 'ENV') continue;
      for (const kv of keyValues(instruction, d.escape)) {
        if (looksLikeSecretName(kv.key)) {
          findings.push(finding('B106', 'error', kv.line, `${instruction.keyword} \`${kv.key}\` looks like a secret, and ${instruction.keyword} values stay in the image: pass it with \`RUN --mount=type=secret,id=…\` for the step that needs it.`));
        }
      }
    }
    return findings;
  },
};
