import { languageById } from '../languages/index.ts';
import type { Files } from '../kit/files.ts';
import { ANSWER_ORDER, type Options } from '../options/types.ts';
import { CI_PINS, DOCKERFILE_SYNTAX } from '../versions.ts';
import { DOCKER_HUB, locateImage } from '../registry/reference.ts';
import { renderTemplate } from '../kit/templates.ts';
import { hookGates, ONBOARDING_IGNORED, SERVICE_PORT } from '../kit/onboarding.ts';
import type { LanguageModule } from '../kit/types.ts';

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
function frontendSection({ syntax, registry, ci, certBundle }: Pick<Options, 'syntax' | 'registry' | 'ci' | 'certBundle'>): string {
  const mirror = `${registry ?? 'REGISTRY'}/${DOCKERFILE_SYNTAX}`;
  const login = registry ? registryHost(registry) : null;
  const data = { syntax, registry, ci, pins: CI_PINS, upstream: DOCKERFILE_SYNTAX, mirror, login, caHosts: caHosts({ registry, certBundle }) };
  return renderTemplate('shared/readme/frontend.md.ejs', data);
}

/** The host of a `host[:port][/path]` registry prefix, as the pipeline logs in to it. */
export function registryHost(registry: string): string {
  return registry.split('/')[0]!.toLowerCase();
}

/**
 * The hosts whose TLS certificates the org CA signs, for the pipeline to trust: with a CA bundle, the
 * registry's and the bundle image's (none without one: public registries need no org CA).
 */
export function caHosts({ registry, certBundle }: Pick<Options, 'registry' | 'certBundle'>): string[] {
  if (!certBundle) return [];
  const bundle = locateImage(certBundle);
  const hosts = [registry ? registryHost(registry) : null, 'host' in bundle ? bundle.host : null];
  return [...new Set(hosts.filter((host): host is string => host !== null && host !== DOCKER_HUB.host))];
}

/** The shell lines that write REGISTRY_CA_CERT where the daemon (certs.d) and, with `config`, BuildKit read it. */
export function caScript(hosts: readonly string[], where: { sudo: boolean; config: string | null }): string {
  return renderTemplate('shared/ci/trust-ca.sh.ejs', { hosts, ...where });
}

/** The README's sections on the dev container and the pre-commit hooks, from the files written. */
function onboardingSection(options: Options, language: LanguageModule, files: Files): string {
  const hooks = files.has('.pre-commit-config.yaml') ? language.onboarding.hooks(options.gates, options.versions) : [];
  return renderTemplate('shared/readme/onboarding.md.ejs', {
    devcontainer: files.has('.devcontainer/devcontainer.json'),
    hooks,
    hookGates: hookGates(hooks),
    preCommit: options.preCommit,
    offersHooks: language.gates.some((gate) => gate.value === 'format' || gate.value === 'lint'),
    onboarding: language.onboarding,
    port: SERVICE_PORT,
    secret: language.buildSecret,
    secretFile: language.onboarding.secretFile.home,
    registry: options.registry,
    certBundle: options.certBundle,
  });
}

/** Pure: options -> every file of the project (path -> content). */
export function renderProject(options: Options): Files {
  const language = languageById(options.language);
  if (!language) throw new Error(`unknown language ${options.language}`);
  const files = language.render(options);
  const dockerfile = files.get('Dockerfile');
  if (dockerfile !== undefined) files.set('Dockerfile', syntaxLine(options.syntax) + dockerfile);
  const ignored = Object.keys(ONBOARDING_IGNORED).filter((path) => files.has(path));
  const dockerignore = files.get('.dockerignore');
  if (dockerignore !== undefined && ignored.length) {
    files.set('.dockerignore', `${dockerignore}\n# Dev container and git hooks: no stage reads them\n${ignored.map((path) => `${ONBOARDING_IGNORED[path]}\n`).join('')}`);
  }
  const readme = files.get('README.md');
  if (readme !== undefined) files.set('README.md', readme + onboardingSection(options, language, files) + frontendSection(options));
  if (options.ci !== 'none') {
    const [path, template] = CI_FILES[options.ci];
    const login = options.registry ? registryHost(options.registry) : null;
    const data = { name: options.name, indexUrl: options.indexUrl, registry: options.registry, secret: language.buildSecret, pins: CI_PINS, login, caHosts: caHosts(options), caScript };
    files.set(path, renderTemplate(template, data));
  }
  files.set(RECORD_FILE, projectRecord(options));
  return files;
}
