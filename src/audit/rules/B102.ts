import { allInstructions, commandLine } from '../analysis.ts';
import { runCommands } from '../commands.ts';
import { finding, type Rule } from '../rule.ts';
import type { Finding } from '../types.ts';

export const B102: Rule = {
  id: 'B102',
  title: 'no sudo in RUN',
  severity: 'error',
  profiles: ['baseline', 'generated'],
  rationale: 'Using sudo in a build means the image carries a sudo setup a process could use to become root, and its TTY and environment handling makes builds behave unpredictably.',
  fix: 'Run the step as root (`USER root` before it, back to the unprivileged USER after) or use `gosu`/`su-exec` in an entrypoint when a process must drop privileges.',
  covers: ['hadolint DL3004'],
  check(d) {
    const findings: Finding[] = [];
    for (const instruction of allInstructions(d)) {
      for (const c of runCommands(instruction)) {
        if (c.wrappers.some((w) => w[0] === 'sudo') || c.tool === 'sudo') {
          findings.push(finding('B102', 'error', commandLine(instruction, c), '`sudo` in a RUN: switch with `USER root` for the step instead, and do not install sudo in the image.'));
        }
      }
    }
    return findings;
  },
};
