import { allInstructions, commandLine } from '../analysis.ts';
import { runCommands } from '../commands.ts';
import { finding, type Rule } from '../rule.ts';
import type { Finding } from '../types.ts';

export const B305: Rule = {
  id: 'B305',
  title: 'apt-get, not apt, in scripts',
  severity: 'warning',
  profiles: ['baseline'],
  rationale: '`apt` is the interactive front end: its output and options are not stable for scripts, and it warns so itself.',
  fix: 'Use `apt-get` (and `apt-cache`) in RUN.',
  covers: ['hadolint DL3027'],
  check(d) {
    const findings: Finding[] = [];
    for (const instruction of allInstructions(d)) {
      for (const c of runCommands(instruction)) {
        if (c.tool === 'apt' && c.args.length > 0) findings.push(finding('B305', 'warning', commandLine(instruction, c), '`apt` has no stable command-line interface for scripts: use `apt-get`.'));
      }
    }
    return findings;
  },
};
