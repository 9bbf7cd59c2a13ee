import { pipInstallArgs } from '../../ecosystems/index.ts';
import { commandLine, walkStage } from '../analysis.ts';
import { runCommands } from '../commands.ts';
import { envOn } from '../../ecosystems/types.ts';
import { mounts } from '../dockerfile.ts';
import { finding, type Rule } from '../rule.ts';
import type { Finding } from '../types.ts';
import type { ShellCommand } from '../shell.ts';

const isPipInstall = (command: ShellCommand) => command.tool !== 'uv' && pipInstallArgs(command) !== null;

export const B310: Rule = {
  id: 'B310',
  title: 'pip install --no-cache-dir (or a cache mount)',
  severity: 'warning',
  profiles: ['baseline'],
  rationale: 'Pip keeps every downloaded wheel in ~/.cache/pip; in a layer that is size with no use, since the next build starts from an empty cache anyway.',
  fix: 'Add `--no-cache-dir`, set `ENV PIP_NO_CACHE_DIR=1`, or mount the cache: `RUN --mount=type=cache,target=/root/.cache/pip pip install …`.',
  covers: ['hadolint DL3042'],
  check(d) {
    const findings: Finding[] = [];
    for (const stage of d.stages) {
      // Walking a stage (ENV and copies tracked) costs more than looking for a pip install first.
      if (!stage.instructions.some((i) => runCommands(i).some(isPipInstall))) continue;
      walkStage(d, stage, ({ command, instruction, state }) => {
        if (!isPipInstall(command)) return;
        if (command.args.includes('--no-cache-dir') || envOn(state.env, 'PIP_NO_CACHE_DIR')) return;
        // A cache mount on pip's cache directory or one holding it (`/root/.cache`).
        if (mounts(instruction).some((m) => m.options.type === 'cache' && /pip|(^|\/)\.cache\/?$/.test(m.options.target ?? m.options.dst ?? ''))) return;
        findings.push(finding('B310', 'warning', commandLine(instruction, command), '`pip install` keeps its download cache in the layer: add `--no-cache-dir` or mount the cache (`--mount=type=cache,target=/root/.cache/pip`).'));
      });
    }
    return findings;
  },
};
