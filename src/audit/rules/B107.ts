import { allInstructions } from '../analysis.ts';
import { finding, type Rule } from '../rule.ts';
import { credentialUrl } from '../secrets.ts';
import type { Finding } from '../types.ts';

export const B107: Rule = {
  id: 'B107',
  title: 'no credentials in URLs',
  severity: 'error',
  profiles: ['baseline'],
  rationale: 'A `https://user:password@host/` URL in an ARG, ENV, LABEL or RUN is stored in the image history and in every build log.',
  fix: 'Give the credential to the one RUN that needs it as a secret (a netrc file: `RUN --mount=type=secret,id=netrc,target=/root/.netrc …`).',
  check(d) {
    const findings: Finding[] = [];
    for (const instruction of allInstructions(d)) {
      if (!['ARG', 'ENV', 'LABEL', 'RUN', 'ADD'].includes(instruction.keyword)) continue;
      const texts = [instruction.args, ...instruction.heredocs.map((h) => h.body)];
      if (texts.some((t) => credentialUrl(t) !== null)) {
        findings.push(finding('B107', 'error', instruction.line, 'a URL carries `user:password@` credentials, which land in the image history: pass them as a build secret (e.g. a netrc file).'));
      }
    }
    return findings;
  },
};
