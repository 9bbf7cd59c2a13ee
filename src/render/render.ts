import { languageById } from '../languages/index.ts';
import type { Files } from '../kit/files.ts';
import { ANSWER_ORDER, type Options } from '../options/types.ts';
import { CI_PINS, DOCKERFILE_SYNTAX } from '../versions.ts';
import { renderTemplate } from '../kit/templates.ts';

export const RECORD_FILE = '.hardened-service.json';

/** The pipeline: the gates on every push, the image on tags; the same for every language. */
const CI_FILES: Record<Exclude<Options['ci'], 'none'>, [string, string]> = {
  github: ['.github/workflows/ci.yml', 'shared/ci/github.yml.ejs'],
  gitlab: ['.gitlab-ci.yml', 'shared/ci/gitlab.yml.ejs'],
};

/** What `.hardened-service.json` records: the generator version, the preset's source, every answer, the language's pins. */
export function projectRecord(options: Options): string {
  const { images, generatorVersion } = options;
  const tools = languageById(options.language)?.tools ?? Object.keys(options.versions);
  const versions = Object.fromEntries(tools.map((tool) => [tool, options.versions[tool]]));
  // Keys in answer order, whatever order flags, preset and prompts gave them in.
  const answers = Object.fromEntries(ANSWER_ORDER.filter((key) => key !== 'directory').map((key) => [key, options[key]]));
  const preset = options.preset ? { preset: options.preset } : {};
  const record = { generator: 'create-hardened-service', version: generatorVersion, ...preset, answers, images, versions };
  return `${JSON.stringify(record, null, 2)}\n`;
}

/**
 * D1: the Dockerfile's first line names its frontend, which BuildKit fetches before anything else;
 * none (null) writes no line, leaving the builder's built-in frontend.
 */
export function syntaxLine(syntax: string | null): string {
  return syntax ? `# syntax=${syntax}\n` : '';
}

/** The README's section on that line and on mirroring the frontend image, for every language. */
function frontendSection({ syntax, registry, ci }: Pick<Options, 'syntax' | 'registry' | 'ci'>): string {
  const mirror = `${registry ?? 'REGISTRY'}/${DOCKERFILE_SYNTAX}`;
  return renderTemplate('shared/readme/frontend.md.ejs', { syntax, registry, ci, pins: CI_PINS, upstream: DOCKERFILE_SYNTAX, mirror });
}

/** Pure: options -> every file of the project (path -> content). */
export function renderProject(options: Options): Files {
  const language = languageById(options.language);
  if (!language) throw new Error(`unknown language ${options.language}`);
  const files = language.render(options);
  const dockerfile = files.get('Dockerfile');
  if (dockerfile !== undefined) files.set('Dockerfile', syntaxLine(options.syntax) + dockerfile);
  const readme = files.get('README.md');
  if (readme !== undefined) files.set('README.md', readme + frontendSection(options));
  if (options.ci !== 'none') {
    const [path, template] = CI_FILES[options.ci];
    const data = { name: options.name, indexUrl: options.indexUrl, registry: options.registry, secret: language.buildSecret, pins: CI_PINS };
    files.set(path, renderTemplate(template, data));
  }
  files.set(RECORD_FILE, projectRecord(options));
  return files;
}
