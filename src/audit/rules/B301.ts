import { allInstructions, commandLine } from '../analysis.ts';
import { runCommands } from '../commands.ts';
import { aptInstall } from '../packages.ts';
import { finding, type Rule } from '../rule.ts';
import type { Finding } from '../types.ts';

export const B301: Rule = {
  id: 'B301',
  title: 'apt-get install --no-install-recommends',
  severity: 'warning',
  profiles: ['baseline'],
  rationale: 'Recommended packages often double the install size and bring in tools (and CVEs) the image never uses.',
  fix: 'Write `apt-get install -y --no-install-recommends PACKAGES`, adding any recommended package you really need by name.',
  covers: ['hadolint DL3015'],
  check(d) {
    const findings: Finding[] = [];
    for (const instruction of allInstructions(d)) {
      for (const c of runCommands(instruction)) {
        if (aptInstall(c) && !c.args.some((a) => a === '--no-install-recommends' || /Install-Recommends=(false|0)/i.test(a))) {
          findings.push(finding('B301', 'warning', commandLine(instruction, c), `\`${c.tool} install\` without \`--no-install-recommends\` pulls in packages nobody asked for: add the option.`));
        }
      }
    }
    return findings;
  },
};
