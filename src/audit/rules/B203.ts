import { lockEvents } from '../analysis.ts';
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
    for (const event of lockEvents(d)) {
      if (event.kind === 'relock') findings.push(finding('B203', 'warning', event.line, `\`${event.command.words.join(' ')}\` ${event.why} during the build: lock on the host, commit it, and install from it here.`));
      else if (event.kind !== 'enforced') findings.push(finding('B203', 'warning', event.line, `${event.why}.`));
    }
    return findings;
  },
};
