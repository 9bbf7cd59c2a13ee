/**
 * `create-hardened-service update [directory] [--check | --dry-run] [--no-base] [--preset …] [answer flags]`:
 * re-render a generated project with its recorded answers and today's templates, versions and
 * preset, and merge that into the working tree three ways (docs/update.md). Nothing is committed.
 */
import { join, relative, resolve } from 'node:path';
import pc from 'picocolors';
import { ecosystemById } from '../ecosystems/index.ts';
import { readTextFile, UnreadableFile } from '../fs/read-text.ts';
import { RECORD_FILE } from '../render/render.ts';
import { renderFiles } from '../steps/render.ts';
import { pinCommand, pinImages, type PinCache } from '../steps/pin.ts';
import { readPreset, recordIn } from '../steps/preset.ts';
import { withPreset } from '../options/resolve.ts';
import { lockCommandLine } from '../steps/lock.ts';
import { Cancelled, EXIT } from '../steps/exit.ts';
import { cancelMessage, Interrupted, signalExitCode, trapSignals, type Stop } from '../tasks/interrupted.ts';
import { escapeControls, showName } from '../text/show.ts';
import { UsageError } from '../options/validate.ts';
import { VERSION } from '../version.ts';
import { applyChanges, readOurs, type Applied, type Change } from '../update/apply.ts';
import { findBase, recordedPins } from '../update/base.ts';
import { fileDiff, mergeFile, uncommitted, workTree } from '../update/git.ts';
import { hasConflictMarkers, planUpdate, type PathInput } from '../update/plan.ts';
import { parseRecord, updateAnswers } from '../update/record.ts';
import { ANSWER_OPTIONS, answerExample, answerFlags, parseStrict, type ArgvProblem } from './args.ts';
import type { Io } from './main.ts';
import type { Options } from '../options/types.ts';

const OPTIONS = {
  ...ANSWER_OPTIONS,
  preset: { type: 'string' },
  check: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  'no-base': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const EXAMPLE = 'create-hardened-service update services/billing-api --dry-run';
const MAX_RECORD_BYTES = 1024 * 1024;

export function updateHelpText(): string {
  const h = pc.bold;
  return `${h('create-hardened-service update')} [directory] [options]
Bring a generated project up to today's templates, tool versions and preset. The project is
rendered again from the answers in its .hardened-service.json and merged into the working tree
three ways, against what the recorded release rendered for those answers (the base):
files you never changed are updated, files you changed are kept, files both changed are merged
(conflict markers where the changes overlap), files you deleted stay deleted, new files are
added. Nothing is committed: review with git diff, then commit.

${h('Options')}
  [directory]           the project (its .hardened-service.json)                  (.)
  --check               change nothing; exit 1 when the project is behind today's templates or
                        preset (the files are listed), or conflict markers of an update remain:
                        for a scheduled CI job. Does not need a clean working tree
  --dry-run             change nothing; print the changes as a unified diff (git apply takes it)
  --no-base             merge two ways when no base can be had: equal files are fine, every
                        file that differs is a conflict
  --preset FILE|none    the preset to apply (default: the one the record names, if any;
                        none drops it); its locked answers win over the record
  --registry, --cert-bundle, …  change an answer on the way: every answer flag of the wizard
                        (create-hardened-service --help), checked the same way

The base is, in order: this package when the record's version is this one; that release of
create-hardened-service from the npm registry (npm pack, through your npm configuration);
the commit "Initial commit from create-hardened-service X" in git history whose record holds the
same answers. Without any, update says why each failed and stops (or use --no-base).
Symbolic links, binary files and files over 1 MiB are never written: they are listed as conflicts.

${h('Exit codes')}
  0 updated (or, with --check, up to date)   1 behind (--check), no base, or a failure (all undone)
  2 bad usage, not a git work tree, uncommitted changes, or a missing or invalid record
  130 cancelled; 129 / 131 / 143 ended by SIGHUP / SIGQUIT / SIGTERM (all undone)

${h('Examples')}
  create-hardened-service update --check
  create-hardened-service update services/billing-api --dry-run | git apply --check
  create-hardened-service update services/billing-api --registry registry.example.com/base
`;
}

/** Whether version `a` is later than `b` (major.minor.patch; a pre-release counts as its release). */
function newer(a: string, b: string): boolean {
  const parts = (version: string) => version.split(/[-+]/)[0]!.split('.').map(Number);
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return (x[i] ?? 0) > (y[i] ?? 0);
  return false;
}

/** node's parseArgs errors said the way the rest of the CLI says them. */
function updateUsage({ flag, kind }: ArgvProblem): UsageError {
  if (kind === 'unknown') return new UsageError(`update ${flag}: is not an option of update. Example: ${EXAMPLE}. Run create-hardened-service update --help.`, flag);
  if (kind === 'needs-value') {
    const example = flag === '--preset' ? './team-preset.json' : (answerExample(flag.replace(/^-+/, '')) ?? 'VALUE');
    return new UsageError(`update ${flag}: needs a value. Example: create-hardened-service update ${flag} ${example}`, flag);
  }
  return new UsageError(`update ${flag}: takes no value. Example: create-hardened-service update ${flag}`, flag);
}

/**
 * The images a run left on their tags (no registry answered for them), said in one line with what
 * to run once it does: `pin` pins the Dockerfile in place, as this run would have. Undefined when
 * every image is pinned. The recorded digests count: only a reference they do not cover is asked.
 */
export function unpinnedNote(options: Options, cache: PinCache, directory: string): string | undefined {
  const refs = [options.images.builder, options.images.runtime, options.certBundle, options.syntax];
  const left = [...new Set(refs)].filter((ref): ref is string => ref !== null && !ref.includes('@'));
  if (left.length === 0) return undefined;
  const why = [...new Set(left.map((ref) => cache.get(ref)).map((known) => (known && 'error' in known ? known.error : 'not asked')))];
  return (
    `images left on their tags, no digest: ${left.join(', ')}; ${why.join('; ')}. ` +
    `Once the registry can be reached, run: ${pinCommand(directory)}`
  );
}

/**
 * The `update` subcommand: returns its exit code. It reports its own errors, so it behaves the same
 * whether main.ts calls it inside or outside its own error handling.
 */
export async function runUpdate(argv: readonly string[], io: Io): Promise<number> {
  let stop: Stop | undefined;
  let applied: Applied | undefined;
  try {
    return await update(argv, io, (s) => (stop = s), (a) => (applied = a));
  } catch (error) {
    // Put everything back once nothing runs any more.
    await applied?.undo();
    const detail = (error as Error)?.message ?? String(error);
    if (error instanceof Cancelled || error instanceof Interrupted || stop?.signal.aborted) {
      const signal = stop?.received();
      io.stderr.write(`${cancelMessage(signal).replace('Nothing was written.', 'Nothing was changed.')}\n`);
      return signal ? signalExitCode(signal) : EXIT.cancelled;
    }
    if (error instanceof UsageError) {
      io.stderr.write(`${pc.red('error')} ${detail}\nNothing was changed.\n`);
      return EXIT.usage;
    }
    const shown = io.env.DEBUG ? ((error as Error)?.stack ?? detail) : detail;
    io.stderr.write(`${pc.red('error')} update failed: ${escapeControls(shown)}\nNothing was left changed.\n`);
    return EXIT.failure;
  } finally {
    stop?.release();
  }
}

async function update(argv: readonly string[], io: Io, onStop: (stop: Stop) => void, onApplied: (applied: Applied) => void): Promise<number> {
  const out = (text = '') => io.stdout.write(`${text}\n`);
  const err = (text: string) => io.stderr.write(`${text}\n`);
  const cwd = io.cwd ?? process.cwd();
  const env = io.env;
  const { values, positionals } = parseStrict(argv, OPTIONS, updateUsage);
  if (values.help) return out(updateHelpText()), EXIT.ok;
  if (positionals.length > 1) throw new UsageError(`update: takes one directory, got ${positionals.length}: ${positionals.join(' ')}. Example: ${EXAMPLE}`, '[directory]');
  const check = values.check === true;
  const dryRun = values['dry-run'] === true;
  if (check && dryRun) throw new UsageError('update --check: changes nothing already, so it does not take --dry-run. Example: create-hardened-service update --check', '--dry-run');
  const { flags, aliases } = answerFlags(values as Record<string, string | boolean | undefined>);

  // 1. The project: a git work tree, its record, a clean tree when files are to change
  const target = resolve(cwd, positionals[0] ?? '.');
  const directory = relative(cwd, target) || '.';
  const tree = workTree(target, env);
  if (!tree) {
    throw new UsageError(`update: ${showName(directory)} is not inside a git work tree; update changes files in place and git is how they are reviewed and undone. Commit the project first: cd ${showName(directory)} && git init && git add -A && git commit -m "Before update"`, '[directory]');
  }
  const recordPath = join(target, RECORD_FILE);
  const recordShown = showName(relative(cwd, recordPath));
  let recordText: string;
  try {
    recordText = readTextFile(recordPath, { maxBytes: MAX_RECORD_BYTES });
  } catch (error) {
    if (!(error instanceof UnreadableFile)) throw error;
    throw new UsageError(`update: ${recordShown} ${error.reason}: update needs the record the wizard wrote. Example: ${EXAMPLE}`, '[directory]');
  }
  let document: unknown;
  try {
    document = JSON.parse(recordText);
  } catch (error) {
    throw new UsageError(`${recordShown}: not valid JSON (${escapeControls((error as Error).message)}). Restore it from git: git checkout -- ${recordShown}`, '[directory]');
  }
  const record = parseRecord(document, recordShown);
  if (newer(record.version, VERSION)) {
    throw new UsageError(`update: ${recordShown} was written by create-hardened-service ${record.version}, newer than this ${VERSION}; update with that release or a later one: npx create-hardened-service@${record.version} update`, '[directory]');
  }
  if (!check && !dryRun) {
    const dirty = uncommitted(target, env);
    if (dirty.length > 0) {
      const listed = dirty.slice(0, 5).map(showName).join(', ') + (dirty.length > 5 ? ` and ${dirty.length - 5} more` : '');
      throw new UsageError(`update: ${showName(directory)} has uncommitted changes (${listed}). Commit or stash them first, so the update can be reviewed on its own: git stash`, '[directory]');
    }
  }

  // 2. The answers: flags > locked preset > recorded > preset suggestions > defaults
  const { RULES: rules } = await import('../answer-rules.ts');
  const presetFlag = values.preset as string | undefined;
  const chosen =
    presetFlag === 'none'
      ? { preset: undefined, given: undefined, record: undefined }
      : presetFlag !== undefined
        ? await readPreset(presetFlag, env, cwd)
        : record.preset
          ? await readPreset(record.preset.source, env, target)
          : await readPreset(undefined, env, cwd);
  const { answers, changed } = updateAnswers({ rules, record, shown: recordShown, flags, aliases, preset: chosen.preset, directory, cwd });

  // From here on every terminating signal is a cancel: undone, exit 128+N.
  const stop = trapSignals();
  onStop(stop);

  // 3. Theirs: today's rendering, the recorded digests kept where the reference is the same
  const cache: PinCache = new Map(Object.entries(recordedPins(record)).map(([ref, pinned]) => [ref, { pinned }]));
  const pinned = await pinImages(rules.build(answers, chosen.preset?.versions ?? {}, VERSION), env, stop, cache);
  // The record keeps where the preset came from (a file relative to the project), as the wizard's does.
  const options = withPreset(pinned.options, recordIn(chosen, target));
  const rendered = await renderFiles(options, rules.languages, target, [], false);
  const theirs = new Map(rendered.files);
  // pinImages's one warning is the wizard's (the pin command, or pinning by hand); an update says it in its own words.
  const unpinned = unpinnedNote(options, cache, directory);
  if (unpinned) err(`${pc.dim('note')} ${unpinned}`);
  for (const warning of rendered.warnings) err(`${pc.yellow('warning')} ${warning}`);

  // 4. The base
  let base: Map<string, string> | undefined;
  let baseFrom = 'none (--no-base)';
  if (values['no-base'] !== true) {
    const found = await findBase({ rules, record, shown: recordShown, directory, cwd, target, top: tree.top, prefix: tree.prefix, version: VERSION, env, signal: stop.signal });
    if (stop.signal.aborted) throw new Cancelled();
    if (!found.found) {
      err(`${pc.red('error')} no base for a three-way merge: what create-hardened-service ${record.version} rendered for the recorded answers could not be had:`);
      for (const why of found.why) err(`  - ${escapeControls(why)}`);
      err(`Pass --no-base to merge two ways (every file that differs becomes a conflict). Nothing was changed.`);
      return EXIT.failure;
    }
    base = found.files;
    baseFrom = found.from;
  }

  // 5. The plan, then the merges
  const paths = [...new Set([...(base?.keys() ?? []), ...theirs.keys()])];
  const inputs: PathInput[] = [];
  for (const path of paths) inputs.push({ path, base: base?.get(path), theirs: theirs.get(path), ours: await readOurs(target, path) });
  const plan = planUpdate({ files: inputs, record: RECORD_FILE, haveBase: base !== undefined, lockFiles: rendered.lockFiles });
  const labels = { ours: 'yours', base: `create-hardened-service ${record.version}`, theirs: `create-hardened-service ${VERSION}` };
  const changes: Change[] = [];
  const lines: string[] = [];
  const conflicts: string[] = [];
  for (const action of plan) {
    const path = showName(action.path);
    if (action.kind === 'write') {
      changes.push({ path: action.path, text: action.text, was: action.was });
      lines.push(`${action.why === 'added' ? 'added    ' : 'updated  '} ${path}${action.why === 'record' ? ` (now ${VERSION})` : ''}`);
    } else if (action.kind === 'merge') {
      const merged = mergeFile(action.ours, action.base, action.theirs, labels, env);
      if (merged.text === action.ours) continue;
      changes.push({ path: action.path, text: merged.text, was: action.ours });
      if (merged.conflicts > 0) conflicts.push(action.path);
      lines.push(merged.conflicts > 0 ? `${pc.red('conflict ')} ${path} (${merged.conflicts} conflict${merged.conflicts === 1 ? '' : 's'} marked)` : `merged    ${path}`);
    } else if (action.kind === 'refused') {
      conflicts.push(action.path);
      lines.push(`${pc.red('conflict ')} ${path}: ${action.why}; not written, bring today's version in by hand`);
    } else {
      lines.push(action.why === 'deleted-by-team' ? `kept      ${path} deleted (you deleted it; the template changed it)` : `kept      ${path} (no longer generated; remove it if nothing needs it)`);
    }
  }
  // Conflict markers an earlier update left in files it writes.
  const unresolved: string[] = [];
  for (const path of theirs.keys()) {
    const ours = inputs.find((input) => input.path === path)!.ours;
    if (ours.kind === 'file' && hasConflictMarkers(ours.text)) unresolved.push(path);
  }

  // 6. --check: the list and the verdict
  const manifests = new Set(ecosystemById(options.manager)?.manifests ?? []);
  if (check) {
    const behind = changes.length > 0 || plan.some((action) => action.kind === 'refused');
    for (const line of lines.filter((l) => !l.startsWith('kept'))) out(line);
    for (const path of unresolved) out(`${pc.red('unresolved')} ${showName(path)}: conflict markers of an update remain`);
    if (!behind && unresolved.length === 0) {
      out(`${showName(directory)}: up to date with create-hardened-service ${VERSION}${chosen.preset ? ` and the preset ${showName(chosen.preset.file)}` : ''}.`);
      return EXIT.ok;
    }
    const what = [behind ? `behind create-hardened-service ${VERSION} (base: ${baseFrom})` : '', unresolved.length ? 'conflict markers remain' : ''].filter(Boolean).join('; ');
    out(`${showName(directory)}: ${what}. Run: create-hardened-service update${directory === '.' ? '' : ` ${showName(directory)}`}`);
    return EXIT.failure;
  }

  // 7. --dry-run: the diff, nothing else
  if (dryRun) {
    for (const change of changes) io.stdout.write(fileDiff(change.path, change.was, change.text, env));
    for (const line of lines) err(line);
    if (changes.length === 0) err(`${showName(directory)}: nothing to change.`);
    return EXIT.ok;
  }

  // 8. Write: each file by a rename, the record last; a failure or a signal puts everything back
  if (changes.length === 0) {
    for (const line of lines) out(line);
    out(`${showName(directory)}: up to date with create-hardened-service ${VERSION}; nothing to change.`);
    return EXIT.ok;
  }
  const ordered = [...changes.filter((c) => c.path !== RECORD_FILE), ...changes.filter((c) => c.path === RECORD_FILE)];
  const applied = await applyChanges(target, ordered, { signal: stop.signal });
  onApplied(applied);
  if (stop.signal.aborted) throw new Interrupted('update');

  out(`Updated ${showName(directory)} from create-hardened-service ${record.version} to ${VERSION} (base: ${baseFrom}${changed.length ? `; answers changed: ${changed.join(', ')}` : ''}):`);
  for (const line of lines) out(`  ${line}`);
  if (conflicts.length > 0) out(`${conflicts.length} file${conflicts.length === 1 ? '' : 's'} need${conflicts.length === 1 ? 's' : ''} you: resolve the conflict markers in ${conflicts.map(showName).join(', ')}.`);
  const manifestChanged = changes.some((change) => manifests.has(change.path) || manifests.has(change.path.split('/')[0]!));
  if (manifestChanged && rendered.lock) {
    out(`A manifest changed: remake the lock. Run: ${directory === '.' ? '' : `cd ${showName(directory)} && `}${lockCommandLine(rendered.lock)}`);
    out(`  or inside the builder image: ${rendered.lock.inImage}`);
  }
  out('Nothing was committed: review with git diff, then commit.');
  return EXIT.ok;
}
