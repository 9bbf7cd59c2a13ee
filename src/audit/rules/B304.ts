import { allInstructions, commandLine } from '../analysis.ts';
import { runCommands } from '../commands.ts';
import { aptInstall, aptUpdate } from '../packages.ts';
import { finding, type Rule } from '../rule.ts';
import type { Finding } from '../types.ts';

export const B304: Rule = {
  id: 'B304',
  title: 'apt-get update and install in the same RUN',
  severity: 'warning',
  profiles: ['baseline'],
  rationale: 'A RUN with only `apt-get update` is cached on its own; a later install then uses package lists from whenever that layer was made and fails or installs stale versions.',
  fix: 'Write `RUN apt-get update && apt-get install -y --no-install-recommends … && rm -rf /var/lib/apt/lists/*` as one RUN.',
  check(d) {
    const findings: Finding[] = [];
    for (const instruction of allInstructions(d)) {
      const commands = runCommands(instruction);
      const update = commands.findIndex(aptUpdate);
      if (update !== -1 && !commands.slice(update + 1).some(aptInstall)) {
        findings.push(finding('B304', 'warning', commandLine(instruction, commands[update]!), '`apt-get update` without an install in the same RUN caches stale package lists: install in the same RUN.'));
      }
      if (update === -1 && commands.some(aptInstall) && !commands.some((c) => c.tool === 'apt-get' && c.args.includes('--no-download'))) {
        // An install without update relies on lists from an earlier layer (or none: the base has none).
        const install = commands.find(aptInstall)!;
        findings.push(finding('B304', 'warning', commandLine(instruction, install), '`apt-get install` without `apt-get update` in the same RUN uses stale or missing package lists: run `apt-get update &&` before it.'));
      }
    }
    return findings;
  },
};
