// What `update` does to each file, decided from three texts: the base (what the recorded release
// rendered for the recorded answers), ours (the working tree) and theirs (today's rendering). Pure:
// the merges themselves are git merge-file's (update/git.ts), the writes apply.ts's.

/** A file of the working tree as update may use it: text it can merge, absent, or one it must not touch. */
export type Ours = { kind: 'file'; text: string } | { kind: 'missing' } | { kind: 'unsafe'; why: string };

export interface PathInput {
  path: string;
  /** What the recorded release rendered; undefined when it had no such file (or there is no base). */
  base: string | undefined;
  /** What today's templates render; undefined when they no longer make the file. */
  theirs: string | undefined;
  ours: Ours;
}

export type Action =
  /** Written as today's templates render it: the team never changed it (or it is new, or the record). */
  | { kind: 'write'; path: string; text: string; was: string | undefined; why: 'updated' | 'added' | 'record' }
  /** Both sides changed it: merged three ways (an empty base when there is none). */
  | { kind: 'merge'; path: string; base: string; ours: string; theirs: string }
  /** Left as it is, with a reason the user should read. */
  | { kind: 'note'; path: string; why: 'deleted-by-team' | 'no-longer-generated' }
  /** A path update will not write: a symbolic link, not a regular file, binary or over the size limit. */
  | { kind: 'refused'; path: string; why: string };

export interface PlanInput {
  files: readonly PathInput[];
  /** The record's path: always rewritten as rendered (it says which version and answers the files follow). */
  record: string;
  /** Whether a base was found; without one (--no-base) a file that differs is a conflict. */
  haveBase: boolean;
  /** Paths the lock step writes: a base taken from git history holds them, today's rendering does not. */
  lockFiles: readonly string[];
}

/** Every change update would make, in path order; files already up to date or only the team's do not appear. */
export function planUpdate({ files, record, haveBase, lockFiles }: PlanInput): Action[] {
  const actions: Action[] = [];
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const { path, base, theirs, ours } of sorted) {
    const oursText = ours.kind === 'file' ? ours.text : undefined;
    if (theirs === undefined) {
      // Never deleted: a file today's templates no longer make may hold the team's work.
      if (ours.kind === 'file' && base !== undefined && !lockFiles.includes(path)) actions.push({ kind: 'note', path, why: 'no-longer-generated' });
      continue;
    }
    if (oursText === theirs) continue;
    if (ours.kind === 'unsafe') {
      // Nothing to bring in when the template did not change it.
      if (haveBase && base === theirs) continue;
      actions.push({ kind: 'refused', path, why: ours.why });
      continue;
    }
    if (path === record) {
      actions.push({ kind: 'write', path, text: theirs, was: oursText, why: 'record' });
      continue;
    }
    if (ours.kind === 'missing') {
      // With a base, a file it had is one the team deleted; without one, it cannot be told from a new file.
      if (haveBase && base !== undefined) {
        if (base !== theirs) actions.push({ kind: 'note', path, why: 'deleted-by-team' });
        continue;
      }
      actions.push({ kind: 'write', path, text: theirs, was: undefined, why: 'added' });
      continue;
    }
    const text = oursText!;
    if (haveBase && base !== undefined) {
      if (text === base) actions.push({ kind: 'write', path, text: theirs, was: text, why: 'updated' });
      // Only the team changed it.
      else if (base === theirs) continue;
      else actions.push({ kind: 'merge', path, base, ours: text, theirs });
      continue;
    }
    // A file the team made where the template now makes one, or no base at all: two ways.
    actions.push({ kind: 'merge', path, base: '', ours: text, theirs });
  }
  return actions;
}

const MARKERS = [/^<{7}(?: |$)/m, /^={7}$/m, /^>{7}(?: |$)/m];

/** Whether a text still holds merge-file's conflict markers (all three kinds, each at a line start). */
export function hasConflictMarkers(text: string): boolean {
  return MARKERS.every((marker) => marker.test(text));
}
