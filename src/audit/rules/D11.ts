import { LANGUAGE_FACTS, type LanguageId } from '../../ecosystems/index.ts';
import { allInstructions, finalStage } from '../analysis.ts';
import { finding, type Rule } from '../rule.ts';
import type { Finding } from '../types.ts';

export const D11: Rule = {
  id: 'D11',
  title: 'ENTRYPOINT and CMD in exec (JSON) form, one of each',
  severity: 'error',
  profiles: ['generated'],
  rationale: 'In shell form the process runs under /bin/sh, which does not pass SIGTERM on, so the service is killed instead of stopping cleanly; a distroless image has no shell at all.',
  fix: 'Write `CMD ["/app/server"]` (a JSON array with double quotes) and keep one ENTRYPOINT and one CMD in the runtime stage.',
  check(d, context) {
    const final = finalStage(d);
    const findings: Finding[] = [];
    const example = LANGUAGE_FACTS[(context.language in LANGUAGE_FACTS ? context.language : 'unknown') as LanguageId | 'unknown'].execForm;
    for (const instruction of allInstructions(d).filter((i) => i.keyword === 'ENTRYPOINT' || i.keyword === 'CMD')) {
      if (!instruction.json) {
        const hint = instruction.args.startsWith('[') ? ' (it is not valid JSON: use double quotes)' : '';
        findings.push(finding('D11', 'error', instruction.line, `${instruction.keyword} is in shell form${hint}: write it as a JSON array, e.g. \`${instruction.keyword} ${example}\`, so signals reach the process and no shell is needed.`));
      }
    }
    if (final) {
      for (const keyword of ['ENTRYPOINT', 'CMD']) {
        const all = final.instructions.filter((i) => i.keyword === keyword);
        if (all.length > 1) findings.push(finding('D11', 'error', all[1]!.line, `the runtime stage has ${all.length} ${keyword} instructions (only the last counts): keep one.`));
      }
    }
    return findings;
  },
};
