import { Interrupted, type Stop } from '../tasks/interrupted.ts';
import type { Ui } from '../ui/port.ts';
import { writeProject, type Written } from '../write/atomic.ts';
import type { FileMap } from '../write/files.ts';

/** Write the project atomically; a signal during the write undoes it (write/atomic.ts). */
export async function writeFiles(ui: Ui, target: string, files: FileMap, directory: string, stop: Stop): Promise<Written> {
  const written = await ui.task('Writing files', () => writeProject(target, files, { signal: stop.signal }), () => `Wrote ${files.size} files to ${directory}`);
  if (stop.signal.aborted) throw new Interrupted('writing');
  return written;
}
