import { readTextFile, UnreadableFile } from '../fs/read-text.ts';
import { VERSIONS } from '../versions.ts';
import { ANSWERS } from './answers.ts';
import type { AnswerKey } from './types.ts';
import { UsageError, checkToolVersion, escapeControls, quoteValue, showName } from './validate.ts';

/** Answer keys a team preset may set or lock (everything but the per-service directory and name). */
export type PresetKey = Exclude<AnswerKey, 'directory' | 'name'>;

export const PRESET_KEYS: readonly PresetKey[] = ANSWERS.filter((spec) => spec.preset).map((spec) => spec.key as PresetKey);

export interface Preset {
  /** Where it came from, for error messages. */
  file: string;
  /** Raw answer values (validated later like flags). */
  defaults: Partial<Record<PresetKey, string>>;
  /** Keys that are never prompted and that no flag may contradict. */
  locked: PresetKey[];
  /** Tool version overrides, keys of src/versions.ts. */
  versions: Record<string, string>;
}

/** Older key names still read: `python` was the runtime version's key before Go, Node and Java. */
export const PRESET_ALIASES: Readonly<Record<string, PresetKey>> = Object.fromEntries(
  ANSWERS.flatMap((spec) => (spec.presetAliases ?? []).map((alias) => [alias, spec.key as PresetKey])),
);
const aliasOf = (key: string): string => (Object.hasOwn(PRESET_ALIASES, key) ? PRESET_ALIASES[key]! : key);

const TOP_KEYS = ['$schema', 'description', 'defaults', 'locked', 'versions'];

// Keys and values come from the file: quote anything unusual so no control character reaches the terminal.
const shown = (key: string): string => (/^[\w$-]+$/.test(key) ? key : quoteValue(key));

/** The largest preset read: a team's defaults fit in a few KiB; this only stops /dev/zero-like input. */
export const PRESET_MAX_BYTES = 1024 * 1024;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Check a parsed preset document; every problem names the file and the key. */
export function parsePreset(document: unknown, file: string): Preset {
  const bad = (key: string, what: string): never => {
    throw new UsageError(`preset ${showName(file)}: ${key} ${what}. See schema/preset.schema.json in the package.`, '--preset');
  };
  if (!isObject(document)) bad('the document', 'must be a JSON object');
  const root = document as Record<string, unknown>;
  for (const key of Object.keys(root)) if (!TOP_KEYS.includes(key)) bad(quoteValue(key), `is not a preset key (use ${TOP_KEYS.join(', ')})`);

  const defaults: Partial<Record<PresetKey, string>> = {};
  const rawDefaults = root.defaults ?? {};
  if (!isObject(rawDefaults)) bad('"defaults"', 'must be an object');
  for (const [given, value] of Object.entries(rawDefaults as Record<string, unknown>)) {
    const key = aliasOf(given);
    if (!(PRESET_KEYS as readonly string[]).includes(key)) bad(`defaults.${shown(given)}`, `is not an answer key (use ${PRESET_KEYS.join(', ')})`);
    if (key in defaults) {
      const older = Object.keys(PRESET_ALIASES).find((alias) => PRESET_ALIASES[alias] === key);
      bad(`defaults.${given}`, `repeats defaults.${key} (${older} is the older name of ${key}): keep one`);
    }
    if (value === null) defaults[key as PresetKey] = 'none';
    else if (typeof value === 'string') defaults[key as PresetKey] = value;
    else if (typeof value === 'boolean' && ANSWERS.some((spec) => spec.key === key && 'switch' in spec)) defaults[key as PresetKey] = String(value);
    else if (key === 'gates' && Array.isArray(value) && value.every((gate) => typeof gate === 'string')) {
      defaults.gates = value.join(',');
    } else if (ANSWERS.some((spec) => spec.key === key && 'switch' in spec)) bad(`defaults.${given}`, 'must be true or false');
    else bad(`defaults.${given}`, key === 'gates' ? 'must be a list of gate names' : 'must be a string or null');
  }

  const rawLocked = root.locked ?? [];
  if (!Array.isArray(rawLocked) || !rawLocked.every((key) => typeof key === 'string')) bad('"locked"', 'must be a list of answer keys');
  const locked = [...(rawLocked as string[])];
  for (const [index, given] of locked.entries()) {
    const key = aliasOf(given);
    locked[index] = key;
    if (!(PRESET_KEYS as readonly string[]).includes(key)) bad(`locked ${quoteValue(given)}`, `is not an answer key (use ${PRESET_KEYS.join(', ')})`);
    if (!(key in defaults)) bad(`locked "${given}"`, 'has no value in "defaults" to lock');
  }

  const versions: Record<string, string> = {};
  const rawVersions = root.versions ?? {};
  if (!isObject(rawVersions)) bad('"versions"', 'must be an object of tool -> version');
  for (const [tool, version] of Object.entries(rawVersions as Record<string, unknown>)) {
    // Own keys only: `in` would also accept inherited names such as "toString" or "constructor".
    if (!Object.hasOwn(VERSIONS, tool)) bad(`versions.${shown(tool)}`, `is not a pinned tool (use ${Object.keys(VERSIONS).join(', ')})`);
    if (typeof version !== 'string') bad(`versions.${tool}`, 'must be a version string');
    try {
      versions[tool] = checkToolVersion(version as string, `versions.${tool}`);
    } catch {
      bad(`versions.${tool}`, `${quoteValue(String(version).slice(0, 40))} is not a plain version number, e.g. "2024.0.1"`);
    }
  }
  return { file, defaults, locked: locked as PresetKey[], versions };
}

/**
 * Read and check a preset file: a regular file of at most PRESET_MAX_BYTES, read without ever
 * blocking (a FIFO, a device or a directory is refused with the reason). `source` names where the
 * path came from: the flag, or the environment variable.
 */
export function loadPreset(file: string, source = '--preset'): Preset {
  let text: string;
  try {
    text = readTextFile(file, { maxBytes: PRESET_MAX_BYTES });
  } catch (error) {
    if (!(error instanceof UnreadableFile)) throw error;
    throw new UsageError(`${source}: cannot read the preset ${showName(file)}: it ${error.reason}. Example: --preset ./team-preset.json`, '--preset');
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    // The parser's message quotes a piece of the file, which may hold anything.
    throw new UsageError(`preset ${showName(file)}: not valid JSON (${escapeControls((error as Error).message)})`, '--preset');
  }
  return parsePreset(document, file);
}
