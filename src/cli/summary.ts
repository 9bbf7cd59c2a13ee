import pc from 'picocolors';
import { ANSWERS } from '../options/answers.ts';
import type { Options } from '../options/types.ts';

/** One line per answer, labelled as the answers table names it, for the plain log and the interactive summary. */
export function formatAnswers(options: Options): string {
  const shown = (value: unknown) => (value === null ? pc.dim('none') : Array.isArray(value) ? value.join(',') : String(value));
  const visible = ANSWERS.filter((spec) => !spec.summary.hidden?.(options));
  // The base images as computed come last: what the Dockerfile's FROM lines will say.
  const ordered = [...visible.filter((spec) => !spec.summary.trailing), ...visible.filter((spec) => spec.summary.trailing)];
  return ordered
    .map((spec) => `${spec.summary.label(options).padEnd(14)} ${shown(spec.summary.value ? spec.summary.value(options) : options[spec.key])}`)
    .join('\n');
}
