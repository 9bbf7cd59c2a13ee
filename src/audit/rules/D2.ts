import { finalStage } from '../analysis.ts';
import { finding, type Rule } from '../rule.ts';
import type { Finding } from '../types.ts';

export const D2: Rule = {
  id: 'D2',
  title: 'named stages in order: cert-bundle, builder, test, runtime',
  severity: 'error',
  profiles: ['generated'],
  rationale: 'The generated contract names its stages so CI can build `--target test`, other stages can refer to them by name, and a reader finds the same layout in every service.',
  fix: 'Name the stages `cert-bundle` (when a CA bundle is used), `builder`, `test`, and put the runtime stage last.',
  check(d, context) {
    const findings: Finding[] = [];
    const final = finalStage(d);
    if (!final) return [finding('D2', 'error', undefined, 'no FROM instruction: a Dockerfile needs named stages cert-bundle (optional), builder, test and a runtime stage.')];
    const at = (name: string) => d.stages.find((s) => s.name === name);
    const certBundle = at('cert-bundle');
    const builder = at('builder');
    const test = at('test');
    if (context.certBundle && !certBundle) {
      findings.push(finding('D2', 'error', d.stages[0]!.line, 'a CA bundle is expected but there is no `cert-bundle` stage: add `FROM <bundle image> AS cert-bundle` first.'));
    }
    if (!builder) findings.push(finding('D2', 'error', d.stages[0]!.line, 'no stage named `builder`: name the stage that installs the locked dependencies `AS builder`.'));
    if (!test) findings.push(finding('D2', 'error', final.line, 'no stage named `test`: run the quality gates in a stage `FROM builder AS test`.'));
    if (certBundle && builder && certBundle.index > builder.index) {
      findings.push(finding('D2', 'error', certBundle.line, '`cert-bundle` comes after `builder`: declare the CA bundle stage first, the builder copies from it.'));
    }
    if (builder && test && test.index < builder.index) {
      findings.push(finding('D2', 'error', test.line, '`test` comes before `builder`: order the stages cert-bundle, builder, test, runtime.'));
    }
    for (const named of [certBundle, builder, test]) {
      if (named && named === final && d.stages.length > 1) {
        findings.push(finding('D2', 'error', named.line, `the last stage is \`${named.name}\`: the runtime stage must come last, after test.`));
      }
    }
    for (const stage of d.stages.slice(0, -1)) {
      if (!stage.name) findings.push(finding('D2', 'warning', stage.line, `stage ${stage.index} has no name: add \`AS <name>\` so other stages refer to it by name, not by index.`));
    }
    return findings;
  },
};
