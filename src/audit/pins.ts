/**
 * Whether images and tools are pinned: shared by D3/D4 (the generated contract, digests expected)
 * and the baseline rules (a tag is enough there).
 */
import { pipInstallArgs, readPipInstall } from '../ecosystems/index.ts';
import { isPinnedRequirement } from './commands.ts';
import { isDigest, parseImageRef, PLATFORM_ARGS } from './image-ref.ts';
import type { Dockerfile } from './dockerfile.ts';
import type { ShellCommand } from './shell.ts';
import { allInstructions, wordLine } from './analysis.ts';
import { runCommands } from './commands.ts';
import { fromRefs, globalArgValues, isStageRef } from './stages.ts';
import { expandVariables } from './image-ref.ts';
import type { Severity } from './types.ts';

/** Every image the build pulls: FROM bases, `COPY --from=image`, `RUN --mount=from=image` (not stages). */
export function pulledImages(d: Dockerfile): Array<{ reference: string; line: number; what: string }> {
  const vars = globalArgValues(d);
  const images: Array<{ reference: string; line: number; what: string }> = [];
  for (const stage of d.stages) {
    const base = expandVariables(stage.base, vars);
    if (!isStageRef(d, base, stage.index)) images.push({ reference: base, line: stage.line, what: 'base image' });
  }
  for (const instruction of allInstructions(d)) {
    for (const ref of fromRefs(instruction)) {
      if (/^\d+$/.test(ref.ref) || isStageRef(d, ref.ref, instruction.stage)) continue;
      images.push({ reference: expandVariables(ref.ref, vars), line: ref.line, what: 'image' });
    }
  }
  return images;
}

export type ImagePin =
  | { kind: 'digest' }
  | { kind: 'tag' }
  | { kind: 'latest-with-digest' }
  | { kind: 'bad-digest' }
  | { kind: 'untagged'; name: string }
  | { kind: 'latest'; name: string }
  /** A variable the build fills (an ARG without default); `platform` when only BuildKit's platform ARGs remain. */
  | { kind: 'variable'; platform: boolean };

const PLATFORM = new RegExp(`\\$\\{?(${PLATFORM_ARGS.join('|')})\\}?`, 'g');

/** How an image reference (variables already expanded where known) is pinned. */
export function imagePin(reference: string): ImagePin {
  if (reference.includes('$')) {
    const rest = reference.replace(PLATFORM, 'x');
    if (rest.includes('$')) return { kind: 'variable', platform: false };
    // Only the platform varies (`image:1.2-${TARGETARCH}`): judge the rest of the reference.
    const pin = imagePin(rest);
    return pin.kind === 'tag' || pin.kind === 'digest' ? pin : { kind: 'variable', platform: true };
  }
  const ref = parseImageRef(reference);
  if (ref.digest !== null) {
    if (!isDigest(ref.digest)) return { kind: 'bad-digest' };
    return ref.tag === 'latest' ? { kind: 'latest-with-digest' } : { kind: 'digest' };
  }
  if (ref.tag === null) return { kind: 'untagged', name: ref.name };
  if (ref.tag === 'latest') return { kind: 'latest', name: ref.name };
  return { kind: 'tag' };
}

export interface UnpinnedTools {
  tools: string[];
  severity: Severity;
  how: string;
  /** OS packages (apt, apk), which only a snapshot mirror can pin. */
  os: boolean;
}

/** The packages a command installs by name without a pinned version, or null when it installs none. */
export function unpinnedTools(c: ShellCommand): UnpinnedTools | null {
  const first = c.args[0];
  const named = (from: number) => c.args.slice(from).filter((a) => !a.startsWith('-'));
  const result = (tools: string[], how: string, severity: Severity = 'error', os = false): UnpinnedTools => ({ tools, severity, how, os });
  const pip = pipInstallArgs(c);
  if (pip) return result(readPipInstall(pip).requirements.filter((r) => !isPinnedRequirement(r)), 'pin each with `==X.Y.Z`');
  if ((c.tool === 'pipx' || (c.tool === 'uv' && first === 'tool')) && c.args.includes('install')) {
    return result(named(c.args.indexOf('install') + 1).filter((r) => !isPinnedRequirement(r)), 'pin each with `==X.Y.Z`');
  }
  if (['npm', 'pnpm', 'yarn'].includes(c.tool) && ['install', 'i', 'add'].includes(first ?? '')) {
    // A version from a build ARG (`pnpm@$PNPM_VERSION`) is pinned by whoever sets the ARG.
    const pinned = (p: string) => /^(@[^/]+\/)?[^@]+@(\d\S*|\$\S+)$/.test(p);
    return result(named(1).filter((p) => !pinned(p)), 'pin each with `@X.Y.Z`');
  }
  if (c.tool === 'go' && first === 'install') {
    const pinned = (p: string) => /@(v?\d|\$)/.test(p) && !/@latest$/.test(p);
    return result(named(1).filter((p) => !pinned(p)), 'pin each with `@vX.Y.Z` (not @latest)');
  }
  if (c.tool === 'gem' && first === 'install') {
    if (c.args.some((a) => a === '-v' || a.startsWith('--version'))) return null;
    return result(named(1).filter((a) => !/:\d/.test(a)), 'pin with `-v X.Y.Z`');
  }
  // Maven: `group:artifact:goal` resolves the newest plugin; `group:artifact:version:goal` is pinned
  // (a `prefix:goal` takes its version from the POM, which the enforcer checks).
  if (['mvn', 'mvnw'].includes(c.tool)) {
    return result(c.args.filter((a) => !a.startsWith('-') && a.split(':').length === 3), 'name the version, `group:artifact:X.Y.Z:goal`, or pin the plugin in pom.xml and use its prefix');
  }
  if (c.tool === 'cargo' && first === 'install') {
    if (c.args.includes('--version')) return null;
    return result(named(1).filter((a) => !a.includes('@')), 'pin with `--version X.Y.Z` or `name@X.Y.Z`');
  }
  // OS packages: a warning, since pinning them needs a snapshot mirror to stay buildable.
  if (['apt-get', 'apt'].includes(c.tool) && first === 'install') {
    return result(named(1).filter((a) => !a.includes('=') && !a.endsWith('.deb')), 'pin each with `=VERSION` (and a snapshot mirror)', 'warning', true);
  }
  if (c.tool === 'apk' && first === 'add') {
    return result(named(1).filter((a) => !a.includes('=')), 'pin each with `=VERSION`', 'warning', true);
  }
  return null;
}

/** An install of packages by name without versions: where, what to say, and how bad (D4 and B202 report these). */
export interface UnpinnedInstall extends UnpinnedTools {
  /** The line of the first unpinned name. */
  line: number;
  message: string;
}

/** `os: false` leaves out OS packages (apt, apk) before any message is written: B202 does not report them. */
export function unpinnedInstalls(d: Dockerfile, { os = true }: { os?: boolean } = {}): UnpinnedInstall[] {
  const found: UnpinnedInstall[] = [];
  for (const instruction of allInstructions(d)) {
    for (const command of runCommands(instruction)) {
      const unpinned = unpinnedTools(command);
      if (!unpinned || unpinned.tools.length === 0 || (unpinned.os && !os)) continue;
      const names = unpinned.tools.map((t) => `\`${t}\``).join(', ');
      found.push({ ...unpinned, line: wordLine(instruction, command, unpinned.tools[0]!), message: `\`${command.tool}\` installs ${names} without a pinned version: ${unpinned.how}.` });
    }
  }
  return found;
}
