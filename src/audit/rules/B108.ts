import { allInstructions, lineOf } from '../analysis.ts';
import { runCommands } from '../commands.ts';
import { keyValues } from '../dockerfile.ts';
import { finding, type Rule } from '../rule.ts';
import { TLS_OFF_ENV, tlsOffInCommand } from '../secrets.ts';
import type { Finding } from '../types.ts';

export const B108: Rule = {
  id: 'B108',
  title: 'TLS verification stays on',
  severity: 'error',
  profiles: ['baseline'],
  rationale: '`--trusted-host`, `curl -k`, `GIT_SSL_NO_VERIFY`, `NODE_TLS_REJECT_UNAUTHORIZED=0` let anyone on the network path replace what the build downloads.',
  fix: 'Trust your company CA instead: copy it in and point the tools at it (`SSL_CERT_FILE`, `PIP_CERT`, `NODE_EXTRA_CA_CERTS`, `update-ca-certificates`).',
  check(d) {
    const findings: Finding[] = [];
    for (const instruction of allInstructions(d)) {
      if (instruction.keyword === 'ARG' || instruction.keyword === 'ENV') {
        for (const kv of keyValues(instruction, d.escape)) {
          const off = TLS_OFF_ENV[kv.key.toUpperCase()];
          if (off && kv.value !== null && off(kv.value)) findings.push(finding('B108', 'error', kv.line, `\`${kv.key}\` turns off TLS verification: trust your CA bundle instead.`));
        }
      }
      for (const c of runCommands(instruction)) {
        const off = tlsOffInCommand(c);
        if (off) findings.push(finding('B108', 'error', lineOf(instruction, off.replace(/`/g, '').split(' ').pop()!), `${off} turns off TLS verification: trust your CA bundle instead.`));
      }
    }
    return findings;
  },
};
