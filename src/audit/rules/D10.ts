import { commandsIn, finalStage, lastUser, runsAsRootByDefault } from '../analysis.ts';
import { flag } from '../dockerfile.ts';
import { finding, type Rule } from '../rule.ts';
import { inheritedInstructions, stageByRef } from '../stages.ts';
import type { Finding } from '../types.ts';

const ROOT = /^(0|root)(:(0|root))?$/;

export const D10: Rule = {
  id: 'D10',
  title: 'a numeric non-root USER in the runtime stage; application files owned by root',
  severity: 'error',
  profiles: ['generated'],
  rationale: 'Kubernetes can only verify runAsNonRoot for a numeric uid; files owned by the user that runs them can be rewritten by an attacker in the process.',
  fix: 'End the runtime stage with `USER 65532:65532` (or start from a distroless `:nonroot` base) and copy files without `--chown`.',
  check(d, context) {
    const final = finalStage(d);
    if (!final) return [];
    const findings: Finding[] = [];
    const inherited = inheritedInstructions(d, final);
    const user = lastUser(d, final);
    // Windows images have no POSIX uids (ContainerUser is the non-admin account there).
    if (!context.windows && runsAsRootByDefault(d, final)) {
      findings.push(finding('D10', 'error', final.line, 'the runtime stage sets no USER: add `USER 65532:65532` (numeric, non-root) so the platform can verify runAsNonRoot.'));
    } else if (!context.windows && user) {
      const value = user.words[0] ?? '';
      const [uid = '', gid] = value.split(':');
      if (ROOT.test(value)) findings.push(finding('D10', 'error', user.line, `\`USER ${value}\` runs as root: use a non-zero numeric uid such as \`USER 65532:65532\`.`));
      else if (value.includes('$')) findings.push(finding('D10', 'warning', user.line, `\`USER ${value}\` uses a variable: write the numeric uid, e.g. \`USER 65532:65532\`.`));
      else if (!/^\d+$/.test(uid) || (gid !== undefined && !/^\d+$/.test(gid))) findings.push(finding('D10', 'error', user.line, `\`USER ${value}\` is not numeric: use \`USER 65532:65532\` so Kubernetes can check runAsNonRoot without /etc/passwd.`));
      else if (Number(uid) === 0) findings.push(finding('D10', 'error', user.line, `\`USER ${value}\` runs as root: use a non-zero numeric uid such as \`USER 65532:65532\`.`));
    }
    const chownedIn = new Map<number, ReturnType<typeof commandsIn>[number] | undefined>();
    for (const instruction of inherited.filter((i) => i.keyword === 'COPY' || i.keyword === 'ADD')) {
      const chown = flag(instruction, 'chown');
      if (chown?.value && !ROOT.test(chown.value)) {
        findings.push(finding('D10', 'error', chown.line, `\`--chown=${chown.value}\` makes the application files writable by the user that runs them: drop --chown so they stay root-owned and read-only.`));
      }
      const chmod = flag(instruction, 'chmod');
      if (chmod?.value && /^[0-7]{3,4}$/.test(chmod.value) && (parseInt(chmod.value, 8) & 0o022) !== 0) {
        findings.push(finding('D10', 'error', chmod.line, `\`--chmod=${chmod.value}\` lets group or others write the application files: use 0644 (files) or 0755 (directories).`));
      }
      // COPY --from keeps the owner the files had in that stage, so a chown there reaches the runtime.
      const from = flag(instruction, 'from')?.value;
      const source = from ? stageByRef(d, from, instruction.stage) : undefined;
      if (source && !chownedIn.has(source.index)) {
        chownedIn.set(
          source.index,
          commandsIn(inheritedInstructions(d, source)).find(({ command: c }) => {
            const owner = c.args.find((a) => !a.startsWith('-'));
            return c.tool === 'chown' && owner !== undefined && !ROOT.test(owner);
          }),
        );
        const chowned = chownedIn.get(source.index);
        if (chowned) {
          findings.push(finding('D10', 'warning', chowned.instruction.line, `\`chown\` in the \`${source.name ?? source.index}\` stage gives files to a non-root owner, and \`COPY --from\` keeps that owner in the runtime image: leave them owned by root.`));
        }
      }
    }
    return findings;
  },
};
