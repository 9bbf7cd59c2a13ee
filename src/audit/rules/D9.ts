import { LANGUAGE_FACTS, type LanguageId } from '../../ecosystems/index.ts';
import { finalStage } from '../analysis.ts';
import { parseImageRef } from '../image-ref.ts';
import { finding, type Rule } from '../rule.ts';
import { baseImage } from '../stages.ts';
import type { Finding } from '../types.ts';

function looksDistroless(reference: string, allowed: readonly string[] | undefined): boolean {
  if (reference.toLowerCase() === 'scratch') return true;
  const name = parseImageRef(reference).name;
  if (allowed?.some((a) => a === reference || parseImageRef(a).name === name)) return true;
  return /distroless|(^|\/)cgr\.dev\/chainguard\/(static|glibc-dynamic)/.test(name);
}

export const D9: Rule = {
  id: 'D9',
  title: 'the runtime base is distroless: no shell, no package manager',
  severity: 'error',
  profiles: ['generated'],
  rationale: 'A shell and a package manager in the running image are what an attacker uses after getting in, and they carry CVEs the service never needed.',
  fix: 'Start the runtime stage from a distroless image for the language (e.g. gcr.io/distroless/static-debian13:nonroot for Go) or your registry\'s equivalent, and COPY only what runs.',
  check(d, context) {
    const final = finalStage(d);
    if (!final) return [];
    const findings: Finding[] = [];
    const base = baseImage(d, final);
    const facts = LANGUAGE_FACTS[(context.language in LANGUAGE_FACTS ? context.language : 'unknown') as LanguageId | 'unknown'];
    if (!looksDistroless(base, context.runtimeAllowed)) {
      findings.push(finding('D9', 'error', final.line, `the runtime stage starts from \`${base}\`, which is not distroless: use a distroless base (e.g. \`${facts.distroless}\`) or your registry's equivalent.`));
    } else if (/debug/.test(parseImageRef(base).tag ?? '')) {
      findings.push(finding('D9', 'error', final.line, `\`${base}\` is a debug variant with a busybox shell: use the non-debug tag.`));
    }
    for (const instruction of final.instructions.filter((i) => i.keyword === 'RUN' || i.keyword === 'SHELL')) {
      findings.push(finding('D9', 'error', instruction.line, `${instruction.keyword} in the runtime stage runs build work in an image that should have no shell or tools: do that work in the builder and COPY the result.`));
    }
    return findings;
  },
};
