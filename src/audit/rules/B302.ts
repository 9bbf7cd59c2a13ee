import { allInstructions, commandLine } from '../analysis.ts';
import { runCommands } from '../commands.ts';
import { answersYes, subOf } from '../packages.ts';
import { finding, type Rule } from '../rule.ts';
import type { Finding } from '../types.ts';

const ASKS = new Set(['apt-get', 'apt', 'yum', 'dnf', 'microdnf', 'zypper']);

export const B302: Rule = {
  id: 'B302',
  title: 'package installs answer yes (-y)',
  severity: 'error',
  profiles: ['baseline'],
  rationale: 'Without -y the package manager asks for confirmation; a build has no terminal, so the install aborts (or hangs with some builders).',
  fix: 'Add `-y` (`zypper --non-interactive`).',
  covers: ['hadolint DL3014', 'hadolint DL3030', 'hadolint DL3038', 'hadolint DL3034'],
  check(d) {
    const findings: Finding[] = [];
    for (const instruction of allInstructions(d)) {
      for (const c of runCommands(instruction)) {
        if (!ASKS.has(c.tool) || !['install', 'in', 'upgrade', 'dist-upgrade', 'remove', 'purge'].includes(subOf(c) ?? '')) continue;
        if (c.tool === 'microdnf' || answersYes(c)) continue;
        findings.push(finding('B302', 'error', commandLine(instruction, c), `\`${c.tool} ${subOf(c)}\` without \`-y\` asks for confirmation, which a build cannot give: add \`${c.tool === 'zypper' ? '--non-interactive' : '-y'}\`.`));
      }
    }
    return findings;
  },
};
