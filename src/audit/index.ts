/**
 * The Dockerfile audit: rules D1-D16 over a Dockerfile (and its .dockerignore). The tests run it
 * on every generated template; `create-hardened-service audit [dir]` runs it on a team's repo.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDockerfile, type Dockerfile } from './dockerfile.ts';
import { runCommands } from './commands.ts';
import { RULES, type RuleContext } from './rules.ts';
import { RULE_IDS, type AuditContext, type Finding, type Severity } from './types.ts';

export type { AuditContext, Finding, RuleId, Severity } from './types.ts';
export { parseDockerfile } from './dockerfile.ts';

/** Language of a Dockerfile from its commands and base images, when the caller does not say. */
export function inferLanguage(dockerfile: Dockerfile): string {
  const tools = new Set(dockerfile.instructions.flatMap((i) => runCommands(i).map((c) => c.tool)));
  const bases = dockerfile.stages.map((s) => s.base.toLowerCase()).join(' ');
  if (['pip', 'pip3', 'pipenv', 'poetry', 'uv', 'pytest', 'python', 'python3'].some((t) => tools.has(t)) || bases.includes('python')) return 'python';
  if (['npm', 'yarn', 'pnpm', 'node'].some((t) => tools.has(t)) || /\bnode\b|nodejs/.test(bases)) return 'node';
  if (tools.has('go') || /golang/.test(bases)) return 'go';
  if (['mvn', 'mvnw', 'gradle', 'gradlew', 'java'].some((t) => tools.has(t)) || /maven|gradle|temurin|openjdk/.test(bases)) return 'java';
  return 'unknown';
}

const BY_LINE = (a: Finding, b: Finding) => (a.line ?? 0) - (b.line ?? 0) || RULE_IDS.indexOf(a.rule) - RULE_IDS.indexOf(b.rule);

/** Check Dockerfile text against D1-D16. Findings come sorted by line (whole-file ones first). */
export function auditDockerfile(text: string, context: AuditContext = {}): Finding[] {
  const dockerfile = parseDockerfile(text);
  const resolved: RuleContext = { ...context, language: context.language ?? inferLanguage(dockerfile), manager: context.manager ?? null };
  return RULE_IDS.flatMap((id) => RULES[id](dockerfile, resolved)).sort(BY_LINE);
}

export interface ProjectAudit {
  /** The Dockerfile audited (path as given). */
  file: string;
  findings: Finding[];
}

/** Context from a generated project's `.hardened-service.json`, when there is one. */
export function contextFromRecord(text: string): AuditContext {
  let record: { answers?: Record<string, unknown>; images?: { runtime?: string } };
  try {
    record = JSON.parse(text) as typeof record;
  } catch (error) {
    throw new Error(`.hardened-service.json is not valid JSON (${(error as Error).message}): fix or remove it`);
  }
  const answers = record.answers ?? {};
  const context: AuditContext = { certBundle: typeof answers.certBundle === 'string' };
  if (typeof answers.language === 'string') context.language = answers.language;
  if (typeof answers.manager === 'string') context.manager = answers.manager;
  if (Array.isArray(answers.gates)) context.gates = answers.gates.filter((g): g is string => typeof g === 'string');
  if (typeof record.images?.runtime === 'string') context.runtimeAllowed = [record.images.runtime];
  return context;
}

/**
 * Audit `dir/Dockerfile` with `dir/.dockerignore` (missing = a D15 error) and, for a generated
 * project, the answers in `.hardened-service.json`. Throws when there is no Dockerfile.
 */
export function auditProject(dir: string, options: { dockerfile?: string; context?: AuditContext } = {}): ProjectAudit {
  const file = join(dir, options.dockerfile ?? 'Dockerfile');
  if (!existsSync(file)) throw new Error(`no Dockerfile at ${file}: pass the directory that holds it`);
  const ignoreFile = join(dir, '.dockerignore');
  const recordFile = join(dir, '.hardened-service.json');
  const fromRecord = existsSync(recordFile) ? contextFromRecord(readFileSync(recordFile, 'utf8')) : {};
  const context: AuditContext = {
    ...fromRecord,
    ...options.context,
    dockerignore: existsSync(ignoreFile) ? readFileSync(ignoreFile, 'utf8') : null,
  };
  return { file, findings: auditDockerfile(readFileSync(file, 'utf8'), context) };
}

export interface Summary {
  errors: number;
  warnings: number;
}

export function summary(findings: readonly Finding[]): Summary {
  return {
    errors: findings.filter((f) => f.severity === 'error').length,
    warnings: findings.filter((f) => f.severity === 'warning').length,
  };
}

/** Exit code of the audit command: 1 when any error, else 0 (warnings do not fail). */
export function exitCode(findings: readonly Finding[]): 0 | 1 {
  return summary(findings).errors > 0 ? 1 : 0;
}

const PAINT: Record<Severity | 'dim', [string, string]> = {
  error: ['\u001b[31m', '\u001b[39m'],
  warning: ['\u001b[33m', '\u001b[39m'],
  dim: ['\u001b[2m', '\u001b[22m'],
};

/**
 * One line per finding, aligned: `Dockerfile:12  D8   error    message`, then a count line.
 * `color` adds ANSI colours (the caller decides from the stream's TTY-ness and NO_COLOR).
 */
export function formatFindings(findings: readonly Finding[], options: { color?: boolean; file?: string } = {}): string {
  const file = options.file ?? 'Dockerfile';
  const paint = (kind: Severity | 'dim', text: string) => (options.color ? `${PAINT[kind][0]}${text}${PAINT[kind][1]}` : text);
  const rows = findings.map((f) => ({ where: f.line === undefined ? file : `${file}:${f.line}`, f }));
  const width = Math.max(0, ...rows.map((r) => r.where.length));
  const lines = rows.map(({ where, f }) => `${paint('dim', where.padEnd(width))}  ${f.rule.padEnd(3)}  ${paint(f.severity, f.severity.padEnd(7))}  ${f.message}`);
  const { errors, warnings } = summary(findings);
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  lines.push(findings.length === 0 ? `${file}: no findings (D1-D16)` : `${plural(errors, 'error')}, ${plural(warnings, 'warning')}`);
  return `${lines.join('\n')}\n`;
}
