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
  // The runtime version reads as the language's: `python 3.13`, `go 1.26`.
  const label = (key: string) => (key === 'runtimeVersion' ? options.language : key);
  return rows.map(([key, value]) => `${label(key).padEnd(14)} ${shown(value)}`).join('\n');
}

