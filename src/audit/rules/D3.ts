import { allInstructions } from '../analysis.ts';
import { expandVariables, parseImageRef } from '../image-ref.ts';
import { imagePin } from '../pins.ts';
import { finding, type Rule } from '../rule.ts';
import { fromRefs, globalArgValues, stageByRef } from '../stages.ts';
import type { Dockerfile } from '../dockerfile.ts';
import type { Finding } from '../types.ts';

/** True when `name` is `pieces` joined by non-empty runs of anything (`*` globs: linear, no backtracking). */
function fits(name: string, pieces: string[]): boolean {
  const first = pieces[0]!;
  const last = pieces[pieces.length - 1]!;
  if (!name.startsWith(first) || name.length < first.length + last.length + pieces.length - 1) return false;
  let at = first.length;
  for (const piece of pieces.slice(1, -1)) {
    const found = name.indexOf(piece, at + 1);
    if (found === -1) return false;
    at = found + piece.length;
  }
  return name.endsWith(last) && name.length - last.length >= at + 1;
}

/** A reference that names an earlier stage, a variable standing for part of its name included. */
export function isStageRef(d: Dockerfile, reference: string, before: number): boolean {
  if (reference.toLowerCase() === 'scratch' || stageByRef(d, reference, before)) return true;
  if (!reference.includes('$')) return false;
  // `FROM build-${TARGETARCH}`: some earlier stage's name fits, whatever the variable holds.
  const pieces = reference.toLowerCase().split(/\$\{?[A-Za-z_][A-Za-z0-9_]*\}?/);
  return d.stages.some((s) => s.index < before && s.name !== null && fits(s.name, pieces));
}

function check(reference: string, line: number, what: string): Finding[] {
  const pin = imagePin(reference);
  const name = parseImageRef(reference).name;
  switch (pin.kind) {
    case 'digest':
      return [];
    case 'variable':
      if (pin.platform) return [];
      return [finding('D3', 'warning', line, `${what} \`${reference}\` uses a variable without a default: give the ARG a pinned default so the base can be checked.`)];
    case 'bad-digest':
      return [finding('D3', 'error', line, `${what} \`${reference}\` has a malformed digest: use \`@sha256:\` followed by 64 hex digits.`)];
    case 'latest-with-digest':
      return [finding('D3', 'warning', line, `${what} \`${reference}\` names the tag \`latest\`: keep the digest and name the real version tag for readers.`)];
    case 'untagged':
      return [finding('D3', 'error', line, `${what} \`${reference}\` has no tag (it means latest): pin a version tag and a digest, e.g. \`${name}:<version>@sha256:…\`.`)];
    case 'latest':
      return [finding('D3', 'error', line, `${what} \`${reference}\` uses \`latest\`: pin a version tag and a digest, e.g. \`${name}:<version>@sha256:…\`.`)];
    case 'tag':
      return [finding('D3', 'warning', line, `${what} \`${reference}\` is pinned by tag only (tags move): add the digest, \`${reference}@sha256:…\`, where the registry can be reached.`)];
  }
}

export const D3: Rule = {
  id: 'D3',
  title: 'every base image has a version tag and a digest',
  severity: 'error',
  profiles: ['generated'],
  rationale: 'A tag can be moved to another image at any time; only a digest names the exact bytes, so two builds of the same commit start from the same base.',
  fix: 'Write `image:version@sha256:…` (`create-hardened-service pin` fills in digests where the registry answers).',
  check(d) {
    const vars = globalArgValues(d);
    const findings: Finding[] = [];
    for (const stage of d.stages) {
      const base = expandVariables(stage.base, vars);
      if (isStageRef(d, base, stage.index)) continue;
      findings.push(...check(base, stage.line, 'base image'));
    }
    // `COPY --from=image` and `RUN --mount=from=image` pull images too.
    for (const instruction of allInstructions(d)) {
      for (const ref of fromRefs(instruction)) {
        if (/^\d+$/.test(ref.ref) || isStageRef(d, ref.ref, instruction.stage)) continue;
        findings.push(...check(expandVariables(ref.ref, vars), ref.line, 'image'));
      }
    }
    return findings;
  },
};
