import { unpinnedInstalls } from '../pins.ts';
import { finding, type Rule } from '../rule.ts';

export const B202: Rule = {
  id: 'B202',
  title: 'packages installed by name are pinned',
  severity: 'warning',
  profiles: ['baseline'],
  rationale: '`pip install flask` or `npm install -g typescript` takes whatever is newest at build time, so rebuilding an old commit gives different software.',
  fix: 'Pin each: `flask==3.1.0`, `typescript@5.9.3`, `go install …@v1.2.3`; a version from a build ARG counts. (OS packages are not required: pinning them needs a snapshot mirror.)',
  covers: ['hadolint DL3013', 'hadolint DL3016', 'hadolint DL3028', 'hadolint DL3062'],
  check(d) {
    return unpinnedInstalls(d, { os: false }).map((u) => finding('B202', 'warning', u.line, u.message));
  },
};
