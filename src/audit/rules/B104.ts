import { allInstructions, commandLine } from '../analysis.ts';
import { runCommands } from '../commands.ts';
import { finding, type Rule } from '../rule.ts';
import type { Finding } from '../types.ts';

export const B104: Rule = {
  id: 'B104',
  title: 'no apt-key',
  severity: 'warning',
  profiles: ['baseline', 'generated'],
  rationale: '`apt-key` adds a key to the global keyring, so it may sign packages for every repository, not just its own; it is deprecated and gone from current Debian and Ubuntu.',
  fix: 'Put the key in /etc/apt/keyrings/NAME.gpg and name it in the source: `deb [signed-by=/etc/apt/keyrings/NAME.gpg] https://… stable main`.',
  check(d) {
    const findings: Finding[] = [];
    for (const instruction of allInstructions(d)) {
      for (const c of runCommands(instruction)) {
        if (c.tool === 'apt-key') findings.push(finding('B104', 'warning', commandLine(instruction, c), '`apt-key` trusts the key for every repository and is deprecated: store it in /etc/apt/keyrings/ and use `signed-by=` in the source line.'));
      }
    }
    return findings;
  },
};
