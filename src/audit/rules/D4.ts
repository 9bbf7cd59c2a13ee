import { unpinnedInstalls } from '../pins.ts';
import { finding, type Rule } from '../rule.ts';

export const D4: Rule = {
  id: 'D4',
  title: 'every tool installed in the build is pinned',
  severity: 'error',
  profiles: ['generated'],
  rationale: 'An unpinned `pip install poetry` or `go install x@latest` installs whatever is newest on the day of the build, so the same commit builds differently over time and a bad release breaks it.',
  fix: 'Pin each tool: `pipenv==2024.0.1`, `typescript@5.9.3`, `go install …@v0.8.2`; a version from a build ARG counts.',
  check(d) {
    return unpinnedInstalls(d).map((u) => finding('D4', u.severity, u.line, u.message));
  },
};
