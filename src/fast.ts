// The fast path for `--help` and `--version` alone: bundled as CommonJS (dist/fast.cjs) so the bin
// shim answers them without starting Node's ES module loader or reading the main bundle.
import { helpText } from './cli/help.ts';
import type { LanguageChoices } from './options/answers.ts';
import { VERSION } from './version.ts';

// The languages' choices, put here by the build (scripts/build.mjs) so this file carries no language module.
declare const __LANGUAGE_CHOICES__: LanguageChoices[];

/** The text for a lone `-h/--help` or `-v/--version`, else undefined (the full CLI handles it). */
export function fastOutput(argv: readonly string[]): string | undefined {
  if (argv.length !== 1) return undefined;
  if (argv[0] === '-h' || argv[0] === '--help') return `${helpText(VERSION, __LANGUAGE_CHOICES__)}\n`;
  if (argv[0] === '-v' || argv[0] === '--version') return `${VERSION}\n`;
  return undefined;
}
