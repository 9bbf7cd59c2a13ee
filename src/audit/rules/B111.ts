import { allInstructions } from '../analysis.ts';
import { copyPaths } from '../commands.ts';
import { flag } from '../dockerfile.ts';
import { finding, type Rule } from '../rule.ts';
import type { Finding } from '../types.ts';

const REMOTE = /^(https?|ftp):\/\/|^git@|\.git(#.*)?$/i;
const ARCHIVE = /\.(tar|tar\.gz|tgz|tar\.bz2|tbz2?|tar\.xz|txz|tar\.zst|tzst)$/i;

export const B111: Rule = {
  id: 'B111',
  title: 'ADD only for local archives; no unchecked remote ADD',
  severity: 'error',
  profiles: ['baseline'],
  rationale: '`ADD <url>` downloads at build time with nothing checking what arrives; ADD of a plain file hides that it may also unpack archives. COPY does exactly one thing.',
  fix: 'Use COPY for files; for a download, `ADD --checksum=sha256:… <url>` (BuildKit) or a RUN that fetches and verifies it.',
  covers: ['hadolint DL3020', 'dockerfilelint: ADD used instead of COPY'],
  check(d) {
    const findings: Finding[] = [];
    for (const instruction of allInstructions(d)) {
      if (instruction.keyword !== 'ADD' || instruction.heredocs.length) continue;
      const { sources } = copyPaths(instruction);
      const remote = sources.find((s) => REMOTE.test(s));
      // A git source pinned to a ref (`….git#v1.2.3`) is BuildKit's documented way to add a repository.
      const pinnedGit = remote !== undefined && /\.git#\S+$/.test(remote);
      if (remote && !pinnedGit && !flag(instruction, 'checksum')) {
        findings.push(finding('B111', 'error', instruction.line, `\`ADD ${remote}\` downloads without checking what it got: add \`--checksum=sha256:…\` or download and verify it in a RUN.`));
      } else if (!remote && !flag(instruction, 'from') && sources.some((s) => !ARCHIVE.test(s))) {
        findings.push(finding('B111', 'warning', instruction.line, 'ADD of local files also unpacks archives and fetches URLs: use COPY for plain files.'));
      }
    }
    return findings;
  },
};
