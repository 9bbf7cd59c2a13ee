import { allInstructions, commandLine } from '../analysis.ts';
import { runCommands } from '../commands.ts';
import { finding, type Rule } from '../rule.ts';
import type { Finding } from '../types.ts';

export const B321: Rule = {
  id: 'B321',
  title: 'useradd with a large UID uses -l (--no-log-init)',
  severity: 'warning',
  profiles: ['baseline'],
  rationale: '`useradd` records every user in the sparse /var/log/lastlog and faillog; with a large UID that file becomes gigabytes in the layer.',
  fix: 'Add `-l` (`--no-log-init`): `useradd -l -u 100000 app`.',
  covers: ['hadolint DL3046'],
  check(d) {
    const findings: Finding[] = [];
    for (const instruction of allInstructions(d)) {
      for (const c of runCommands(instruction)) {
        if (c.tool !== 'useradd' || c.args.some((a) => a === '-l' || a === '--no-log-init' || /^-[a-zA-Z]*l[a-zA-Z]*$/.test(a))) continue;
        const at = c.args.findIndex((a) => a === '-u' || a === '--uid');
        const uid = at === -1 ? c.args.find((a) => /^--uid=\d+$/.test(a))?.slice(6) : c.args[at + 1];
        if (uid && /^\d+$/.test(uid) && Number(uid) > 99_999) findings.push(finding('B321', 'warning', commandLine(instruction, c), `\`useradd -u ${uid}\` without \`-l\` writes a huge sparse lastlog into the layer: add \`-l\`.`));
      }
    }
    return findings;
  },
};
