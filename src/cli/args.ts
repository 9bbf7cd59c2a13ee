import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ANSWERS, offFlag } from '../options/answers.ts';
import type { AnswerKey, Switches } from '../options/types.ts';
import { UsageError } from '../options/validate.ts';

/** Flags that set an answer, by answer key (the table's; the directory is the positional). */
export const ANSWER_FLAGS: Readonly<Partial<Record<AnswerKey, string>>> = Object.fromEntries(
  ANSWERS.filter((spec) => spec.flag.startsWith('--')).map((spec) => [spec.key, spec.flag]),
);

/** On/off answers: `--devcontainer` and `--no-devcontainer`, taking no value. */
const SWITCHES = ANSWERS.filter((spec) => 'switch' in spec);
const isSwitch = (key: AnswerKey) => SWITCHES.some((spec) => spec.key === key);

/** Other names of answer flags (`--python`), by flag name without dashes. */
const ALIASES = new Map(ANSWERS.flatMap((spec) => (spec.alias ? [[spec.alias.flag.slice(2), spec] as const] : [])));

export interface ParsedArgs {
  /** Raw answer values from the command line (validated later, in resolve). */
  flags: Partial<Record<AnswerKey, string>>;
  /** Flags given under another name than the key's own: `--python` for runtimeVersion. */
  aliases: Partial<Record<AnswerKey, string>>;
  switches: Switches;
  preset: string | undefined;
  help: boolean;
  version: boolean;
}

/** Names main.ts dispatches before the wizard's parsing: not a directory when they come after a flag. */
export const SUBCOMMAND_NAMES = ['audit', 'pin', 'update'] as const;
export type SubcommandName = (typeof SUBCOMMAND_NAMES)[number];

const stringOption = { type: 'string' } as const;
const booleanOption = { type: 'boolean' } as const;

/** The answer flags and their other names as parseArgs options: the wizard's and update's. */
export const ANSWER_OPTIONS: Readonly<Record<string, { type: 'string' } | { type: 'boolean' }>> = {
  ...Object.fromEntries(Object.entries(ANSWER_FLAGS).filter(([key]) => !isSwitch(key as AnswerKey)).map(([, flag]) => [flag.slice(2), stringOption])),
  ...Object.fromEntries(SWITCHES.flatMap((spec) => [spec.flag, offFlag(spec.flag)].map((flag) => [flag.slice(2), booleanOption]))),
  ...Object.fromEntries([...ALIASES.keys()].map((name) => [name, stringOption])),
};

const OPTIONS = {
  ...ANSWER_OPTIONS,
  preset: stringOption,
  yes: { ...booleanOption, short: 'y' },
  'dry-run': booleanOption,
  force: booleanOption,
  'no-git': booleanOption,
  'no-lock': booleanOption,
  help: { ...booleanOption, short: 'h' },
  version: { ...booleanOption, short: 'v' },
} as const;

/** A valid value per string flag, for "needs a value" messages. */
const EXAMPLES: Record<string, string> = {
  ...Object.fromEntries(ANSWERS.flatMap((spec) => [[spec.flag.slice(2), spec.example], ...(spec.alias ? [[spec.alias.flag.slice(2), spec.example]] : [])])),
  preset: './team-preset.json',
};

/** What node's parseArgs refused: the flag as written, and whether it is unknown, lacks its value, or got one it does not take. */
export interface ArgvProblem {
  flag: string;
  kind: 'unknown' | 'needs-value' | 'takes-no-value';
}

/**
 * Parse a command's argv strictly, positionals allowed (the wizard, `audit` and `pin` all do). A
 * flag parseArgs refuses becomes the error `refuse` makes of it, so each command words its own usage
 * message: the flag, what is wrong, an example.
 */
export function parseStrict<O extends NonNullable<ParseArgsConfig['options']>>(argv: readonly string[], options: O, refuse: (problem: ArgvProblem) => Error) {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    const { code, message } = error as Error & { code?: string };
    if (!code?.startsWith('ERR_PARSE_ARGS_')) throw error;
    // node names the flag in quotes, after its short form when it has one: `'-y, --yes'`.
    const flag = /'(?:-\w, )?(--?[\w-]+)/.exec(message)?.[1] ?? 'option';
    const kind = code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? 'unknown' : options[flag.replace(/^-+/, '')]?.type === 'string' ? 'needs-value' : 'takes-no-value';
    throw refuse({ flag, kind });
  }
}

/** The wizard's refusals, worded like every usage error. */
function wizardUsage({ flag, kind }: ArgvProblem): UsageError {
  const help = 'Run with --help to see every option.';
  if (kind === 'unknown') return new UsageError(`${flag}: is not an option. Example: create-hardened-service billing-api --manager poetry. ${help}`, flag);
  const example = EXAMPLES[flag.replace(/^-+/, '')];
  if (kind === 'needs-value') return new UsageError(`${flag}: needs a value. Example: ${flag} ${example}. ${help}`, flag);
  return new UsageError(`${flag}: takes no value. Example: create-hardened-service billing-api ${flag}. ${help}`, flag);
}

/** The answers parsed options give (`--python` given as runtimeVersion, named in `aliases`); a flag and its other name together are a usage error. */
export function answerFlags(values: Readonly<Record<string, string | boolean | undefined>>): { flags: Partial<Record<AnswerKey, string>>; aliases: Partial<Record<AnswerKey, string>> } {
  const flags: Partial<Record<AnswerKey, string>> = {};
  for (const [key, flag] of Object.entries(ANSWER_FLAGS) as [AnswerKey, string][]) {
    const value = values[flag.slice(2)];
    if (typeof value === 'string') flags[key] = value;
  }
  // An on/off answer reaches the checks as the text a preset would give: true or false.
  for (const { key, flag } of SWITCHES) {
    const on = values[flag.slice(2)] === true;
    const off = values[offFlag(flag).slice(2)] === true;
    if (on && off) throw new UsageError(`${offFlag(flag)}: give ${flag} or ${offFlag(flag)}, not both. Example: create-hardened-service billing-api ${offFlag(flag)}`, offFlag(flag));
    if (on || off) flags[key] = String(on);
  }
  const aliases: Partial<Record<AnswerKey, string>> = {};
  for (const [name, spec] of ALIASES) {
    const value = values[name];
    if (typeof value !== 'string') continue;
    const alias = `--${name}`;
    if (flags[spec.key] !== undefined) throw new UsageError(`${alias}: give ${alias} or ${spec.flag}, not both. Example: ${alias} ${spec.example}`, alias);
    flags[spec.key] = value;
    aliases[spec.key] = alias;
  }
  return { flags, aliases };
}

/** A valid value for a string answer flag (or its other name), without dashes: for "needs a value" messages. */
export const answerExample = (name: string): string | undefined => EXAMPLES[name];

/** Parse argv strictly: an unknown flag or a missing value is a usage error (exit 2). */
export function parseArgv(argv: readonly string[]): ParsedArgs {
  const parsed = parseStrict(argv, OPTIONS, wizardUsage);
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const positionals = parsed.positionals;
  if ((SUBCOMMAND_NAMES as readonly string[]).includes(positionals[0] ?? '')) {
    throw new UsageError(`${positionals[0]}: a subcommand comes first, before any option. Example: create-hardened-service ${positionals[0]} --help`, positionals[0]);
  }
  if (positionals.length > 1) {
    throw new UsageError(
      `[directory]: expected one directory, got ${positionals.length}: ${positionals.join(' ')}. Example: create-hardened-service billing-api`,
      '[directory]',
    );
  }
  const { flags, aliases } = answerFlags(values);
  if (positionals[0] !== undefined) flags.directory = positionals[0];
  return {
    flags,
    aliases,
    switches: {
      yes: values.yes === true,
      dryRun: values['dry-run'] === true,
      force: values.force === true,
      git: values['no-git'] !== true,
      lock: values['no-lock'] !== true,
    },
    preset: typeof values.preset === 'string' ? values.preset : undefined,
    help: values.help === true,
    version: values.version === true,
  };
}
