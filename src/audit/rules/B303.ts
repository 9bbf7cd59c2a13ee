import { allInstructions, commandLine } from '../analysis.ts';
import { runCommands } from '../commands.ts';
import { mounts } from '../dockerfile.ts';
import { aptInstall } from '../packages.ts';
import { finding, type Rule } from '../rule.ts';
import type { Finding } from '../types.ts';

export const B303: Rule = {
  id: 'B303',
  title: 'apt lists removed in the RUN that installs (or cache-mounted)',
  severity: 'warning',
  profiles: ['baseline'],
  rationale: '/var/lib/apt/lists holds tens of megabytes of indexes; left in the layer they bloat the image, and removed in a later RUN they still are in the earlier layer.',
  fix: 'End the install RUN with `&& rm -rf /var/lib/apt/lists/*`, or mount the lists as a cache: `RUN --mount=type=cache,target=/var/lib/apt/lists …`.',
  covers: ['hadolint DL3009'],
  check(d) {
    const findings: Finding[] = [];
    for (const instruction of allInstructions(d)) {
      const commands = runCommands(instruction);
      const install = commands.find(aptInstall);
      if (!install) continue;
      const cached = mounts(instruction).some((m) => m.options.type === 'cache' && /\/var\/lib\/apt/.test(m.options.target ?? m.options.dst ?? ''));
      const cleaned = commands.some((c) => c.tool === 'rm' && c.args.some((a) => a.startsWith('/var/lib/apt/lists')));
      if (!cached && !cleaned) findings.push(finding('B303', 'warning', commandLine(instruction, install), 'the RUN installs with apt but leaves /var/lib/apt/lists in the layer: end it with `&& rm -rf /var/lib/apt/lists/*` (or cache-mount the lists).'));
    }
    return findings;
  },
};
