import { allInstructions, wordLine } from '../analysis.ts';
import { runCommands } from '../commands.ts';
import { unpinnedTools } from '../pins.ts';
import { finding, type Rule } from '../rule.ts';
import type { Finding } from '../types.ts';

export const B202: Rule = {
  id: 'B202',
  title: 'packages installed by name are pinned',
  severity: 'warning',
  profiles: ['baseline'],
  rationale: '`pip install flask` or `npm install -g typescript` takes whatever is newest at build time, so rebuilding an old commit gives different software.',
  fix: 'Pin each: `flask==3.1.0`, `typescript@5.9.3`, `go install …@v1.2.3`; a version from a build ARG counts. (OS packages are not required: pinning them needs a snapshot mirror.)',
  covers: ['hadolint DL3013', 'hadolint DL3016', 'hadolint DL3028', 'hadolint DL3062'],
  check(d) {
    const findings: Finding[] = [];
    for (const instruction of allInstructions(d)) for (const command of runCommands(instruction)) {
      const unpinned = unpinnedTools(command);
      if (!unpinned || unpinned.os || unpinned.tools.length === 0) continue;
      const names = unpinned.tools.map((t) => `\`${t}\``).join(', ');
      findings.push(finding('B202', 'warning', wordLine(instruction, command, unpinned.tools[0]!), `\`${command.tool}\` installs ${names} without a pinned version: ${unpinned.how}.`));
    }
    return findings;
  },
};
