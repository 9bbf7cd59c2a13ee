import { allInstructions, commandLine } from '../analysis.ts';
import { runCommands } from '../commands.ts';
import { mounts } from '../dockerfile.ts';
import { finding, type Rule } from '../rule.ts';
import { CREDENTIAL_TARGETS, looksLikeSecretName } from '../secrets.ts';
import type { ShellCommand } from '../shell.ts';
import type { Finding } from '../types.ts';

/** Files whose only purpose is to hold credentials: writing one is writing a secret. */
const ALWAYS_CREDENTIALS = /(^|\/)(\.netrc|\.git-credentials|\.pypirc|\.dockercfg|\.docker\/config\.json|\.aws\/credentials)$/;
const SECRET_CONTENT = /(_auth|authtoken|password|passwd|token|secret|login\s|npmAuthToken)/i;

const NO_TARGETS: string[] = [];

/** Where a command writes with `>`, `>>` or `tee`. */
function writeTargets(c: ShellCommand): string[] {
  // Most commands write nothing: no list, no pattern for them.
  if (c.tool !== 'tee' && !c.words.some((w) => w.startsWith('>'))) return NO_TARGETS;
  const targets: string[] = [];
  c.words.forEach((w, i) => {
    if (w === '>' || w === '>>') targets.push(c.words[i + 1] ?? '');
    else if (/^>>?[^>&]/.test(w)) targets.push(w.replace(/^>>?/, ''));
  });
  if (c.tool === 'tee') targets.push(...c.args.filter((a) => !a.startsWith('-')));
  return targets.filter(Boolean);
}

/** A variable in the text that names a secret (`$NPM_TOKEN`, `${GITHUB_PAT}`). */
export function secretVariable(text: string): boolean {
  for (const match of text.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)) if (looksLikeSecretName(match[1]!)) return true;
  return false;
}

/** Written text that holds a credential: a secret variable or secret-looking words. */
function secretContent(text: string): boolean {
  return SECRET_CONTENT.test(text) || secretVariable(text);
}

/** `npm config set //registry/:_authToken …`, `git config credential.helper store`, `docker login -p`. */
function storesCredentials(c: ShellCommand): string | null {
  const joined = () => c.args.join(' ');
  if (['npm', 'pnpm', 'yarn'].includes(c.tool) && c.args[0] === 'config' && c.args[1] === 'set' && /(_auth|_authToken|npmAuthToken|_password)/i.test(joined())) return `\`${c.tool} config set\` with a token`;
  if (c.tool === 'git' && c.args.includes('config') && /credential\.helper/.test(joined()) && /\bstore\b/.test(joined())) return '`git config credential.helper store`';
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
      if (commands.length === 0) continue;
      // Written and removed in the same RUN: never part of a layer.
      const removed = new Set(commands.filter((c) => c.tool === 'rm').flatMap((c) => c.args));
      const mounted = mounts(instruction)
        .filter((m) => m.options.type === 'secret')
        .map((m) => m.options.target ?? m.options.dst ?? m.options.destination ?? `/run/secrets/${m.options.id ?? ''}`);
      const isSecretPath = (word: string) => word.startsWith('/run/secrets/') || mounted.includes(word);
      const flag = (c: ShellCommand, message: string) => findings.push(finding('B105', 'error', commandLine(instruction, c), message));
      commands.forEach((c, index) => {
        const stored = storesCredentials(c);
        if (stored) return flag(c, `${stored} writes a credential into the layer: mount it with \`RUN --mount=type=secret\` for the step that needs it.`);
        // `cp /run/secrets/x /etc/app.env`: the mounted secret copied out into the layer.
        if (['cp', 'mv', 'install'].includes(c.tool)) {
          const paths = c.args.filter((a) => !a.startsWith('-'));
          const target = paths[paths.length - 1];
          if (target && !removed.has(target) && paths.slice(0, -1).some(isSecretPath)) return flag(c, `\`${c.tool}\` copies a mounted secret to \`${target}\`, which stays in the layer: let the tool read it where it is mounted.`);
        }
        const source = c.tool === 'tee' && index > 0 && commands[index - 1]!.next === '|' ? commands[index - 1]! : c;
        for (const target of writeTargets(c)) {
          if (removed.has(target) || /^\/dev\/(null|stdout|stderr)$|^&\d$/.test(target)) continue;
          const content = [...source.words, ...instruction.heredocs.map((h) => h.body)].join(' ');
          const secretFile = CREDENTIAL_TARGETS.test(target) && (ALWAYS_CREDENTIALS.test(target) || secretContent(content));
          if (secretFile || source.words.some(isSecretPath) || secretVariable(content)) {
            flag(c, `the RUN writes credentials to \`${target}\`, which stays in the layer even if a later RUN deletes it: mount the secret with \`RUN --mount=type=secret,target=${target}\` instead.`);
          }
        }
      });
    }
    return findings;
  },
};
