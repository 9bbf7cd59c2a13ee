/**
 * The Dockerfile audit: the rule catalogue (src/audit/rules/) over a Dockerfile and its
 * .dockerignore, under a profile. The tests run it on every generated template;
 * `create-hardened-service audit PATH...` runs it on a team's repositories.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readTextFile, UnreadableFile } from '../fs/read-text.ts';
import { allInstructions, isWindows } from './analysis.ts';
import { runCommands } from './commands.ts';
import { parseDockerfile, type Dockerfile } from './dockerfile.ts';
import type { RuleContext } from './rule.ts';
import { CATALOGUE, RULE_ORDER } from './rules/index.ts';
import type { AuditContext, Finding, Profile, Suppressed } from './types.ts';

export type { AuditContext, Finding, Profile, RuleId, Severity, Suppressed } from './types.ts';
export { PROFILES, RULE_IDS } from './types.ts';
export { parseDockerfile } from './dockerfile.ts';
export { CATALOGUE, ruleById } from './rules/index.ts';
export { formatFindings, summary, exitCode } from './format.ts';

/** Largest Dockerfile, .dockerignore or project record read (a bound, not a size anyone writes). */
export const MAX_INPUT_BYTES = 16 * 1024 * 1024;

/** Language of a Dockerfile from its commands and base images, when the caller does not say. */
export function inferLanguage(dockerfile: Dockerfile): string {
  const tools = new Set<string>();
  for (const instruction of allInstructions(dockerfile)) for (const c of runCommands(instruction)) tools.add(c.tool);
  const bases = dockerfile.stages.map((s) => s.base.toLowerCase()).join(' ');
  if (['pip', 'pip3', 'pipenv', 'poetry', 'uv', 'pytest', 'python', 'python3'].some((t) => tools.has(t)) || bases.includes('python')) return 'python';
  if (['npm', 'yarn', 'pnpm', 'node'].some((t) => tools.has(t)) || /\bnode\b|nodejs/.test(bases)) return 'node';
  if (tools.has('go') || /golang/.test(bases)) return 'go';
  if (['mvn', 'mvnw', 'gradle', 'gradlew', 'java'].some((t) => tools.has(t)) || /maven|gradle|temurin|openjdk|eclipse-temurin|java/.test(bases)) return 'java';
  return 'unknown';
}

export interface LintOptions extends AuditContext {
  /** Rule ids not to run (`--ignore`). */
  ignore?: readonly string[];
}

export interface LintResult {
  profile: Profile;
  findings: Finding[];
  /** Findings an `# audit-ignore ID: reason` comment silenced, with the reason. */
  suppressed: Suppressed[];
}

/** `# audit-ignore D5, B301: the reason` (the reason is kept in the output). */
const INLINE_IGNORE = /^audit-ignore\s+([A-Za-z]\d+(?:\s*,\s*[A-Za-z]\d+)*)\s*(?::\s*(.*))?$/;

interface InlineIgnore {
  rules: Set<string>;
  reason: string;
  from: number;
  to: number;
}

/** Each inline ignore comment applies to the instruction right after it (comments may stand between). */
function inlineIgnores(d: Dockerfile): InlineIgnore[] {
  const ignores: InlineIgnore[] = [];
  let next = 0;
  for (const comment of d.comments) {
    const match = INLINE_IGNORE.exec(comment.text);
    if (!match) continue;
    while (next < d.instructions.length && d.instructions[next]!.line <= comment.line) next++;
    const instruction = d.instructions[next];
    if (!instruction) continue;
    const rules = new Set(match[1]!.split(',').map((id) => id.trim().toUpperCase()));
    ignores.push({ rules, reason: match[2]?.trim() || 'no reason given', from: instruction.line, to: instruction.endLine });
  }
  return ignores;
}

const byLine = (a: Finding, b: Finding) => (a.line ?? 0) - (b.line ?? 0) || (RULE_ORDER.get(a.rule) ?? 0) - (RULE_ORDER.get(b.rule) ?? 0);

/** Check Dockerfile text under a profile. Findings come sorted by line (whole-file ones first). */
export function lint(text: string | Dockerfile, options: LintOptions = {}): LintResult {
  const dockerfile = typeof text === 'string' ? parseDockerfile(text) : text;
  const profile = options.profile ?? 'generated';
  const context: RuleContext = {
    ...options,
    profile,
    language: options.language ?? inferLanguage(dockerfile),
    manager: options.manager ?? null,
    windows: isWindows(dockerfile),
  };
  const skipped = new Set((options.ignore ?? []).map((id) => id.toUpperCase()));
  const all = CATALOGUE.filter((rule) => rule.profiles.includes(profile) && !skipped.has(rule.id)).flatMap((rule) => rule.check(dockerfile, context));
  const ignores = inlineIgnores(dockerfile);
  const findings: Finding[] = [];
  const suppressed: Suppressed[] = [];
  for (const f of all) {
    const ignore = f.line === undefined ? undefined : ignores.find((i) => i.rules.has(f.rule) && f.line! >= i.from && f.line! <= i.to);
    if (ignore) suppressed.push({ ...f, reason: ignore.reason });
    else findings.push(f);
  }
  return { profile, findings: findings.sort(byLine), suppressed: suppressed.sort(byLine) };
}

/** The findings of `lint` alone, under the `generated` profile unless the context names another. */
export function auditDockerfile(text: string, context: LintOptions = {}): Finding[] {
  return lint(text, context).findings;
}

/** A file the audit cannot take (not there, not a regular file, not text, not a Dockerfile): exit 2. */
export class AuditInputError extends UnreadableFile {
  override name = 'AuditInputError';
}

/** Context from a generated project's `.hardened-service.json`; throws naming the file when it is unusable. */
export function contextFromRecord(text: string, file = '.hardened-service.json'): AuditContext {
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch (error) {
    throw new AuditInputError(file, `is not valid JSON (${(error as Error).message}): fix or remove it`);
  }
  const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
  if (!isObject(record)) throw new AuditInputError(file, `is not a JSON object (it holds ${record === null ? 'null' : Array.isArray(record) ? 'an array' : typeof record}): fix or remove it`);
  const answers = isObject(record.answers) ? record.answers : {};
  const images = isObject(record.images) ? record.images : {};
  const context: AuditContext = { certBundle: typeof answers.certBundle === 'string' };
  if (typeof answers.language === 'string') context.language = answers.language;
  if (typeof answers.manager === 'string') context.manager = answers.manager;
  if (Array.isArray(answers.gates)) context.gates = answers.gates.filter((g): g is string => typeof g === 'string');
  if (typeof images.runtime === 'string') context.runtimeAllowed = [images.runtime];
  // issue 10: `syntax` names the frontend image, or `none`/null for deliberately no line.
  if (answers.syntax === null || answers.syntax === 'none') context.syntax = null;
  else if (typeof answers.syntax === 'string') context.syntax = answers.syntax;
  return context;
}

function readInput(path: string): string {
  try {
    return readTextFile(path, { maxBytes: MAX_INPUT_BYTES });
  } catch (error) {
    const { reason } = error as { reason?: string };
    throw new AuditInputError(path, reason ?? `cannot be read (${(error as Error).message})`);
  }
}

export interface FileAudit extends LintResult {
  /** The Dockerfile audited (path as given or found). */
  file: string;
  /** The `.dockerignore` read, or null when there is none. */
  dockerignore: string | null;
  /** The project record that chose the profile and context, or null. */
  record: string | null;
}

/**
 * Audit one PATH: a directory means its `Dockerfile` (or `Containerfile`); a file may have any name. Beside it:
 * `<file>.dockerignore` or `.dockerignore` (BuildKit reads the first when it exists), and
 * `.hardened-service.json`, whose presence chooses the `generated` profile unless one is given.
 * Throws AuditInputError for anything that is not a readable text Dockerfile.
 */
export function auditPath(path: string, options: LintOptions = {}): FileAudit {
  // A directory: its Dockerfile, or the Containerfile Podman and buildah also look for.
  const file = isDirectory(path) ? [join(path, 'Dockerfile'), join(path, 'Containerfile')].find((f) => existsSync(f)) ?? join(path, 'Dockerfile') : path;
  const text = readInput(file);
  const dockerfile = parseDockerfile(text);
  if (dockerfile.instructions.length === 0) {
    throw new AuditInputError(file, text.trim() === '' ? 'is empty: not a Dockerfile' : 'has no instructions (only comments or blank lines): not a Dockerfile');
  }
  const dir = dirname(file);
  const ownIgnore = `${file}.dockerignore`;
  const ignoreFile = existsSync(ownIgnore) ? ownIgnore : join(dir, '.dockerignore');
  const recordFile = join(dir, '.hardened-service.json');
  const record = existsSync(recordFile) ? recordFile : null;
  const fromRecord = record ? contextFromRecord(readInput(record), record) : {};
  const dockerignore = existsSync(ignoreFile) ? readInput(ignoreFile) : null;
  const profile = options.profile ?? (record ? 'generated' : 'baseline');
  const result = lint(dockerfile, { ...fromRecord, ...options, profile, dockerignore });
  return { file, dockerignore: dockerignore === null ? null : ignoreFile, record, ...result };
}

/** Only a directory is looked into; anything else is read (and refused there if need be). */
function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export interface ProjectAudit {
  /** The Dockerfile audited (path as given). */
  file: string;
  findings: Finding[];
}

/**
 * Audit `dir/Dockerfile` with `dir/.dockerignore` (missing = a D15 error) under the `generated`
 * profile and, for a generated project, the answers in `.hardened-service.json`.
 */
export function auditProject(dir: string, options: { dockerfile?: string; context?: AuditContext } = {}): ProjectAudit {
  const file = join(dir, options.dockerfile ?? 'Dockerfile');
  if (!existsSync(file)) throw new Error(`no Dockerfile at ${file}: pass the directory that holds it`);
  return { file, findings: auditPath(file, { profile: 'generated', ...options.context }).findings };
}
