/**
 * Stage relations of a parsed Dockerfile: which stage builds on which (`FROM <stage>`), and which
 * it reads from (`COPY --from=`, `RUN --mount=from=`). BuildKit and buildah build only the stages
 * the target reaches through these edges, which is what D8 is about.
 */
import { flag, keyValues, mounts, type Dockerfile, type Instruction, type Stage } from './dockerfile.ts';
import { expandVariables } from './image-ref.ts';

export interface StageEdge {
  to: Stage;
  via: 'FROM' | 'COPY --from' | 'RUN --mount from';
  line: number;
}

/** Results computed once per parsed file or stage (the rules ask often: each answer is linear once). */
function memo<K extends object, V>(compute: (key: K) => V): (key: K) => V {
  const cache = new WeakMap<K, V>();
  return (key) => {
    if (!cache.has(key)) cache.set(key, compute(key));
    return cache.get(key)!;
  };
}

/** Default values of the ARGs declared before the first FROM (defaults may use earlier ones). */
export const globalArgValues = memo((dockerfile: Dockerfile): ReadonlyMap<string, string> => {
  const vars = new Map<string, string>();
  for (const arg of dockerfile.globalArgs) {
    for (const kv of keyValues(arg, dockerfile.escape)) if (kv.value !== null) vars.set(kv.key, expandVariables(kv.value, vars));
  }
  return vars;
});

const stagesByName = memo((dockerfile: Dockerfile): Map<string, Stage[]> => {
  const byName = new Map<string, Stage[]>();
  for (const stage of dockerfile.stages) if (stage.name) byName.set(stage.name, [...(byName.get(stage.name) ?? []), stage]);
  return byName;
});

/** The stage a `--from`/`FROM` reference names (a name, or an index), defined before `before`. */
export function stageByRef(dockerfile: Dockerfile, ref: string, before: number): Stage | undefined {
  if (/^\d+$/.test(ref)) return Number(ref) < before ? dockerfile.stages[Number(ref)] : undefined;
  const named = stagesByName(dockerfile).get(ref.toLowerCase()) ?? [];
  for (let i = named.length - 1; i >= 0; i--) if (named[i]!.index < before) return named[i];
  return undefined;
}

/** The stage a FROM line builds on, when it names an earlier stage rather than an image. */
export function parentStage(dockerfile: Dockerfile, stage: Stage): Stage | undefined {
  const base = expandVariables(stage.base, globalArgValues(dockerfile));
  return /^\d+$/.test(base) ? undefined : stageByRef(dockerfile, base, stage.index);
}

/** References to other stages (or images) from COPY --from and RUN --mount from=. */
export function fromRefs(instruction: Instruction): Array<{ ref: string; via: StageEdge['via']; line: number }> {
  const refs: Array<{ ref: string; via: StageEdge['via']; line: number }> = [];
  if (instruction.keyword === 'COPY' || instruction.keyword === 'ADD') {
    const from = flag(instruction, 'from');
    if (from?.value) refs.push({ ref: from.value, via: 'COPY --from', line: from.line });
  }
  if (instruction.keyword === 'RUN') {
    for (const mount of mounts(instruction)) {
      if (mount.options.from) refs.push({ ref: mount.options.from, via: 'RUN --mount from', line: mount.line });
    }
  }
  return refs;
}

/** Direct dependencies of a stage. */
export function stageEdges(dockerfile: Dockerfile, stage: Stage): StageEdge[] {
  const edges: StageEdge[] = [];
  const parent = parentStage(dockerfile, stage);
  if (parent) edges.push({ to: parent, via: 'FROM', line: stage.line });
  for (const instruction of stage.instructions) {
    for (const ref of fromRefs(instruction)) {
      const target = stageByRef(dockerfile, ref.ref, stage.index);
      if (target) edges.push({ to: target, via: ref.via, line: ref.line });
    }
  }
  return edges;
}

/** Every stage `stage` needs, transitively (not including itself). */
export function stageClosure(dockerfile: Dockerfile, stage: Stage): Set<Stage> {
  const seen = new Set<Stage>();
  const queue = [stage];
  while (queue.length) {
    for (const edge of stageEdges(dockerfile, queue.shift()!)) {
      if (!seen.has(edge.to) && edge.to !== stage) {
        seen.add(edge.to);
        queue.push(edge.to);
      }
    }
  }
  return seen;
}

const lineages = new WeakMap<Stage, Stage[]>();

/** The stage and the stages it is built on through `FROM <stage>`, nearest first. */
export function lineage(dockerfile: Dockerfile, stage: Stage): Stage[] {
  const known = lineages.get(stage);
  if (known) return known;
  // A parent is always an earlier stage, so the walk ends (and needs no recursion).
  const chain: Stage[] = [stage];
  for (let parent = parentStage(dockerfile, stage); parent && parent.index < chain[chain.length - 1]!.index; parent = parentStage(dockerfile, parent)) {
    const rest = lineages.get(parent);
    if (rest) {
      chain.push(...rest);
      break;
    }
    chain.push(parent);
  }
  lineages.set(stage, chain);
  return chain;
}

/** The image a stage ultimately starts from (following FROM <stage>), global ARGs expanded. */
export function baseImage(dockerfile: Dockerfile, stage: Stage): string {
  const chain = lineage(dockerfile, stage);
  return expandVariables(chain[chain.length - 1]!.base, globalArgValues(dockerfile));
}

const inherited = new WeakMap<Stage, Instruction[]>();

/** Instructions of a stage and its FROM-ancestors, in build order (oldest first). */
export function inheritedInstructions(dockerfile: Dockerfile, stage: Stage): Instruction[] {
  let list = inherited.get(stage);
  if (!list) {
    const chain = lineage(dockerfile, stage);
    // A stage built on an image (the usual case) inherits nothing: its own list, not a copy.
    list = chain.length === 1 ? stage.instructions : chain.slice().reverse().flatMap((s) => s.instructions);
    inherited.set(stage, list);
  }
  return list;
}

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

