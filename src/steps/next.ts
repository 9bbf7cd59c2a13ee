import type { Ui } from '../ui/port.ts';
import type { Note } from './notes.ts';

/** The advice gathered on the way, then what to do next. */
export function nextSteps(ui: Ui, notes: readonly Note[], directory: string, name: string, lockFirst: string | undefined): void {
  for (const { kind, text } of notes) ui.note(kind, text);
  const next = [
    directory === '.' ? null : `cd ${directory}`,
    lockFirst ? `${lockFirst}     # first: the Docker build needs the lock` : null,
    'docker build --target test .     # run every gate',
    `docker build -t ${name} .   # the image (gates included)`,
    `docker run --rm -p 8080:8080 --read-only --cap-drop ALL ${name}`,
  ].filter((line): line is string => line !== null);
  ui.outro(next);
}
