import { allInstructions, commandLine } from '../analysis.ts';
import { runCommands } from '../commands.ts';
import { flag } from '../dockerfile.ts';
import { finding, type Rule } from '../rule.ts';
import type { Finding } from '../types.ts';

/** Octal modes that let others write (last digit 2, 3, 6 or 7), or symbolic `o+w`, `a+rwx`, `ugo=rw`. */
function worldWritable(mode: string): boolean {
  // The sticky bit (1777, like /tmp) lets everyone create files but delete only their own.
  if (/^[0-7]{3,4}$/.test(mode)) return (parseInt(mode, 8) & 0o002) !== 0 && (parseInt(mode, 8) & 0o1000) === 0;
  return mode.split(',').some((part) => {
    const match = /^([ugoa]*)[+=]([rwxXst]*)$/.exec(part);
    return match !== null && /[oa]/.test(match[1]!) && match[2]!.includes('w') && !match[2]!.includes('t');
  });
}

export const B103: Rule = {
  id: 'B103',
  title: 'no world-writable files (chmod 777)',
  severity: 'error',
  profiles: ['baseline', 'generated'],
  rationale: 'A file any user can write lets any process in the container (or a mounted volume\'s owner) change code or configuration the service trusts.',
  fix: 'Give files 0644 and directories 0755 owned by root; make only explicit writable paths (a volume, /tmp) writable by the service user.',
  check(d) {
    const findings: Finding[] = [];
    for (const instruction of allInstructions(d)) {
      for (const c of runCommands(instruction)) {
        if (c.tool !== 'chmod') continue;
        const mode = c.args.find((a) => !a.startsWith('-'));
        if (mode && worldWritable(mode)) findings.push(finding('B103', 'error', commandLine(instruction, c), `\`chmod ${mode}\` makes files writable by every user: use 0644 for files, 0755 for directories.`));
      }
      const chmod = flag(instruction, 'chmod');
      if (chmod?.value && worldWritable(chmod.value)) findings.push(finding('B103', 'error', chmod.line, `\`--chmod=${chmod.value}\` makes the copied files writable by every user: use 0644 for files, 0755 for directories.`));
    }
    return findings;
  },
};
