import { allInstructions, commandLine } from '../analysis.ts';
import { runCommands } from '../commands.ts';
import { finding, type Rule } from '../rule.ts';
import type { Finding } from '../types.ts';

const DOWNLOADERS = new Set(['curl', 'wget', 'fetch']);
/** Programs that run what they read on stdin when given no script file. */
const RUNS_STDIN = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh', 'python', 'python3', 'perl', 'ruby', 'node', 'php']);
/** `sh -c "$(curl …)"`, `bash <(wget …)`: the same thing without a pipe. */
const SUBSTITUTED = /\b(?:sh|bash|dash|zsh|ksh)\s+(?:-[a-z]+\s+)*["']?(?:\$\(|<\()\s*(?:curl|wget)\b/;

export const B101: Rule = {
  id: 'B101',
  title: 'no download piped into a shell',
  severity: 'error',
  profiles: ['baseline', 'generated'],
  rationale: '`curl … | sh` runs whatever the server sends at build time, unchecked: a compromised or changed script runs as root in your build, and a truncated download runs half a script.',
  fix: 'Download to a file, check its checksum (`echo "<sha256>  install.sh" | sha256sum -c -`), then run it; better, install a pinned package.',
  check(d) {
    const findings: Finding[] = [];
    for (const instruction of allInstructions(d)) {
      const commands = runCommands(instruction);
      let reported = false;
      commands.forEach((c, index) => {
        const reader = commands[index + 1];
        if (c.next !== '|' || !DOWNLOADERS.has(c.tool) || !reader) return;
        const script = reader.args.find((a) => !a.startsWith('-'));
        if (RUNS_STDIN.has(reader.tool.replace(/^(python)[\d.]+$/, '$1')) && (script === undefined || script === '-' || reader.args.includes('-s'))) {
          findings.push(finding('B101', 'error', commandLine(instruction, c), `\`${c.tool} … | ${reader.tool}\` runs a script straight from the network: download it, verify its checksum, then run it.`));
          reported = true;
        }
      });
      if (!reported && instruction.keyword === 'RUN' && SUBSTITUTED.test(instruction.args)) {
        findings.push(finding('B101', 'error', instruction.line, 'a shell runs a script fetched by `curl`/`wget` in the same command: download it, verify its checksum, then run it.'));
      }
    }
    return findings;
  },
};
