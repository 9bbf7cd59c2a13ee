import { allInstructions, commandLine } from '../analysis.ts';
import { runCommands } from '../commands.ts';
import { finding, type Rule } from '../rule.ts';
import type { Finding } from '../types.ts';

const UPGRADES: Record<string, string[]> = { 'apt-get': ['upgrade', 'dist-upgrade', 'full-upgrade'], apt: ['upgrade', 'full-upgrade', 'dist-upgrade'], apk: ['upgrade'], yum: ['upgrade', 'update'], dnf: ['upgrade', 'update', 'distro-sync'], microdnf: ['upgrade', 'update'], zypper: ['update', 'up', 'dist-upgrade', 'dup'] };

export const B204: Rule = {
  id: 'B204',
  title: 'no blanket OS upgrade in the build',
  severity: 'warning',
  profiles: ['baseline'],
  rationale: '`apt-get upgrade` makes the image depend on the day it was built instead of the base tag, and can replace packages the base maintainers chose.',
  fix: 'Take security fixes by moving to a newer base tag (or digest); install the specific packages you need.',
  covers: ['hadolint DL3005'],
  check(d) {
    const findings: Finding[] = [];
    for (const instruction of allInstructions(d)) {
      for (const c of runCommands(instruction)) {
        const upgrades = Object.hasOwn(UPGRADES, c.tool) ? UPGRADES[c.tool]! : null;
        if (!upgrades) continue;
        const sub = c.args.find((a) => !a.startsWith('-'));
        const names = c.args.filter((a) => !a.startsWith('-')).slice(1);
        // `yum update pkg` updates one package; only the bare form upgrades everything.
        if (sub && upgrades.includes(sub) && (names.length === 0 || c.tool === 'apt-get' || c.tool === 'apt')) {
          findings.push(finding('B204', 'warning', commandLine(instruction, c), `\`${c.tool} ${sub}\` upgrades whatever is new on build day: move to a newer base image tag instead.`));
        }
      }
    }
    return findings;
  },
};
