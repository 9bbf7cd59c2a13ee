import { commandLine, walkStage } from '../analysis.ts';
import { bindsDependencyFiles } from '../analysis.ts';
import { installsDependencies } from '../commands.ts';
import { finding, type Rule } from '../rule.ts';
import type { Finding } from '../types.ts';

export const D5: Rule = {
  id: 'D5',
  title: 'dependency files are copied and installed before the source',
  severity: 'error',
  profiles: ['generated'],
  rationale: 'Layers are reused until the first one whose input changed; when the source is copied before the install, every code change reinstalls every dependency.',
  fix: 'COPY (or bind-mount) only the manifest and lock, install, then COPY the source; a second install of the project itself after the source (uv `--no-install-project`, poetry `--no-root`, pip `--no-deps .`) is fine.',
  check(d) {
    const findings: Finding[] = [];
    for (const stage of d.stages) {
      walkStage(d, stage, ({ command, instruction, state, ecosystem }) => {
        if (!installsDependencies(command)) return;
        const where = commandLine(instruction, command);
        if (state.sourceCopied !== null) {
          // The two-step install: dependencies first (a cached layer), the project after the source.
          if (ecosystem && state.installedWithoutProject.has(ecosystem.id)) return;
          findings.push(finding('D5', 'error', where, `\`${command.tool}\` installs dependencies after source was copied (line ${state.sourceCopied}): copy only the dependency files, install, then copy the source so code changes reuse the dependency layer.`));
        } else if (!state.dependenciesCopied && !bindsDependencyFiles(instruction)) {
          findings.push(finding('D5', 'error', where, `\`${command.tool}\` installs dependencies but no dependency file (manifest, lock) was copied or bind-mounted before it: COPY them first.`));
        }
      });
    }
    return findings;
  },
};
