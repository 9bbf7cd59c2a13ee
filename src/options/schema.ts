// The team preset's JSON schema, generated from the answers table, the languages and the versions
// table (scripts/build.mjs writes it to schema/preset.schema.json; it is not kept by hand).
import { ANSWERS, languageOf, type Languages } from './answers.ts';
import { PRESET_ALIASES, PRESET_KEYS } from './preset.ts';
import { TOOL_VERSION_PATTERN, gateList } from './schema-patterns.ts';

type Json = Record<string, unknown>;

/** An answer's description: its flag(s) and the --help lines, then its default. */
function describe(spec: (typeof ANSWERS)[number], languages: Languages): string {
  const flags = spec.alias ? `${spec.flag} (${spec.alias.flag} for ${languageOf(languages, spec.alias.language).label})` : spec.flag;
  const text = spec.help.lines(languages).join(' ').replace(/\s+/g, ' ');
  const fallback = typeof spec.help.default === 'function' ? spec.help.default(languages) : spec.help.default;
  return `${flags}: ${text}.${fallback ? ` Default: ${fallback.replace(/\s+/g, ' ')}.` : ''}`.replace(/\.\./g, '.');
}

/** One rule per language narrows manager, runtimeVersion and gates; the first language's also holds when a preset names none. */
function languageRules(languages: Languages): Json[] {
  return languages.map((language, index) => {
    const gates = language.gates.map((gate) => gate.value);
    return {
      if: { properties: { defaults: { properties: { language: { const: language.value } }, ...(index === 0 ? {} : { required: ['language'] }) } } },
      then: {
        properties: {
          defaults: {
            properties: {
              manager: { enum: language.managers.map((manager) => manager.value) },
              runtimeVersion: { enum: language.runtimeVersions.map((version) => version.value) },
              gates: { anyOf: [{ type: 'array', items: { enum: gates } }, { type: 'string', pattern: gateList(gates) }] },
            },
          },
        },
      },
    };
  });
}

/** The preset schema (draft 2020-12), closed at every level. */
export function presetSchema(languages: Languages, versions: Readonly<Record<string, string>>): Json {
  const properties: Record<string, Json> = {};
  for (const spec of ANSWERS) {
    if (!spec.preset || !spec.schema) continue;
    properties[spec.key] = { description: describe(spec, languages), ...spec.schema(languages) };
  }
  // Older names, still read: narrowed to the language they were the name for.
  for (const [alias, key] of Object.entries(PRESET_ALIASES)) {
    const spec = ANSWERS.find((entry) => entry.key === key)!;
    const language = languageOf(languages, spec.alias?.language);
    properties[alias] = {
      description: `Older name of ${key} (${language.label} only), still read.`,
      deprecated: true,
      enum: language.runtimeVersions.map((version) => version.value),
    };
  }
  const keys = [...PRESET_KEYS, ...Object.keys(PRESET_ALIASES)];
  const lockNeedsValue = keys.map((key) => ({
    // With "extends" the value may come from a base preset: the merged presets are checked at run time.
    if: { properties: { locked: { contains: { const: key } } }, required: ['locked'], not: { required: ['extends'] } },
    then: { properties: { defaults: { required: [key] } }, required: ['defaults'] },
  }));
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'create-hardened-service team preset',
    description:
      'Answers a team shares: defaults (offered, or used without a TTY), locked answers (never prompted; a contradicting flag is an error) and tool version overrides. Values follow the same rules as the command-line flags.',
    type: 'object',
    additionalProperties: false,
    properties: {
      $schema: { type: 'string', description: 'Path or URL of this schema, for editors.' },
      description: { type: 'string', description: 'Free text: what this preset is for.' },
      extends: {
        description:
          'Presets this one builds on, bases first: a path (relative to this preset), an npm package (@acme/hardened-preset, name@^1) or an https URL (optionally #sha256-<base64>). This preset wins over its bases; a value a base locks cannot be changed.',
        oneOf: [
          { type: 'string', minLength: 1 },
          { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 },
        ],
      },
      defaults: {
        type: 'object',
        description: 'Answer values, by camelCase answer key (the flag names without "--", camelCased). null or "none" means none.',
        additionalProperties: false,
        properties,
      },
      locked: {
        type: 'array',
        description: 'Answer keys that are never prompted and that no flag may contradict; each needs a value in "defaults".',
        items: { enum: keys },
        uniqueItems: true,
      },
      versions: {
        type: 'object',
        description: "Overrides of the pinned tool versions (keys of the generator's version table).",
        additionalProperties: false,
        properties: Object.fromEntries(Object.keys(versions).map((tool) => [tool, { type: 'string', pattern: TOOL_VERSION_PATTERN }])),
      },
    },
    allOf: [...lockNeedsValue, ...languageRules(languages)],
  };
}
