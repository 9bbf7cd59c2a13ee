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
  /** After `extends`: the preset each value came from, and the one that locked each key (for errors). */
  origin?: Partial<Record<PresetKey, string>>;
  lockedBy?: Partial<Record<PresetKey, string>>;
}

/** One preset document: its own answers, and the presets it extends (as written, resolved by the loader). */
export interface PresetLayer {
  preset: Preset;
  extends: string[];
}

/** How many presets an `extends` chain may hold, the first one included. */
export const MAX_PRESET_CHAIN = 8;

/** Older key names still read: `python` was the runtime version's key before Go, Node and Java. */
export const PRESET_ALIASES: Readonly<Record<string, PresetKey>> = Object.fromEntries(
  ANSWERS.flatMap((spec) => (spec.presetAliases ?? []).map((alias) => [alias, spec.key as PresetKey])),
);
const aliasOf = (key: string): string => (Object.hasOwn(PRESET_ALIASES, key) ? PRESET_ALIASES[key]! : key);

const TOP_KEYS = ['$schema', 'description', 'extends', 'defaults', 'locked', 'versions'];

// Keys and values come from the file: quote anything unusual so no control character reaches the terminal.
const shown = (key: string): string => (/^[\w$-]+$/.test(key) ? key : quoteValue(key));

/** The largest preset read: a team's defaults fit in a few KiB; this only stops /dev/zero-like input. */
export const PRESET_MAX_BYTES = 1024 * 1024;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Check a parsed preset document; every problem names the file and the key. */
export function parsePreset(document: unknown, file: string): Preset {
  return parsePresetLayer(document, file).preset;
}

/** parsePreset, keeping `extends`: a string or a list of presets (files, npm packages, https URLs). */
export function parsePresetLayer(document: unknown, file: string): PresetLayer {
  const bad = (key: string, what: string): never => {
    throw new UsageError(`preset ${showName(file)}: ${key} ${what}. See schema/preset.schema.json in the package.`, '--preset');
  };
  if (!isObject(document)) bad('the document', 'must be a JSON object');
  const root = document as Record<string, unknown>;
  for (const key of Object.keys(root)) if (!TOP_KEYS.includes(key)) bad(quoteValue(key), `is not a preset key (use ${TOP_KEYS.join(', ')})`);

  const bases: unknown = root.extends === undefined ? [] : typeof root.extends === 'string' ? [root.extends] : root.extends;
  if (!Array.isArray(bases) || (root.extends !== undefined && bases.length === 0) || !bases.every((base) => typeof base === 'string' && base.trim() !== '' && base.length <= 2048)) {
    bad('"extends"', 'must be a preset or a list of presets (a path, an npm package or an https URL), e.g. "extends": "@acme/hardened-preset"');
  }

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
    // With `extends`, the value may come from a base: checked once the presets are merged.
    if (!(key in defaults) && (bases as string[]).length === 0) bad(`locked "${given}"`, 'has no value in "defaults" to lock');
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
  return { preset: { file, defaults, locked: locked as PresetKey[], versions }, extends: [...(bases as string[])] };
}

/**
 * One preset from a chain of `extends`, bases first: a later preset's values and versions win over
 * an earlier one's, locks add up, and a value a base locked cannot be changed by a later preset
 * (the platform team's lock holds whoever extends it). `file` names the result.
 */
export function mergePresets(layers: readonly Preset[], file: string): Preset {
  const defaults: Partial<Record<PresetKey, string>> = {};
  const origin: Partial<Record<PresetKey, string>> = {};
  const lockedBy: Partial<Record<PresetKey, string>> = {};
  const versions: Record<string, string> = {};
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer.defaults) as [PresetKey, string][]) {
      const lock = lockedBy[key];
      if (lock !== undefined && defaults[key] !== value) {
        throw new UsageError(
          `preset ${showName(layer.file)}: defaults.${key} ${quoteValue(value.slice(0, 80))} contradicts the preset ${showName(lock)} it extends, which locks "${key}" to ${quoteValue(defaults[key]!)}. Drop the value or change the base preset.`,
          '--preset',
        );
      }
      defaults[key] = value;
      origin[key] = layer.origin?.[key] ?? layer.file;
    }
    for (const key of layer.locked) lockedBy[key] ??= layer.lockedBy?.[key] ?? layer.file;
    Object.assign(versions, layer.versions);
  }
  const locked = Object.keys(lockedBy) as PresetKey[];
  for (const key of locked) {
    if (!(key in defaults)) throw new UsageError(`preset ${showName(lockedBy[key]!)}: locked "${key}" has no value in "defaults" (its own or a base's) to lock. See schema/preset.schema.json in the package.`, '--preset');
  }
  return { file, defaults, locked, versions, origin, lockedBy };
}

/**
 * Read and check a preset file: a regular file of at most PRESET_MAX_BYTES, read without ever
 * blocking (a FIFO, a device or a directory is refused with the reason). `source` names where the
 * path came from: the flag, or the environment variable. Its `extends` are not followed here.
 */
export function loadPreset(file: string, source = '--preset'): Preset {
  return parsePresetText(readPresetFile(file, source), file).preset;
}

/** A preset file's text; an unreadable file is a usage error naming it. */
export function readPresetFile(file: string, source = '--preset'): string {
  try {
    return readTextFile(file, { maxBytes: PRESET_MAX_BYTES });
  } catch (error) {
    if (!(error instanceof UnreadableFile)) throw error;
    throw new UsageError(`${source}: cannot read the preset ${showName(file)}: it ${error.reason}. Example: --preset ./team-preset.json`, '--preset');
  }
}

/** A preset document's text (from a file, a package or a URL) -> its checked answers and `extends`. */
export function parsePresetText(text: string, file: string): PresetLayer {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    // The parser's message quotes a piece of the file, which may hold anything.
    throw new UsageError(`preset ${showName(file)}: not valid JSON (${escapeControls((error as Error).message)})`, '--preset');
  }
  return parsePresetLayer(document, file);
}
