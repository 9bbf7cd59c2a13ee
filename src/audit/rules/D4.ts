import { allInstructions, wordLine } from '../analysis.ts';
import { runCommands } from '../commands.ts';
import { unpinnedTools } from '../pins.ts';
import { finding, type Rule } from '../rule.ts';
import type { Finding } from '../types.ts';

export const D4: Rule = {
  id: 'D4',
  title: 'every tool installed in the build is pinned',
  severity: 'error',
  profiles: ['generated'],
  rationale: 'An unpinned `pip install poetry` or `go install x@latest` installs whatever is newest on the day of the build, so the same commit builds differently over time and a bad release breaks it.',
  fix: 'Pin each tool: `pipenv==2024.0.1`, `typescript@5.9.3`, `go install …@v0.8.2`; a version from a build ARG counts.',
  check(d) {
    const findings: Finding[] = [];
    for (const instruction of allInstructions(d)) for (const command of runCommands(instruction)) {
      const unpinned = unpinnedTools(command);
      if (!unpinned || unpinned.tools.length === 0) continue;
      const names = unpinned.tools.map((t) => `\`${t}\``).join(', ');
      findings.push(finding('D4', unpinned.severity, wordLine(instruction, command, unpinned.tools[0]!), `\`${command.tool}\` installs ${names} without a pinned version: ${unpinned.how}.`));
    }
    return findings;
  },
};
