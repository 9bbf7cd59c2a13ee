import { allInstructions, commandLine } from '../analysis.ts';
import { runCommands } from '../commands.ts';
import { finding, type Rule } from '../rule.ts';
import type { Finding } from '../types.ts';

const DOWNLOADERS = new Set(['curl', 'wget']);
const SHELLS = /^(sh|bash|dash|ash|zsh|ksh|python[\d.]*|perl|ruby|node|php)$/;

export const B311: Rule = {
  id: 'B311',
  title: 'a download piped into another command fails the RUN when the download fails',
  severity: 'warning',
  profiles: ['baseline'],
  rationale: 'A pipeline\'s status is its last command\'s: `curl … | tar x` succeeds with a failed or truncated download unless pipefail is set.',
  fix: 'Start the RUN with `set -o pipefail &&` (bash) or set `SHELL ["/bin/bash", "-o", "pipefail", "-c"]`; or download to a file first.',
  covers: ['hadolint DL4006'],
  check(d) {
    const findings: Finding[] = [];
    let pipefailShell = false;
    for (const instruction of allInstructions(d)) {
      if (instruction.keyword === 'SHELL') pipefailShell = instruction.args.includes('pipefail');
      if (instruction.keyword === 'FROM') pipefailShell = false;
      const commands = runCommands(instruction);
      let pipefail = pipefailShell;
      commands.forEach((c, index) => {
        if (c.tool === 'set' && c.args.includes('pipefail')) pipefail = true;
        const reader = commands[index + 1];
        // A pipe into a shell is B101's (a worse problem than the exit status).
        if (pipefail || c.next !== '|' || !DOWNLOADERS.has(c.tool) || !reader || SHELLS.test(reader.tool)) return;
        findings.push(finding('B311', 'warning', commandLine(instruction, c), `\`${c.tool} … | ${reader.tool}\` succeeds even when the download fails: \`set -o pipefail\` first (with bash) or download to a file.`));
      });
    }
    return findings;
  },
};
