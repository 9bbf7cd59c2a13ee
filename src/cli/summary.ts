import pc from 'picocolors';
import { ANSWER_ORDER } from '../options/types.ts';
import type { Options } from '../options/types.ts';

/** One line per answer, for the non-interactive log and the interactive summary. */
export function formatAnswers(options: Options): string {
  const shown = (value: unknown) =>
    value === null ? pc.dim('none') : Array.isArray(value) ? value.join(',') : String(value);
  const rows: [string, unknown][] = ANSWER_ORDER.filter((key) => key !== 'builderImage' && key !== 'runtimeImage').map((key) => [key, options[key]]);
  if (options.certBundle === null) rows.splice(rows.findIndex(([key]) => key === 'certPath'), 1);
  rows.push(['builder image', options.images.builder], ['runtime image', options.images.runtime]);
  return rows.map(([key, value]) => `${key.padEnd(14)} ${shown(value)}`).join('\n');
}

