import { allInstructions } from '../analysis.ts';
import { finding, type Rule } from '../rule.ts';
import { B106 } from './B106.ts';
import { B107 } from './B107.ts';
import { B108 } from './B108.ts';
import { B110 } from './B110.ts';
import { B306 } from './B306.ts';

/** The baseline rules D12 holds a generated Dockerfile to, each finding an error of D12's. */
const PARTS = [B106, B107, B108, B110, B306];

export const D12: Rule = {
  id: 'D12',
  title: 'absolute WORKDIR, COPY not ADD, TLS checks on, no secrets in ARG/ENV or layers',
  severity: 'error',
  profiles: ['generated'],
  rationale: 'ARG and ENV values and copied files stay in the image history for anyone who can pull it; ADD fetches and unpacks implicitly; `--trusted-host` and friends turn TLS off for the whole index.',
  fix: 'Pass credentials with `RUN --mount=type=secret,id=…`, trust the CA bundle instead of skipping verification, use COPY, and write WORKDIR as an absolute path.',
  check(d, context) {
    const adds = allInstructions(d)
      .filter((i) => i.keyword === 'ADD')
      .map((i) => finding('D12', 'error', i.line, 'ADD fetches URLs and unpacks archives implicitly: use COPY (and a checked download in a RUN when you need a remote file).'));
    const parts = PARTS.flatMap((rule) => rule.check(d, context)).map((f) => ({ ...f, rule: 'D12', severity: 'error' as const }));
    return [...adds, ...parts];
  },
};
