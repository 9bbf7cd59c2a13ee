// Every answer the wizard settles, described once, in the order they are resolved and asked:
// argument parsing, preset settling, the prompts, --help, the summary, the printed command line and
// the preset JSON schema all read this table (as clack's group() reads one ordered description).
import { basename, resolve as resolvePath } from 'node:path';
import type { Choice, LanguageModule } from '../languages/types.ts';
import { DOCKERFILE_SYNTAX } from '../versions.ts';
import { DIRECTORY } from './first-question.ts';
import * as schema from './schema-patterns.ts';
import { CI_KINDS, GATES } from './kinds.ts';
import type { AnswerKey, Answers, LanguageId, ManagerId, Options } from './types.ts';
import * as check from './validate.ts';

export { flagValue } from './first-question.ts';

/** The languages a build offers, handed in by the caller (options never import the registry). */
export type Languages = readonly LanguageModule<LanguageId, ManagerId>[];

/** What --help reads of a language: its choices, not its rendering. */
export interface LanguageChoices extends Choice {
  managers: readonly Choice[];
  runtimeVersions: readonly Choice[];
}

/** What an answer's rules may read: the languages offered, the answers settled before it, the working directory. */
export interface AnswerContext {
  readonly languages: Languages;
  readonly answers: Partial<Answers>;
  readonly cwd: string;
}

/** The chosen language (the first offered until one is chosen; ids are checked before they get here). */
export function languageOf<L extends Choice>(languages: readonly L[], id: string | undefined): L {
  const found = id === undefined ? languages[0] : languages.find((language) => language.value === id);
  if (!found) throw new Error(`no language ${id ?? '(none offered)'}: answers are checked before they are used`);
  return found;
}

const chosen = (ctx: AnswerContext) => languageOf(ctx.languages, ctx.answers.language);

type Json = Record<string, unknown>;

/** How an answer is asked. A question whose choices leave one possible answer is not asked. */
export type Prompt =
  | { kind: 'none' }
  | {
      kind: 'text';
      message: (ctx: AnswerContext) => string;
      hint: string;
      placeholder?: (ctx: AnswerContext) => string;
      /** An empty answer means none (null), or the default (the directory's my-service). @default required */
      empty?: 'none' | 'default';
      /** The typed directory must be able to take the project (checked by the caller, which knows the disk). */
      target?: true;
    }
  | { kind: 'select' | 'multiselect'; message: (ctx: AnswerContext) => string; hint: string; choices: (ctx: AnswerContext) => readonly Choice[] };

/** One answer: everything the flags, the preset, the prompts, --help, the summary and the schema need. */
export interface Answer<K extends AnswerKey> {
  key: K;
  /** The flag that sets it; `[directory]` is the positional. */
  flag: string;
  /** An on/off answer: `flag` turns it on and `--no-…` off, and neither takes a value. */
  switch?: true;
  /** Another flag for it (`--python`) and the language it applies to. */
  alias?: { flag: string; arg: string; language: string };
  /** Older preset key names still read (`python` for runtimeVersion). */
  presetAliases?: readonly string[];
  /** A valid value, for "needs a value" messages (the checks give the chosen language's own). */
  example: string;
  /** A team preset may set or lock it (the directory and name are each service's own). */
  preset: boolean;
  /** --help: the argument's name, the lines that describe it, and the default in words (a newline wraps it). */
  help: { arg?: string; lines: (languages: readonly LanguageChoices[]) => string[]; default?: string | ((languages: readonly LanguageChoices[]) => string) };
  /** Check a raw value (a flag, a preset value, typed text), naming `flag` in the error. */
  check(raw: string, flag: string, ctx: AnswerContext): Answers[K];
  /** The built-in default, given the answers before it. */
  default(ctx: AnswerContext): Answers[K];
  prompt: Prompt;
  /** Asked only when this holds (the cert path without a bundle is not). */
  when?: (answers: Partial<Answers>) => boolean;
  /** Earlier answers its check, choices or default read: changing one settles this one again. */
  dependsOn?: readonly AnswerKey[];
  /** The summary line: a human label; `trailing` rows (the images as computed) come last. */
  summary: { label: (answers: Partial<Answers>) => string; trailing?: true; value?: (options: Options) => unknown; hidden?: (answers: Partial<Answers>) => boolean };
  /** The preset schema's entry for it, from the languages and the versions table. */
  schema?: (languages: Languages) => Json;
}

/** `--no-devcontainer` for `--devcontainer`: the flag that turns an on/off answer off. */
export const offFlag = (flag: string): string => `--no-${flag.slice(2)}`;

/** An on/off answer: never prompted, on by default, `--x` / `--no-x`, a JSON boolean in a preset. */
function onOff<K extends 'devcontainer' | 'preCommit'>(key: K, flag: string, file: string, what: string, label: string): Answer<K> {
  return {
    key,
    flag,
    switch: true,
    example: 'false',
    preset: true,
    help: { lines: () => [`write ${file}`, `(${what})`], default: 'on' },
    check: (raw, given) => check.checkSwitch(raw, given) as Answers[K],
    default: () => true as Answers[K],
    prompt: { kind: 'none' },
    // Read as --help reads its default: on or off, not a JavaScript boolean.
    summary: { label: () => label, value: (options) => (options[key] ? 'on' : 'off') },
    schema: () => ({ type: 'boolean', examples: [false] }),
  };
}

const union = (languages: Languages, pick: (language: LanguageModule) => readonly Choice[]) => [
  ...new Set(languages.flatMap((language) => pick(language).map((choice) => choice.value))),
];
const values = (choices: readonly Choice[]) => choices.map((choice) => choice.value).join(', ');

const CI_CHOICES: readonly Choice[] = [
  { value: 'github', label: 'GitHub Actions', hint: '.github/workflows/ci.yml' },
  { value: 'gitlab', label: 'GitLab CI', hint: '.gitlab-ci.yml' },
  { value: 'none', label: 'None' },
];

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

function defaultName(directory: string | undefined, cwd: string): string {
  const base = basename(resolvePath(cwd, directory ?? '.'));
  const name = nameFromDirectory(base);
  if (name) return name;
  throw new check.UsageError(
    `--name: the directory's name "${base}" does not make a lowercase DNS label (it must start with a letter), so it cannot be the service name. Example: --name billing-api`,
    '--name',
  );
}

// An identity that lets TypeScript infer each entry's key.
const answer = <K extends AnswerKey>(spec: Answer<K>): Answer<K> => spec;

/** --builder-image and --runtime-image: never asked; a full reference replaces the computed image. */
function imageOverride<S extends 'builder' | 'runtime'>(stage: S, example: string): Answer<`${S}Image`> {
  const key = `${stage}Image` as const;
  return {
    key,
    flag: `--${stage}-image`,
    example,
    preset: true,
    help: { arg: 'REF', lines: () => [`override the ${stage} image (full reference with tag)`] },
    check: (raw, flag, ctx) => (raw === 'none' || raw === '' ? null : check.checkImage(raw, flag, chosen(ctx).examples[key])),
    default: () => null,
    prompt: { kind: 'none' },
    dependsOn: ['language'],
    // The summary shows the image the Dockerfile will use: the override, or the computed one.
    summary: { label: () => `${stage} image`, trailing: true, value: (options) => options.images[stage] },
    schema: (languages) => ({
      anyOf: [{ type: 'string', pattern: schema.IMAGE, maxLength: schema.IMAGE_MAX }, { type: 'null' }, { const: 'none' }, { const: '' }],
      examples: [languages[0]?.examples[key]],
    }),
  };
}

/** Every answer, in resolution and prompt order (an answer that reads another comes after it). */
export const ANSWERS = [
  // Asked first, and drawn before this table is loaded: its entry has a module of its own.
  DIRECTORY,
  answer({
    key: 'name',
    flag: '--name',
    example: 'billing-api',
    preset: false,
    help: { arg: 'NAME', lines: () => ['lowercase DNS label [a-z][a-z0-9-]'], default: 'basename of the directory' },
    check: (raw, flag) => check.checkName(raw, flag),
    default: ({ answers, cwd }) => defaultName(answers.directory, cwd),
    prompt: { kind: 'text', message: () => 'Service name?', hint: 'image and package name, a DNS label' },
    dependsOn: ['directory'],
    summary: { label: () => 'name' },
  }),
  answer({
    key: 'language',
    flag: '--language',
    example: 'python',
    preset: true,
    help: { arg: 'LANG', lines: (languages) => [values(languages)], default: (languages) => languageOf(languages, undefined).value },
    check: (raw, flag, ctx) => check.checkChoice(raw, flag, ctx.languages.map((language) => language.value)),
    default: (ctx) => languageOf(ctx.languages, undefined).value,
    prompt: { kind: 'select', message: () => 'Language?', hint: 'decides the build, the gates and the runtime image', choices: (ctx) => ctx.languages },
    summary: { label: () => 'language' },
    schema: (languages) => ({ enum: languages.map((language) => language.value) }),
  }),
  answer({
    key: 'manager',
    flag: '--manager',
    example: 'poetry',
    preset: true,
    help: {
      arg: 'M',
      lines: (languages) => [
        languages.map((language, index) => `${index === 0 ? '' : `${language.value}: `}${values(language.managers)}`).join('; '),
        "(the language's first)",
      ],
    },
    check: (raw, flag, ctx) => check.checkChoice(raw, flag, chosen(ctx).managers.map((manager) => manager.value)),
    // The contract: the language's first manager.
    default: (ctx) => chosen(ctx).managers[0]!.value,
    prompt: { kind: 'select', message: () => 'Dependency manager?', hint: 'it locks every dependency with hashes', choices: (ctx) => chosen(ctx).managers },
    dependsOn: ['language'],
    summary: { label: () => 'manager' },
    schema: (languages) => ({ enum: union(languages, (language) => language.managers) }),
  }),
  answer({
    key: 'runtimeVersion',
    flag: '--runtime-version',
    // The contract's name for Python's version; other languages use --runtime-version.
    alias: { flag: '--python', arg: 'X.Y', language: 'python' },
    presetAliases: ['python'],
    example: '3.13',
    preset: true,
    help: {
      arg: 'V',
      lines: (languages) => [
        "the language's runtime version; builder and runtime carry the same one",
        ...languages.map((language) => `${language.label}: ${values(language.runtimeVersions)}  (${language.runtimeVersions[0]?.value})`),
      ],
    },
    check: (raw, flag, ctx) => {
      const language = chosen(ctx);
      if (flag === '--python' && language.value !== 'python') {
        const example = language.runtimeVersions[0]?.value ?? '';
        throw new check.UsageError(`--python: applies to --language python only; ${language.label} takes --runtime-version. Example: --runtime-version ${example}`, '--python');
      }
      return check.checkRuntimeVersion(raw, flag, language.runtimeVersions.map((version) => version.value));
    },
    default: (ctx) => chosen(ctx).runtimeVersions[0]!.value,
    prompt: {
      kind: 'select',
      message: (ctx) => `${chosen(ctx).label} version?`,
      hint: 'builder and runtime images carry the same one',
      choices: (ctx) => chosen(ctx).runtimeVersions,
    },
    dependsOn: ['language'],
    // Reads as the language's: `python 3.13`, `go 1.26`.
    summary: { label: (answers) => answers.language ?? 'version' },
    schema: (languages) => ({ enum: union(languages, (language) => language.runtimeVersions) }),
  }),
  answer({
    key: 'registry',
    flag: '--registry',
    example: 'registry.example.com/base',
    preset: true,
    help: { arg: 'REF', lines: () => ['host[:port][/path] for base images; none = public images'], default: 'none' },
    check: (raw, flag) => check.checkRegistry(raw, flag),
    default: () => null,
    prompt: {
      kind: 'text',
      message: () => 'Internal registry for base images?',
      hint: 'host[:port][/path]; empty = public images',
      placeholder: () => 'registry.example.com/base',
      empty: 'none',
    },
    summary: { label: () => 'registry' },
    schema: () => ({ anyOf: [{ type: 'string', pattern: schema.REGISTRY, maxLength: 255 }, { const: 'none' }, { type: 'null' }], examples: ['registry.example.com/base', 'localhost:5000/base'] }),
  }),
  imageOverride('builder', 'registry.example.com/base/python:3.13-slim-trixie'),
  imageOverride('runtime', 'registry.example.com/base/distroless/python3-debian13:nonroot'),
  answer({
    key: 'syntax',
    flag: '--syntax',
    example: 'registry.example.com/base/docker/dockerfile:1',
    preset: true,
    help: {
      arg: 'IMAGE',
      lines: () => ["Dockerfile frontend on the # syntax= line; none = no line (the builder's", 'built-in frontend)'],
      default: `${DOCKERFILE_SYNTAX}; REGISTRY/${DOCKERFILE_SYNTAX}\nwith --registry; pinned to a digest when the registry answers`,
    },
    check: (raw, flag) => check.checkSyntax(raw, flag),
    // The frontend mirrored beside the base images: BuildKit fetches it before anything else (D1).
    default: ({ answers }) => (answers.registry ? `${answers.registry}/${DOCKERFILE_SYNTAX}` : DOCKERFILE_SYNTAX),
    prompt: { kind: 'none' },
    dependsOn: ['registry'],
    summary: { label: () => 'syntax' },
    schema: () => ({ anyOf: [{ type: 'string', pattern: schema.IMAGE, maxLength: schema.IMAGE_MAX }, { const: 'none' }, { type: 'null' }], examples: ['registry.example.com/base/docker/dockerfile:1', DOCKERFILE_SYNTAX] }),
  }),
  answer({
    key: 'certBundle',
    flag: '--cert-bundle',
    example: 'registry.example.com/base/ca-bundle:20220405',
    preset: true,
    help: { arg: 'REF', lines: () => ['CA bundle image, e.g. registry.example.com/base/ca-bundle:20220405; none'], default: 'none' },
    check: (raw, flag) => check.checkCertBundle(raw, flag),
    default: () => null,
    prompt: {
      kind: 'text',
      message: () => 'CA certificate bundle image?',
      hint: 'for a TLS-intercepting proxy or internal CAs; empty = none',
      placeholder: () => 'registry.example.com/base/ca-bundle:20220405',
      empty: 'none',
    },
    summary: { label: () => 'cert bundle' },
    schema: () => ({ anyOf: [{ type: 'string', pattern: schema.IMAGE, maxLength: schema.IMAGE_MAX }, { const: 'none' }, { type: 'null' }], examples: ['registry.example.com/base/ca-bundle:20220405'] }),
  }),
  answer({
    key: 'certPath',
    flag: '--cert-path',
    example: '/certs/',
    preset: true,
    help: { arg: 'DIR', lines: () => ['directory of .crt files inside that image'], default: '/certs/' },
    check: (raw, flag) => check.checkCertPath(raw, flag),
    default: () => '/certs/',
    prompt: { kind: 'text', message: () => 'Directory of the .crt files inside that image?', hint: 'absolute path' },
    when: (answers) => (answers.certBundle ?? null) !== null,
    dependsOn: ['certBundle'],
    summary: { label: () => 'cert path', hidden: (answers) => answers.certBundle === null },
    schema: () => ({ type: 'string', maxLength: 200, pattern: schema.CERT_PATH, examples: ['/certs/'] }),
  }),
  answer({
    key: 'indexUrl',
    flag: '--index-url',
    example: 'https://nexus.example.com/pypi/simple',
    preset: true,
    help: { arg: 'URL', lines: () => ['package mirror (PyPI index, GOPROXY, npm registry, Maven mirror),', 'https, no credentials'], default: 'public' },
    check: (raw, flag, ctx) => check.checkIndexUrl(raw, flag, chosen(ctx).mirror.example),
    default: () => null,
    prompt: {
      kind: 'text',
      message: (ctx) => `${chosen(ctx).mirror.label}?`,
      hint: 'https URL, no credentials (they go in a build secret); empty = public',
      placeholder: (ctx) => chosen(ctx).mirror.example,
      empty: 'none',
    },
    dependsOn: ['language'],
    summary: { label: () => 'index URL' },
    schema: (languages) => ({ anyOf: [{ type: 'string', pattern: schema.INDEX_URL }, { enum: ['none', 'public'] }, { type: 'null' }], examples: [languages[0]?.mirror.example] }),
  }),
  answer({
    key: 'gates',
    flag: '--gates',
    example: 'typecheck,format,test',
    preset: true,
    help: { arg: 'LIST', lines: () => [`comma list of ${GATES.join(',')}; each language`, 'offers its own subset'], default: 'all it offers' },
    check: (raw, flag, ctx) => {
      const language = chosen(ctx);
      return check.checkGates(raw, flag, language.gates.map((gate) => gate.value), language.label);
    },
    default: (ctx) => chosen(ctx).gates.map((gate) => gate.value),
    prompt: {
      kind: 'multiselect',
      message: () => 'Quality gates the build must pass?',
      hint: 'space to toggle; they run before an image can exist',
      choices: (ctx) => chosen(ctx).gates,
    },
    dependsOn: ['language'],
    summary: { label: () => 'gates' },
    schema: () => ({
      anyOf: [
        { type: 'array', items: { enum: [...GATES] }, minItems: 1, uniqueItems: true },
        { type: 'string', pattern: schema.gateList(GATES) },
      ],
      examples: [['typecheck', 'format', 'test']],
    }),
  }),
  answer({
    key: 'ci',
    flag: '--ci',
    example: 'gitlab',
    preset: true,
    help: { arg: 'KIND', lines: () => [CI_KINDS.join(', ')], default: 'github' },
    check: (raw, flag) => check.checkCi(raw, flag),
    default: () => 'github',
    prompt: { kind: 'select', message: () => 'CI pipeline?', hint: 'tests on every push, image on tags', choices: () => CI_CHOICES },
    summary: { label: () => 'ci' },
    schema: () => ({ enum: [...CI_KINDS] }),
  }),
  answer({
    key: 'maintainer',
    flag: '--maintainer',
    example: '"Team Foo <foo@example.com>"',
    preset: true,
    help: { arg: 'TEXT', lines: () => ['maintainer label, e.g. "Team Foo <foo@example.com>"'] },
    check: (raw, flag) => check.checkMaintainer(raw, flag),
    default: () => null,
    prompt: {
      kind: 'text',
      message: () => 'Maintainer label?',
      hint: 'who to contact about the image; empty = none',
      placeholder: () => 'Team Foo <foo@example.com>',
      empty: 'none',
    },
    summary: { label: () => 'maintainer' },
    schema: () => ({ anyOf: [{ type: 'string', pattern: schema.MAINTAINER }, { enum: ['', 'none'] }, { type: 'null' }], examples: ['Team Foo <foo@example.com>'] }),
  }),
  onOff('devcontainer', '--devcontainer', '.devcontainer/devcontainer.json', 'the builder stage to develop in', 'dev container'),
  onOff('preCommit', '--pre-commit', '.pre-commit-config.yaml', 'format and lint gates as git hooks', 'pre-commit'),
] as const;

/** Any entry of the table. */
export type AnyAnswer = (typeof ANSWERS)[number];

/** The order answers are resolved and prompted in (later ones may depend on earlier ones). */
export const ANSWER_ORDER: readonly AnswerKey[] = ANSWERS.map((spec) => spec.key);

const BY_KEY = new Map<AnswerKey, AnyAnswer>(ANSWERS.map((spec) => [spec.key, spec]));

/** The table's entry for a key. */
export function answerSpec<K extends AnswerKey>(key: K): Answer<K> {
  return BY_KEY.get(key) as unknown as Answer<K>;
}

/** Answers later in the table that read `key`, directly or through another one. */
export function dependentsOf(key: AnswerKey): AnswerKey[] {
  const found = new Set<AnswerKey>([key]);
  for (const spec of ANSWERS) if (spec.dependsOn?.some((earlier) => found.has(earlier))) found.add(spec.key);
  found.delete(key);
  return [...found];
}
