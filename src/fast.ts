// The fast path for `--help` and `--version` alone: bundled as CommonJS (dist/fast.cjs) so the bin
// shim answers them without starting Node's ES module loader or reading the main bundle.
import { helpText } from './cli/help.ts';
import { VERSION } from './version.ts';

// The answers part of --help, made by the build from the answers table and the languages
// (scripts/build.mjs), so this file carries neither.
declare const __ANSWERS_HELP__: string;

/** The text for a lone `-h/--help` or `-v/--version`, else undefined (the full CLI handles it). */
export function fastOutput(argv: readonly string[]): string | undefined {
  if (argv.length !== 1) return undefined;
  if (argv[0] === '-h' || argv[0] === '--help') return `${helpText(VERSION, __ANSWERS_HELP__)}\n`;
  if (argv[0] === '-v' || argv[0] === '--version') return `${VERSION}\n`;
  return undefined;
}
