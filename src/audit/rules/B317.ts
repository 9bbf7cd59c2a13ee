import { lateInstalls } from '../analysis.ts';
import { finding, type Rule } from '../rule.ts';

export const B317: Rule = {
  id: 'B317',
  title: 'dependencies are installed before the source is copied',
  severity: 'warning',
  profiles: ['baseline'],
  rationale: 'Layers are reused until the first one whose input changed: with the source copied first, every code change reinstalls every dependency, and builds take minutes instead of seconds.',
  fix: 'COPY only the manifest and lock (`COPY go.mod go.sum ./`, `COPY package.json package-lock.json ./`), install, then COPY the source.',
  check(d) {
    return lateInstalls(d)
      .filter((late) => late.afterSource !== null)
      .map(({ command, line, afterSource }) => finding('B317', 'warning', line, `\`${command.tool}\` installs dependencies after the source was copied (line ${afterSource}), so every code change reinstalls them: copy the manifest and lock first, install, then copy the source.`));
  },
};
