// Resolution of every answer from the table (answers.ts): flag > preset > prompt > default. The
// language registry is handed in, so options import neither the languages nor the CLI.
import { ANSWERS, answerSpec, languageOf, type AnswerContext, type Languages } from './answers.ts';
import type { Preset } from './preset.ts';
import type { AnswerKey, Answers, Options, PresetRecord } from './types.ts';
import { UsageError } from './validate.ts';
import { VERSIONS } from '../versions.ts';

export { ANSWER_ORDER, nameFromDirectory } from './answers.ts';

type Given = Partial<Answers>;

/** The flag an answer was given with when it is not the key's own (`--python` for runtimeVersion). */
export type FlagAliases = Partial<Record<AnswerKey, string>>;

export interface Settled {
  /** Answers fixed by a flag, a locked preset key or a preset key never prompted: never prompted. */
  fixed: Given;
  /** Unlocked preset values: offered as the prompt's default, used as they are without prompts. */
  suggested: Given;
}

function set(target: Given, key: AnswerKey, value: unknown): void {
  (target as Record<string, unknown>)[key] = value;
}

// Values are compared as JSON: lists (gates) and null included.
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The rules of every answer over one set of languages: what the wizard, its tests and the schema use. */
export interface AnswerRules {
  readonly languages: Languages;
  /** Check one raw value for an answer key (a flag, a preset value or typed input), naming `flag` in the error. */
  check<K extends AnswerKey>(key: K, raw: string, flag: string, answers: Given, cwd?: string): Answers[K];
  /** The built-in default of an answer, given the answers settled before it. */
  defaultOf<K extends AnswerKey>(key: K, answers: Given, cwd: string): Answers[K];
  /**
   * Check flags and preset values in answer order (flag > preset). A flag that contradicts a locked
   * preset key is a usage error naming the preset file and the key.
   */
  settle(flags: Partial<Record<AnswerKey, string>>, preset: Preset | undefined, aliases?: FlagAliases): Settled;
  /** Fill every answer not given, from the defaults, in order. */
  complete(answers: Given, cwd: string): Answers;
  /** Settled answers -> the frozen options rendering needs: base images and pinned versions computed. */
  build(answers: Answers, versions: Readonly<Record<string, string>>, generatorVersion: string): Options;
}

export function answerRules(languages: Languages): AnswerRules {
  const context = (answers: Given, cwd = '/'): AnswerContext => ({ languages, answers, cwd });
  const check = <K extends AnswerKey>(key: K, raw: string, flag: string, answers: Given, cwd?: string): Answers[K] =>
    answerSpec(key).check(raw, flag, context(answers, cwd));
  const defaultOf = <K extends AnswerKey>(key: K, answers: Given, cwd: string): Answers[K] => answerSpec(key).default(context(answers, cwd));
  const flagOf = (key: AnswerKey, aliases: FlagAliases) => aliases[key] ?? answerSpec(key).flag;

  return {
    languages,
    check,
    defaultOf,
    settle(flags, preset, aliases = {}) {
      const fixed: Given = {};
      const suggested: Given = {};
      // The preset's own answers, each checked against the preset's earlier ones only.
      const own: Given = {};
      const merged = (): Given => ({ ...suggested, ...fixed });
      for (const spec of ANSWERS) {
        const key = spec.key;
        const presetRaw = preset?.defaults[key as keyof Preset['defaults']];
        // After `extends`, errors name the preset a value (or its lock) came from.
        const presetKey = key as keyof Preset['defaults'];
        const presetFlag = `preset ${preset?.origin?.[presetKey] ?? preset?.file}: defaults.${key}`;
        const locked = preset?.locked.includes(key as never) ?? false;
        let presetValue: unknown;
        if (presetRaw !== undefined) {
          let fitsOwn = true;
          try {
            set(own, key, check(key, presetRaw, presetFlag, own));
          } catch {
            fitsOwn = false;
          }
          try {
            presetValue = check(key, presetRaw, presetFlag, merged());
          } catch (error) {
            // An unlocked value that fits the preset's own answers but not the flags' (its Python
            // manager after --language go) is a suggestion that does not apply here.
            if (locked || !fitsOwn) throw error;
          }
        }
        const raw = flags[key];
        const flag = flagOf(key, aliases);
        const flagValue = raw === undefined ? undefined : check(key, raw, flag, merged());
        if (locked && flagValue !== undefined && !same(flagValue, presetValue)) {
          throw new UsageError(
            `${flag}: "${raw}" contradicts the preset ${preset!.lockedBy?.[presetKey] ?? preset!.file}, which locks "${key}" to ${JSON.stringify(presetValue)}. Drop the flag or change the preset.`,
            flag,
          );
        }
        if (flagValue !== undefined) set(fixed, key, flagValue);
        // An answer the wizard never asks is used as the preset gives it, TTY or not.
        else if (presetValue !== undefined) set(locked || spec.prompt.kind === 'none' ? fixed : suggested, key, presetValue);
      }
      return { fixed, suggested };
    },
    complete(answers, cwd) {
      const complete: Given = { ...answers };
      for (const { key } of ANSWERS) if (complete[key] === undefined) set(complete, key, defaultOf(key, complete, cwd));
      return complete as Answers;
    },
    build(answers, versions, generatorVersion) {
      const computed = languageOf(languages, answers.language).images(answers.registry, answers.runtimeVersion);
      return freeze({
        ...answers,
        gates: [...answers.gates],
        images: { builder: answers.builderImage ?? computed.builder, runtime: answers.runtimeImage ?? computed.runtime },
        versions: { ...VERSIONS, ...versions },
        generatorVersion,
      });
    },
  };
}

/** Options are settled once: nothing downstream may change them (digest pinning returns new ones). */
export function freeze(options: Options): Options {
  Object.freeze(options.images);
  Object.freeze(options.versions);
  Object.freeze(options.gates);
  return Object.freeze(options);
}

/** The same options with the preset they came from, for the record (none: no field). */
export function withPreset(options: Options, preset: PresetRecord | undefined): Options {
  const next: Options = { ...options, gates: [...options.gates], images: { ...options.images }, versions: { ...options.versions } };
  if (preset) next.preset = Object.freeze({ ...preset });
  else delete next.preset;
  return freeze(next);
}

/** The same options with base, CA-bundle and frontend images replaced by their pinned references. */
export function withPinned(options: Options, pinned: Readonly<Record<string, string>>): Options {
  const pin = (ref: string) => pinned[ref] ?? ref;
  return freeze({
    ...options,
    gates: [...options.gates],
    images: { builder: pin(options.images.builder), runtime: pin(options.images.runtime) },
    versions: { ...options.versions },
    certBundle: options.certBundle === null ? null : pin(options.certBundle),
    syntax: options.syntax === null ? null : pin(options.syntax),
  });
}
