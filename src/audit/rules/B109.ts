import { finalStage, lastUser, runsAsRootByDefault } from '../analysis.ts';
import { finding, type Rule } from '../rule.ts';

const ROOT = /^(0|root)(:(0|root))?$/i;

export const B109: Rule = {
  id: 'B109',
  title: 'the image does not run as root',
  severity: 'error',
  profiles: ['baseline'],
  rationale: 'A process running as root in the container is root on the host\'s kernel too: one escape or a writable mount away from the node.',
  fix: 'End the last stage with a non-root `USER` (numeric, e.g. `USER 65532:65532`, so Kubernetes can check runAsNonRoot), or start from a `:nonroot` base.',
  covers: ['hadolint DL3002'],
  check(d, context) {
    const final = finalStage(d);
    if (!final || context.windows) return [];
    const last = lastUser(d, final);
    if (last && ROOT.test(last.words[0] ?? '')) {
      return [finding('B109', 'error', last.line, `the last USER is \`${last.words[0]}\`, so the container runs as root: switch to an unprivileged user at the end, e.g. \`USER 65532:65532\`.`)];
    }
    if (runsAsRootByDefault(d, final)) {
      return [finding('B109', 'warning', final.line, 'the final stage sets no USER, so the container runs as root unless the base image says otherwise: add a non-root `USER`, e.g. `USER 65532:65532`.')];
    }
    return [];
  },
};
