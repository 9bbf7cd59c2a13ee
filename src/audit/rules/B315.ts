import { allInstructions, commandLine } from '../analysis.ts';
import { runCommands } from '../commands.ts';
import { mounts } from '../dockerfile.ts';
import { finding, type Rule } from '../rule.ts';
import type { Finding } from '../types.ts';

export const B315: Rule = {
  id: 'B315',
  title: 'apk add --no-cache',
  severity: 'warning',
  profiles: ['baseline'],
  rationale: 'Without --no-cache apk keeps its index in /var/cache/apk, megabytes in the layer that nothing uses.',
  fix: 'Write `apk add --no-cache PACKAGES` (or cache-mount /var/cache/apk).',
  covers: ['hadolint DL3019'],
  check(d) {
    const findings: Finding[] = [];
    for (const instruction of allInstructions(d)) {
      const cached = mounts(instruction).some((m) => m.options.type === 'cache' && /\/var\/cache\/apk/.test(m.options.target ?? ''));
      for (const c of runCommands(instruction)) {
        if (c.tool === 'apk' && c.args.find((a) => !a.startsWith('-')) === 'add' && !c.args.includes('--no-cache') && !cached) {
          findings.push(finding('B315', 'warning', commandLine(instruction, c), '`apk add` keeps its index in the layer: use `apk add --no-cache`.'));
        }
      }
    }
    return findings;
  },
};
