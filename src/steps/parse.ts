import { parseArgv, type ParsedArgs } from '../cli/args.ts';

/** argv -> raw answer values, switches, --preset, --help and --version; an unknown flag or a missing value is a usage error. */
export function parse(argv: readonly string[]): ParsedArgs {
  return parseArgv(argv);
}
