import { allInstructions, commandLine } from '../analysis.ts';
import { runCommands } from '../commands.ts';
import { finding, type Rule } from '../rule.ts';
import type { Finding } from '../types.ts';
import { secretVariable } from './B105.ts';

export const B113: Rule = {
  id: 'B113',
  title: 'no secret printed into the build log',
  severity: 'error',
  profiles: ['baseline', 'generated'],
  rationale: 'Build logs are kept and shared (CI output, `docker build --progress=plain`): `echo $GITHUB_TOKEN` publishes the token to everyone who can read them.',
  fix: 'Do not print it; pass the secret with `RUN --mount=type=secret,…` to the command that needs it.',
  check(d) {
    const findings: Finding[] = [];
    for (const instruction of allInstructions(d)) {
      for (const c of runCommands(instruction)) {
        if (!['echo', 'printf', 'print'].includes(c.tool) || c.next === '|') continue;
        // Redirected into a file is B105's; to the terminal it is the log.
        const redirected = c.words.some((w, i) => /^>>?/.test(w) && !/^>>?\s*\/dev\/(stdout|stderr)$/.test(`${w}${w.length <= 2 ? (c.words[i + 1] ?? '') : ''}`) && !/^>&\d$/.test(w));
        if (!redirected && secretVariable(c.args.join(' '))) {
          findings.push(finding('B113', 'error', commandLine(instruction, c), `\`${c.tool}\` prints a secret-named variable into the build log: do not print it.`));
        }
      }
    }
    return findings;
  },
};
