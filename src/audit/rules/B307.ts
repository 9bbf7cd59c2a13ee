import { allInstructions } from '../analysis.ts';
import { finding, type Rule } from '../rule.ts';
import type { Finding } from '../types.ts';

export const B307: Rule = {
  id: 'B307',
  title: 'ENTRYPOINT and CMD in exec (JSON) form',
  severity: 'warning',
  profiles: ['baseline'],
  rationale: 'In shell form the service runs as a child of /bin/sh, which does not pass SIGTERM on: `docker stop` waits and then kills it, with no clean shutdown.',
  fix: 'Write a JSON array with double quotes: `CMD ["python3", "-m", "app"]`; use `exec` in a wrapper script that needs a shell.',
  covers: ['hadolint DL3025', 'dockerfile-utils: JSON form'],
  check(d, context) {
    const findings: Finding[] = [];
    for (const instruction of allInstructions(d)) {
      if ((instruction.keyword !== 'ENTRYPOINT' && instruction.keyword !== 'CMD') || instruction.json) continue;
      // Windows images run commands through cmd or PowerShell by design.
      if (context.windows) continue;
      const hint = instruction.args.startsWith('[') ? ' (it is not valid JSON: use double quotes)' : '';
      findings.push(finding('B307', 'warning', instruction.line, `${instruction.keyword} is in shell form${hint}, so signals go to /bin/sh instead of the service: write it as a JSON array.`));
    }
    return findings;
  },
};
