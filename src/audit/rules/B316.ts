import { allInstructions, contextCopy } from '../analysis.ts';
import { copyPaths } from '../commands.ts';
import { isIgnored, parseDockerignore } from '../dockerignore.ts';
import { finding, type Rule } from '../rule.ts';
import type { Finding } from '../types.ts';
import { ALWAYS_IGNORED } from './D15.ts';

export const B316: Rule = {
  id: 'B316',
  title: 'copying the whole context leaves .git and .env out',
  severity: 'warning',
  profiles: ['baseline'],
  rationale: '`COPY . .` takes everything the context holds: without a .dockerignore that is the `.git` history and any `.env` file with its secrets, and every commit busts the layer cache.',
  fix: 'Add a .dockerignore beside the Dockerfile with at least `.git` and `.env` (and the language\'s build and cache directories).',
  check(d, context) {
    if (context.dockerignore === undefined) return [];
    const whole = allInstructions(d).find((i) => contextCopy(i) && copyPaths(i).sources.some((s) => ['.', './', '*', './*'].includes(s)));
    if (!whole) return [];
    const findings: Finding[] = [];
    if (context.dockerignore === null) {
      findings.push(finding('B316', 'warning', whole.line, `\`${whole.keyword} ${copyPaths(whole).sources.join(' ')}\` copies the whole context and there is no .dockerignore: add one that excludes .git and .env.`));
    } else {
      const patterns = parseDockerignore(context.dockerignore);
      const missing = ALWAYS_IGNORED.filter((n) => !isIgnored(patterns, n.path)).map((n) => n.pattern);
      if (missing.length) findings.push(finding('B316', 'warning', whole.line, `the whole context is copied and .dockerignore does not exclude ${missing.join(', ')}: add ${missing.length === 1 ? 'that line' : 'those lines'}.`));
    }
    return findings;
  },
};
