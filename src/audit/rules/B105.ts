import { allInstructions, commandLine } from '../analysis.ts';
import { runCommands } from '../commands.ts';
import { finding, type Rule } from '../rule.ts';
import { CREDENTIAL_TARGETS, looksLikeSecretName } from '../secrets.ts';
import type { ShellCommand } from '../shell.ts';
import type { Finding } from '../types.ts';

/** Files whose only purpose is to hold credentials: writing one is writing a secret. */
const ALWAYS_CREDENTIALS = /(^|\/)(\.netrc|\.git-credentials|\.pypirc|\.dockercfg|\.docker\/config\.json|\.aws\/credentials)$/;
const SECRET_CONTENT = /(_auth|authtoken|password|passwd|token|secret|login\s|npmAuthToken)/i;

/** Where a command writes with `>`, `>>` or `tee`. */
function writeTargets(c: ShellCommand): string[] {
  const targets: string[] = [];
  c.words.forEach((w, i) => {
    if (w === '>' || w === '>>') targets.push(c.words[i + 1] ?? '');
    else if (/^>>?[^>&]/.test(w)) targets.push(w.replace(/^>>?/, ''));
  });
  if (c.tool === 'tee') targets.push(...c.args.filter((a) => !a.startsWith('-')));
  return targets.filter(Boolean);
}

/** A variable in the written text that names a secret (`$NPM_TOKEN`), or secret-looking words. */
function secretContent(text: string): boolean {
  if (SECRET_CONTENT.test(text)) return true;
  for (const match of text.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)) if (looksLikeSecretName(match[1]!)) return true;
  return false;
}

/** `npm config set //registry/:_authToken …`, `git config credential.helper store`, `docker login -p`. */
function storesCredentials(c: ShellCommand): string | null {
  const joined = c.args.join(' ');
  if (['npm', 'pnpm', 'yarn'].includes(c.tool) && c.args[0] === 'config' && c.args[1] === 'set' && /(_auth|_authToken|npmAuthToken|_password)/i.test(joined)) return `\`${c.tool} config set\` with a token`;
  if (c.tool === 'git' && c.args.includes('config') && /credential\.helper/.test(joined) && /\bstore\b/.test(joined)) return '`git config credential.helper store`';
  if (['docker', 'podman', 'buildah'].includes(c.tool) && c.args[0] === 'login' && c.args.some((a) => a === '-p' || a.startsWith('--password='))) return `\`${c.tool} login -p\``;
  return null;
}

export const B105: Rule = {
  id: 'B105',
  title: 'no credentials written into a file by a RUN',
  severity: 'error',
  profiles: ['baseline', 'generated'],
  rationale: 'A file a RUN writes is part of that layer for good: deleting it in a later RUN does not remove it from the image, and anyone who pulls the image can read it.',
  fix: 'Mount the credential for the one RUN that needs it: `RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci` (build with `--secret id=npmrc,src=$HOME/.npmrc`).',
  check(d) {
    const findings: Finding[] = [];
    for (const instruction of allInstructions(d)) {
      const commands = runCommands(instruction);
      // Written and removed in the same RUN: never part of a layer.
      const removed = new Set(commands.filter((c) => c.tool === 'rm').flatMap((c) => c.args));
      commands.forEach((c, index) => {
        const stored = storesCredentials(c);
        if (stored) {
          findings.push(finding('B105', 'error', commandLine(instruction, c), `${stored} writes a credential into the layer: mount it with \`RUN --mount=type=secret\` for the step that needs it.`));
          return;
        }
        for (const target of writeTargets(c)) {
          if (!CREDENTIAL_TARGETS.test(target) || removed.has(target)) continue;
          const source = c.tool === 'tee' && index > 0 && commands[index - 1]!.next === '|' ? commands[index - 1]! : c;
          const content = [...source.words, ...instruction.heredocs.map((h) => h.body)].join(' ');
          if (ALWAYS_CREDENTIALS.test(target) || secretContent(content)) {
            findings.push(finding('B105', 'error', commandLine(instruction, c), `the RUN writes credentials to \`${target}\`, which stays in the layer even if a later RUN deletes it: mount it with \`RUN --mount=type=secret,target=${target}\` instead.`));
          }
        }
      });
    }
    return findings;
  },
};
