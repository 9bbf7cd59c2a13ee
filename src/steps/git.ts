import { initGit } from '../tasks/git.ts';
import { Interrupted, type Stop } from '../tasks/interrupted.ts';
import { showCommand, showName } from '../text/show.ts';
import type { Ui } from '../ui/port.ts';
import type { Note } from './notes.ts';

/** The user's files that the initial commit left out (git's view: ignored ones are not listed). */
function untrackedNote(untracked: string[]): string {
  const shown = untracked.slice(0, 5).map(showName).join(', ');
  const more = untracked.length > 5 ? ` and ${untracked.length - 5} more` : '';
  return `git: the initial commit holds only the generated files; what was here before stays untracked: ${shown}${more}`;
}

/** git init and an initial commit of exactly `paths`; a failure is advice with the commands to run, not a failed run. */
export async function commitProject(ui: Ui, paths: readonly string[], createdTarget: boolean, target: string, directory: string, generatorVersion: string, env: NodeJS.ProcessEnv, stop: Stop): Promise<Note[]> {
  const result = await ui.task(
    'Creating the git repository',
    () => initGit(target, generatorVersion, env, { paths, signal: stop.signal, now: stop.now }),
    (r) => (r.status === 'committed' ? 'Initialized git with an initial commit' : r.status === 'skipped' ? `Skipped git: ${r.reason}` : 'git failed'),
  );
  if (stop.signal.aborted) throw new Interrupted('git');
  if (result.status === 'failed') {
    // Into a directory that held files before, only the generated ones may be added.
    const add = createdTarget ? 'git add -A' : showCommand('git', ['add', '--', ...paths]);
    return [{ kind: 'warning', text: `git: ${result.message}\n  Run: cd ${directory} && git init && ${add} && git commit -m "Initial commit"` }];
  }
  if (result.status === 'committed' && result.untracked.length > 0) return [{ kind: 'note', text: untrackedNote(result.untracked) }];
  return [];
}
