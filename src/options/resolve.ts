import { basename, resolve as resolvePath } from 'node:path';
import { ANSWER_FLAGS } from '../cli/args.ts';
import { LANGUAGES, languageById } from '../languages/index.ts';
import type { LanguageModule } from '../languages/types.ts';
import { DOCKERFILE_SYNTAX, VERSIONS } from '../versions.ts';
import type { Preset } from './preset.ts';
import { ANSWER_ORDER, type AnswerKey, type Answers, type Options } from './types.ts';

export { ANSWER_ORDER };
import * as check from './validate.ts';


type Partial_ = Partial<Answers>;
type Checker = (raw: string, flag: string, answers: Partial_) => unknown;

function language(answers: Partial_): LanguageModule {
  return languageById(answers.language ?? 'python') ?? LANGUAGES[0]!;
}

/** How each answer is checked; the flag (or preset key) is named in every error. */
const CHECKS: Record<AnswerKey, Checker> = {
  directory: (raw, flag) => check.checkDirectory(raw, flag),
  name: (raw, flag) => check.checkName(raw, flag),
  language: (raw, flag) => check.checkChoice(raw, flag, LANGUAGES.map((l) => l.value)),
  manager: (raw, flag, a) => check.checkChoice(raw, flag, language(a).managers.map((m) => m.value)),
  runtimeVersion: (raw, flag, a) => {
    const lang = language(a);
    // `--python X.Y` is the contract's name for Python's version; other languages use --runtime-version.
    if (flag === '--python' && lang.value !== 'python') {
      throw new check.UsageError(
        `--python: applies to --language python only; ${lang.label} takes --runtime-version. Example: --runtime-version ${lang.runtimeVersions[0]!.value}`,
        '--python',
      );
    }
    return check.checkRuntimeVersion(raw, flag, lang.runtimeVersions.map((v) => v.value));
  },
  registry: (raw, flag) => check.checkRegistry(raw, flag),
  builderImage: (raw, flag, a) => (raw === 'none' || raw === '' ? null : check.checkImage(raw, flag, language(a).examples.builderImage)),
  runtimeImage: (raw, flag, a) => (raw === 'none' || raw === '' ? null : check.checkImage(raw, flag, language(a).examples.runtimeImage)),
  syntax: (raw, flag) => check.checkSyntax(raw, flag),
  certBundle: (raw, flag) => check.checkCertBundle(raw, flag),
  certPath: (raw, flag) => check.checkCertPath(raw, flag),
  indexUrl: (raw, flag) => check.checkIndexUrl(raw, flag),
  gates: (raw, flag, a) => {
    const lang = language(a);
    return check.checkGates(raw, flag, lang.gates.map((g) => g.value), lang.label);
  },
  ci: (raw, flag) => check.checkCi(raw, flag),
  maintainer: (raw, flag) => check.checkMaintainer(raw, flag),
};

/** Check one raw value for an answer key (flag, preset or prompt input). */
export function checkAnswer<K extends AnswerKey>(key: K, raw: string, flag: string, answers: Partial_): Answers[K] {
  return CHECKS[key](raw, flag, answers) as Answers[K];
}

/** A directory's name as a service name, as npm create tools do: `Billing_API` -> `billing-api`. */
export function nameFromDirectory(base: string): string | undefined {
  const name = base
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  try {
    return check.checkName(name, '--name');
  } catch {
    return undefined;
  }
}

/** The built-in default of an answer, given the answers settled before it. */
export function defaultAnswer<K extends AnswerKey>(key: K, answers: Partial_, cwd: string): Answers[K] {
  const defaults: { [P in AnswerKey]: () => Answers[P] } = {
    directory: () => 'my-service',
    name: () => {
      const base = basename(resolvePath(cwd, answers.directory ?? '.'));
      const name = nameFromDirectory(base);
      if (name) return name;
      throw new check.UsageError(
        `--name: the directory's name "${base}" does not make a lowercase DNS label (it must start with a letter), so it cannot be the service name. Example: --name billing-api`,
        '--name',
      );
    },
    language: () => LANGUAGES[0]!.value,
    manager: () => language(answers).defaultManager,
    runtimeVersion: () => language(answers).runtimeVersions[0]!.value,
    registry: () => null,
    builderImage: () => null,
    runtimeImage: () => null,
    // The frontend mirrored beside the base images: BuildKit fetches it before anything else (D1).
    syntax: () => (answers.registry ? `${answers.registry}/${DOCKERFILE_SYNTAX}` : DOCKERFILE_SYNTAX),
    certBundle: () => null,
    certPath: () => '/certs/',
    indexUrl: () => null,
    gates: () => language(answers).gates.map((gate) => gate.value),
    ci: () => 'github',
    maintainer: () => null,
  };
  return defaults[key]() as Answers[K];
}

/** Answers the wizard has no prompt for: a preset's value for them is used as it is, TTY or not. */
const NEVER_PROMPTED: readonly AnswerKey[] = ['builderImage', 'runtimeImage', 'syntax'];

export interface Settled {
  /** Answers fixed by a flag, a locked preset key or a preset key never prompted: never prompted. */
  fixed: Partial_;
  /** Unlocked preset values: offered as the prompt's default, used as they are without prompts. */
  suggested: Partial_;
}

function set(target: Partial_, key: AnswerKey, value: unknown): void {
  (target as Record<string, unknown>)[key] = value;
}

function flagName(key: AnswerKey, aliases: FlagAliases = {}): string {
  return key === 'directory' ? '[directory]' : (aliases[key] ?? ANSWER_FLAGS[key as keyof typeof ANSWER_FLAGS]);
}

/** The flag an answer was given with when it is not the key's own (`--python` for runtimeVersion). */
export type FlagAliases = Partial<Record<AnswerKey, string>>;

/**
 * Check flags and preset values in answer order (flag > preset). A flag that contradicts a locked
 * preset key is a usage error naming the preset file and the key.
 */
export function settle(flags: Partial<Record<AnswerKey, string>>, preset: Preset | undefined, aliases: FlagAliases = {}): Settled {
  const fixed: Partial_ = {};
  const suggested: Partial_ = {};
  const merged = (): Partial_ => ({ ...suggested, ...fixed });
  for (const key of ANSWER_ORDER) {
    const presetRaw = preset?.defaults[key as keyof Preset['defaults']];
    const presetValue = presetRaw === undefined ? undefined : checkAnswer(key, presetRaw, `preset ${preset!.file}: defaults.${key}`, merged());
    const raw = flags[key];
    const flagValue = raw === undefined ? undefined : checkAnswer(key, raw, flagName(key, aliases), merged());
    const locked = preset?.locked.includes(key as never) ?? false;
    if (locked && flagValue !== undefined && JSON.stringify(flagValue) !== JSON.stringify(presetValue)) {
      throw new check.UsageError(
        `${flagName(key, aliases)}: "${raw}" contradicts the preset ${preset!.file}, which locks "${key}" to ${JSON.stringify(presetValue)}. Drop the flag or change the preset.`,
        flagName(key, aliases),
      );
    }
    if (flagValue !== undefined) set(fixed, key, flagValue);
    else if (presetValue !== undefined) set(locked || NEVER_PROMPTED.includes(key) ? fixed : suggested, key, presetValue);
  }
  // A preset value checked before its flag-chosen language may no longer fit: check again.
  for (const key of ['manager', 'runtimeVersion', 'gates'] as const) {
    const value = suggested[key];
    if (value !== undefined && fixed[key] === undefined) {
      try {
        checkAnswer(key, Array.isArray(value) ? value.join(',') : value, key, merged());
      } catch {
        delete suggested[key];
      }
    }
  }
  return { fixed, suggested };
}

/** Fill every answer not given, from the suggestions and then the defaults. */
export function completeAnswers(answers: Partial_, cwd: string): Answers {
  const complete: Partial_ = { ...answers };
  for (const key of ANSWER_ORDER) {
    if (complete[key] === undefined) set(complete, key, defaultAnswer(key, complete, cwd));
  }
  return complete as Answers;
}

/** Settled answers -> the options rendering needs: base images and pinned versions computed. */
export function buildOptions(answers: Answers, versions: Record<string, string>, generatorVersion: string): Options {
  const computed = language(answers).images(answers.registry, answers.runtimeVersion);
  return {
    ...answers,
    images: { builder: answers.builderImage ?? computed.builder, runtime: answers.runtimeImage ?? computed.runtime },
    versions: { ...VERSIONS, ...versions },
    generatorVersion,
  };
}
