import { ecosystemOf } from '../../ecosystems/index.ts';
import { commandLine, walkStage } from '../analysis.ts';
import { finding, type Rule } from '../rule.ts';
import type { Finding } from '../types.ts';

export const B203: Rule = {
  id: 'B203',
  title: 'dependencies install from the lock file',
  severity: 'warning',
  profiles: ['baseline'],
  rationale: 'An install that may resolve again (npm install, pipenv install without --deploy, uv sync without --locked) or a lock made during the build gives dependencies nobody reviewed or tested.',
  fix: 'Commit the lock and install from it: `npm ci`, `pnpm install --frozen-lockfile`, `yarn install --immutable`, `pipenv install --deploy`, `uv sync --locked`, `pip install --require-hashes -r requirements.txt`.',
  check(d) {
    const findings: Finding[] = [];
    for (const stage of d.stages) {
      walkStage(d, stage, ({ command, instruction, state, ecosystem, wrappers }) => {
        const where = commandLine(instruction, command);
        const relock = ecosystem?.locksAnew(command);
        if (relock) {
          findings.push(finding('B203', 'warning', where, `\`${command.words.join(' ')}\` ${relock} during the build: lock on the host, commit it, and install from it here.`));
          return;
        }
        for (const { e, c } of [...(ecosystem ? [{ e: ecosystem, c: command }] : []), ...wrappers.map((w) => ({ e: ecosystemOf(w)!, c: w }))]) {
          const lock = e.lockUse(c, state.env, state.verified.has(e.id));
          if (lock && lock.kind !== 'enforced') findings.push(finding('B203', 'warning', where, `${lock.why}.`));
        }
      });
    }
    return findings;
  },
};
