import { lateInstalls } from '../analysis.ts';
import { finding, type Rule } from '../rule.ts';

export const D5: Rule = {
  id: 'D5',
  title: 'dependency files are copied and installed before the source',
  severity: 'error',
  profiles: ['generated'],
  rationale: 'Layers are reused until the first one whose input changed; when the source is copied before the install, every code change reinstalls every dependency.',
  fix: 'COPY (or bind-mount) only the manifest and lock, install, then COPY the source; a second install of the project itself after the source (uv `--no-install-project`, poetry `--no-root`, pip `--no-deps .`) is fine.',
  check(d) {
    return lateInstalls(d).map(({ command, line, afterSource }) =>
      afterSource !== null
        ? finding('D5', 'error', line, `\`${command.tool}\` installs dependencies after source was copied (line ${afterSource}): copy only the dependency files, install, then copy the source so code changes reuse the dependency layer.`)
        : finding('D5', 'error', line, `\`${command.tool}\` installs dependencies but no dependency file (manifest, lock) was copied or bind-mounted before it: COPY them first.`),
    );
  },
};
