/**
 * What `pin` does with each image reference, as pure functions: which to ask a registry about
 * (plan), and, given the digests the registries reported, what to write or report (settle).
 */
import type { ImageOccurrence } from './dockerfile-refs.ts';
import { locateImage } from './reference.ts';

/** `pin`: pin what has no digest. `refresh`: also move existing pins. `check`: change nothing, report. */
export type PinMode = 'pin' | 'refresh' | 'check';

export interface Lookup {
  occurrence: ImageOccurrence;
  /** What to ask the registry for: the reference without its digest. */
  tagged: string;
  /** The digest written now, or null. */
  current: string | null;
}

export interface Problem {
  occurrence: ImageOccurrence;
  kind: 'unpinned' | 'drifted' | 'invalid' | 'registry';
  message: string;
}

export interface Plan {
  lookups: Lookup[];
  problems: Problem[];
  /** Things worth saying that change nothing: no tag, a digest with no tag to compare. */
  notes: Array<{ occurrence: ImageOccurrence; message: string }>;
  /** References that carry a digest already. */
  pinned: number;
}

export function planPins(images: readonly ImageOccurrence[], mode: PinMode): Plan {
  const plan: Plan = { lookups: [], problems: [], notes: [], pinned: 0 };
  for (const occurrence of images) {
    const location = locateImage(occurrence.reference);
    if ('invalid' in location) {
      plan.problems.push({ occurrence, kind: 'invalid', message: `not a valid image reference (${location.invalid})` });
      continue;
    }
    if (location.digest) plan.pinned++;
    if (location.digest && !location.tag) {
      plan.notes.push({ occurrence, message: 'names a digest without a tag: nothing to compare it with' });
      continue;
    }
    if (!location.tag) plan.notes.push({ occurrence, message: 'has no tag, which means latest: name a version tag' });
    if (!location.digest && mode === 'check') {
      plan.problems.push({ occurrence, kind: 'unpinned', message: 'not pinned to a digest' });
    } else if (!location.digest || mode !== 'pin') {
      const at = occurrence.reference.indexOf('@');
      plan.lookups.push({ occurrence, tagged: at === -1 ? occurrence.reference : occurrence.reference.slice(0, at), current: location.digest });
    }
  }
  return plan;
}

export interface Outcome {
  replacements: Array<{ start: number; end: number; value: string }>;
  /** Lookups whose digest is the one written already. */
  upToDate: Lookup[];
  problems: Problem[];
}

/**
 * Given each lookup's answer (a digest, or an error message), the replacements to write (not in
 * `check` mode) and the problems to report. A reference without a tag is written with `:latest`,
 * so a later --check knows which tag to compare.
 */
export function settlePins(lookups: readonly Lookup[], answers: ReadonlyArray<{ digest: string } | { error: string }>, mode: PinMode): Outcome {
  const outcome: Outcome = { replacements: [], upToDate: [], problems: [] };
  lookups.forEach((lookup, i) => {
    const answer = answers[i]!;
    const { occurrence } = lookup;
    if ('error' in answer) {
      const unnamedStage = occurrence.kind !== 'FROM' && occurrence.kind !== '# syntax' && !/[/:.]/.test(lookup.tagged);
      outcome.problems.push({ occurrence, kind: 'registry', message: answer.error + (unnamedStage ? ' (if it names a stage: no stage has that name)' : '') });
    } else if (lookup.current === answer.digest) {
      outcome.upToDate.push(lookup);
    } else if (mode === 'check') {
      outcome.problems.push({ occurrence, kind: 'drifted', message: `drifted: ${lookup.tagged} now points at ${answer.digest}` });
    } else {
      const location = locateImage(lookup.tagged);
      const latest = !('invalid' in location) && location.tag === null ? ':latest' : '';
      outcome.replacements.push({ start: occurrence.start, end: occurrence.end, value: `${lookup.tagged}${latest}@${answer.digest}` });
    }
  });
  return outcome;
}
