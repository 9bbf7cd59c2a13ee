import { allInstructions, commandLine } from '../analysis.ts';
import { runCommands } from '../commands.ts';
import { finding, type Rule } from '../rule.ts';
import type { Finding } from '../types.ts';

export const B309: Rule = {
  id: 'B309',
  title: 'WORKDIR instead of cd',
  severity: 'warning',
  profiles: ['baseline'],
  rationale: 'A `cd` lasts for one RUN only, so the next instruction runs somewhere else than a reader expects; WORKDIR is explicit and applies to what follows.',
  fix: 'Set `WORKDIR /path` before the RUN (or use the tool\'s own option, e.g. `make -C dir`, `npm --prefix dir`).',
  covers: ['hadolint DL3003'],
  check(d) {
    const findings: Finding[] = [];
    for (const instruction of allInstructions(d)) {
      const cd = runCommands(instruction).find((c) => c.tool === 'cd' && c.args.length > 0 && c.args[0] !== '-');
      if (cd) findings.push(finding('B309', 'warning', commandLine(instruction, cd), `\`cd ${cd.args[0]}\` holds for this RUN only: set \`WORKDIR\` instead.`));
    }
    return findings;
  },
};
