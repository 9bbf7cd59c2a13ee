import { allInstructions } from '../analysis.ts';
import { finding, type Rule } from '../rule.ts';
import type { Finding } from '../types.ts';

export const B318: Rule = {
  id: 'B318',
  title: 'EXPOSE names valid ports',
  severity: 'error',
  profiles: ['baseline'],
  rationale: 'A port outside 0-65535, or a `host:container` mapping, is rejected by the builder or means nothing in an image: publishing is the runtime\'s job.',
  fix: 'Write the container port, with a protocol if needed: `EXPOSE 8080` or `EXPOSE 8080/tcp`.',
  covers: ['hadolint DL3011', 'dockerfilelint: invalid_port, expose_host_port'],
  check(d) {
    const findings: Finding[] = [];
    for (const instruction of allInstructions(d)) {
      if (instruction.keyword !== 'EXPOSE') continue;
      for (const word of instruction.words) {
        if (word.includes('$')) continue;
        const match = /^(\d+)(?:-(\d+))?(?:\/(tcp|udp|sctp))?$/i.exec(word);
        const ports = match ? [match[1], match[2]].filter(Boolean).map(Number) : [];
        if (!match || ports.some((p) => p > 65535)) findings.push(finding('B318', 'error', instruction.line, `\`EXPOSE ${word}\` is not a container port (0-65535, optionally /tcp or /udp): write e.g. \`EXPOSE 8080\`.`));
      }
    }
    return findings;
  },
};
