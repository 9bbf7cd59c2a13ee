import { finalStage } from '../analysis.ts';
import { keyValues } from '../dockerfile.ts';
import { finding, type Rule } from '../rule.ts';
import { inheritedInstructions } from '../stages.ts';
import type { Finding } from '../types.ts';

const REQUIRED_LABELS = ['title', 'source', 'revision', 'created'].map((l) => `org.opencontainers.image.${l}`);

export const D13: Rule = {
  id: 'D13',
  title: 'OCI labels on the runtime image, created from SOURCE_DATE_EPOCH',
  severity: 'error',
  profiles: ['generated'],
  rationale: 'The labels tie an image in a registry back to its source and commit; a fixed or wall-clock `created` breaks reproducible digests.',
  fix: 'LABEL org.opencontainers.image.title, .source, .revision (from an ARG) and .created (from an ARG the build fills from SOURCE_DATE_EPOCH).',
  check(d) {
    const final = finalStage(d);
    if (!final) return [];
    const findings: Finding[] = [];
    const inherited = inheritedInstructions(d, final);
    const labels = new Map<string, { value: string | null; line: number }>();
    for (const instruction of inherited.filter((i) => i.keyword === 'LABEL')) {
      for (const kv of keyValues(instruction, d.escape)) labels.set(kv.key, { value: kv.value, line: kv.line });
    }
    const missing = REQUIRED_LABELS.filter((l) => !labels.has(l));
    if (missing.length) {
      findings.push(finding('D13', 'error', final.line, `the runtime stage lacks the OCI labels ${missing.join(', ')}: add them with LABEL (revision and created from build ARGs).`));
    }
    const created = labels.get('org.opencontainers.image.created');
    if (created?.value && !created.value.includes('$')) {
      findings.push(finding('D13', 'warning', created.line, '`org.opencontainers.image.created` is a fixed value: set it from an ARG the build fills from SOURCE_DATE_EPOCH.'));
    }
    for (const instruction of inherited.filter((i) => i.keyword === 'MAINTAINER')) {
      findings.push(finding('D13', 'warning', instruction.line, 'MAINTAINER is deprecated: use `LABEL org.opencontainers.image.authors="…"`.'));
    }
    return findings;
  },
};
