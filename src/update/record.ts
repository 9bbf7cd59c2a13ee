// The project's record (.hardened-service.json) as update reads it, and the answers an update
// renders with: flags > locked preset > recorded > unlocked preset > default, where a recorded
// answer that read an answer which changed is settled again (a new --registry moves the frontend).
import { ANSWERS, dependentsOf, flagValue } from '../options/answers.ts';
import type { Preset } from '../options/preset.ts';
import type { AnswerRules, FlagAliases } from '../options/resolve.ts';
import type { AnswerKey, Answers } from '../options/types.ts';
import { UsageError } from '../options/validate.ts';

export interface ProjectRecord {
  version: string;
  /** Raw recorded answers (JSON values), by key. */
  answers: Record<string, unknown>;
  images: { builder?: string; runtime?: string };
  versions: Record<string, string>;
  /** Where the preset came from, when the record keeps it. */
  preset: { source: string; version?: string; sha256?: string } | undefined;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Check a parsed record; `shown` names the file in every message (exit 2). */
export function parseRecord(document: unknown, shown: string): ProjectRecord {
  const bad = (what: string): never => {
    throw new UsageError(`${shown}: ${what}. It is the record create-hardened-service writes; restore it from git (git checkout -- ${shown}).`, '[directory]');
  };
  if (!isObject(document)) return bad('not a JSON object');
  if (document.generator !== 'create-hardened-service') bad('"generator" is not "create-hardened-service"');
  if (typeof document.version !== 'string' || !/^\d+\.\d+\.\d+(?:[-+][\w.+-]*)?$/.test(document.version)) bad('"version" is not a version such as "0.1.0"');
  if (!isObject(document.answers)) bad('"answers" is not an object');
  const images = isObject(document.images) ? document.images : {};
  const versions = isObject(document.versions) ? document.versions : {};
  for (const [tool, version] of Object.entries(versions)) if (typeof version !== 'string') bad(`versions.${tool} is not a string`);
  let preset: ProjectRecord['preset'];
  if (document.preset !== undefined && document.preset !== null) {
    if (!isObject(document.preset) || typeof document.preset.source !== 'string' || document.preset.source === '') bad('"preset" has no "source"');
    preset = document.preset as ProjectRecord['preset'];
  }
  return {
    version: document.version as string,
    answers: document.answers as Record<string, unknown>,
    images: {
      builder: typeof images.builder === 'string' ? images.builder : undefined,
      runtime: typeof images.runtime === 'string' ? images.runtime : undefined,
    },
    versions: versions as Record<string, string>,
    preset,
  };
}

export interface UpdateAnswersInput {
  rules: AnswerRules;
  record: ProjectRecord;
  /** The record's name as shown to the user, for messages. */
  shown: string;
  flags: Partial<Record<AnswerKey, string>>;
  aliases: FlagAliases;
  preset: Preset | undefined;
  directory: string;
  cwd: string;
}

/** The recorded answers checked by today's rules, nothing else applied (the base of a same-version update). */
export function recordedAnswers(input: Pick<UpdateAnswersInput, 'rules' | 'record' | 'shown' | 'directory' | 'cwd'>): Answers {
  const { rules, record, shown, directory, cwd } = input;
  const answers: Partial<Answers> = { directory };
  for (const spec of ANSWERS) {
    if (spec.key === 'directory' || !Object.hasOwn(record.answers, spec.key)) continue;
    (answers as Record<string, unknown>)[spec.key] = checkRecorded(rules, record, shown, spec.key, answers, cwd);
  }
  return rules.complete(answers, cwd);
}

function checkRecorded(rules: AnswerRules, record: ProjectRecord, shown: string, key: AnswerKey, answers: Partial<Answers>, cwd: string): unknown {
  const value = record.answers[key];
  if (!(value === null || typeof value === 'string' || typeof value === 'boolean' || (Array.isArray(value) && value.every((item) => typeof item === 'string')))) {
    throw new UsageError(`${shown}: answers.${key} must be a string, a list of strings, true, false or null. Restore it from git, or give the answer as a flag.`, '[directory]');
  }
  return rules.check(key, flagValue(value), `${shown}: answers.${key}`, answers, cwd);
}

/**
 * The answers an update renders with. A flag or a locked preset value wins; else the recorded
 * answer, unless an answer it depends on moved (then the preset's suggestion or the default, as
 * the wizard would settle it); an answer the record lacks comes from the preset or the default.
 */
export function updateAnswers(input: UpdateAnswersInput): { answers: Answers; changed: AnswerKey[] } {
  const { rules, record, shown, flags, aliases, preset, directory, cwd } = input;
  const settled = rules.settle(flags, preset, aliases);
  const answers: Partial<Answers> = { directory };
  const moved = new Set<AnswerKey>();
  const resettle = new Set<AnswerKey>();
  for (const spec of ANSWERS) {
    const key = spec.key;
    if (key === 'directory') continue;
    const recorded = Object.hasOwn(record.answers, key);
    let value: unknown;
    if (Object.hasOwn(settled.fixed, key)) value = settled.fixed[key];
    else if (recorded && !resettle.has(key)) value = checkRecorded(rules, record, shown, key, answers, cwd);
    else if (Object.hasOwn(settled.suggested, key)) value = settled.suggested[key];
    else value = rules.defaultOf(key, answers, cwd);
    (answers as Record<string, unknown>)[key] = value;
    if (!recorded || JSON.stringify(value) !== JSON.stringify(record.answers[key])) {
      moved.add(key);
      for (const dependent of dependentsOf(key)) resettle.add(dependent);
    }
  }
  return { answers: answers as Answers, changed: [...moved] };
}
