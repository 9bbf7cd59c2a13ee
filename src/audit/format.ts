/**
 * Output of the audit: aligned text for people, one JSON object for scripts, SARIF 2.1.0 for code
 * scanning. Every piece of text that came from a file (an image name, a command, a path) is
 * escaped before it reaches a terminal, so a Dockerfile cannot send control sequences.
 */
import { CATALOGUE, ruleById } from './rules/index.ts';
import type { Finding, Profile, Severity, Suppressed } from './types.ts';

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

/** Exit code for findings: 1 when any error (or any warning with `strict`), else 0. */
export function exitCode(findings: readonly Finding[], strict = false): 0 | 1 {
  const { errors, warnings } = summary(findings);
  return errors > 0 || (strict && warnings > 0) ? 1 : 0;
}

/**
 * Control characters (C0, DEL, C1), line and paragraph separators and bidirectional overrides
 * written as `\u001b`-style escapes: what a terminal would act on, never shown raw.
 */
export function escapeText(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const PAINT: Record<Severity | 'dim', [string, string]> = {
  error: ['\u001b[31m', '\u001b[39m'],
  warning: ['\u001b[33m', '\u001b[39m'],
  dim: ['\u001b[2m', '\u001b[22m'],
};

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export interface TextOptions {
  color?: boolean;
  /** The file name shown before each line (default `Dockerfile`). */
  file?: string;
  profile?: Profile;
  suppressed?: readonly Suppressed[];
  /** Leave out the closing count line (several files: one total at the end). */
  noTotal?: boolean;
}

/**
 * One line per finding, aligned: `Dockerfile:12  D8   error    message`, then a count line.
 * `color` adds ANSI colours (the caller decides from the stream's TTY-ness and NO_COLOR).
 */
export function formatFindings(findings: readonly Finding[], options: TextOptions = {}): string {
  const file = escapeText(options.file ?? 'Dockerfile');
  const paint = (kind: Severity | 'dim', text: string) => (options.color ? `${PAINT[kind][0]}${text}${PAINT[kind][1]}` : text);
  const suppressed = options.suppressed ?? [];
  const where = (f: Finding) => (f.line === undefined ? file : `${file}:${f.line}`);
  const width = Math.max(0, ...[...findings, ...suppressed].map((f) => where(f).length));
  const idWidth = Math.max(3, ...[...findings, ...suppressed].map((f) => f.rule.length));
  const lines = findings.map((f) => `${paint('dim', where(f).padEnd(width))}  ${f.rule.padEnd(idWidth)}  ${paint(f.severity, f.severity.padEnd(7))}  ${escapeText(f.message)}`);
  for (const s of suppressed) lines.push(paint('dim', `${where(s).padEnd(width)}  ${s.rule.padEnd(idWidth)}  ignored  ${escapeText(s.reason)} (was: ${escapeText(s.message)})`));
  if (!options.noTotal) {
    const { errors, warnings } = summary(findings);
    const scope = (options.profile ?? 'generated') === 'generated' ? 'D1-D16' : 'baseline';
    const ignored = suppressed.length ? `, ${suppressed.length} ignored` : '';
    lines.push(findings.length === 0 ? `${file}: no findings (${scope})${ignored}` : `${plural(errors, 'error')}, ${plural(warnings, 'warning')}${ignored}`);
  }
  return `${lines.join('\n')}\n`;
}

/** One audited file, as the renderers below take it. */
export interface Audited {
  /** The path to show (relative to where the user ran the command, forward slashes). */
  path: string;
  profile: Profile;
  findings: readonly Finding[];
  suppressed: readonly Suppressed[];
}

/** Several files as text: each file's lines, then one total. */
export function renderText(audits: readonly Audited[], options: { color?: boolean } = {}): string {
  let out = '';
  for (const audit of audits) {
    out += formatFindings(audit.findings, { color: options.color, file: audit.path, profile: audit.profile, suppressed: audit.suppressed, noTotal: audits.length > 1 && audit.findings.length + audit.suppressed.length > 0 });
  }
  if (audits.length > 1) {
    const all = audits.flatMap((a) => a.findings);
    const { errors, warnings } = summary(all);
    const ignored = audits.reduce((n, a) => n + a.suppressed.length, 0);
    out += `${plural(audits.length, 'file')}: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}${ignored ? `, ${ignored} ignored` : ''}\n`;
  }
  return out;
}

const item = (path: string, f: Finding) => ({ rule: f.rule, severity: f.severity, path, line: f.line ?? null, message: f.message, title: ruleById(f.rule)?.title ?? '' });

/** A PATH that could not be audited (exit 2), and why. */
export interface InputError {
  path: string;
  message: string;
}

/** One JSON object: `findings` (rule, severity, path, line, message, title), `suppressed`, `files`, `errors`, `summary`. */
export function renderJson(audits: readonly Audited[], tool: { name: string; version: string }, errors: readonly InputError[] = []): string {
  const findings = audits.flatMap((a) => a.findings.map((f) => item(a.path, f)));
  const suppressed = audits.flatMap((a) => a.suppressed.map((s) => ({ ...item(a.path, s), reason: s.reason })));
  const counts = summary(audits.flatMap((a) => a.findings));
  const document = {
    tool,
    files: audits.map((a) => ({ path: a.path, profile: a.profile })),
    findings,
    suppressed,
    errors,
    summary: { files: audits.length, errors: counts.errors, warnings: counts.warnings, suppressed: suppressed.length, unreadable: errors.length },
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

const LEVEL: Record<Severity, 'error' | 'warning'> = { error: 'error', warning: 'warning' };

/**
 * SARIF 2.1.0 as GitHub code scanning reads it: the rules (with help text) that belong to the
 * profiles used, results with a file and line (whole-file findings point at line 1), and inline
 * ignores as `suppressions` with their reason.
 */
export function renderSarif(audits: readonly Audited[], tool: { name: string; version: string }, errors: readonly InputError[] = []): string {
  const profiles = new Set(audits.map((a) => a.profile));
  const rules = CATALOGUE.filter((r) => r.profiles.some((p) => profiles.has(p)));
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const result = (path: string, f: Finding, reason?: string) => ({
    ruleId: f.rule,
    ruleIndex: index.get(f.rule) ?? 0,
    level: LEVEL[f.severity],
    message: { text: f.message },
    locations: [{ physicalLocation: { artifactLocation: { uri: encodeURI(path) }, region: { startLine: f.line ?? 1 } } }],
    ...(reason === undefined ? {} : { suppressions: [{ kind: 'inSource', justification: reason }] }),
  });
  const document = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: tool.name,
            version: tool.version,
            rules: rules.map((r) => ({
              id: r.id,
              name: r.id,
              shortDescription: { text: r.title },
              fullDescription: { text: r.rationale },
              help: { text: `${r.rationale}\n\nFix: ${r.fix}`, markdown: `${r.rationale}\n\n**Fix:** ${r.fix}` },
              defaultConfiguration: { level: LEVEL[r.severity] },
              properties: { tags: [...r.profiles], precision: 'high' },
            })),
          },
        },
        results: audits.flatMap((a) => [...a.findings.map((f) => result(a.path, f)), ...a.suppressed.map((s) => result(a.path, s, s.reason))]),
        // Paths that could not be read are the run's own failures, not findings.
        invocations: [
          {
            executionSuccessful: errors.length === 0,
            toolExecutionNotifications: errors.map((e) => ({ level: 'error', message: { text: `${e.path} ${e.message}` }, locations: [{ physicalLocation: { artifactLocation: { uri: encodeURI(e.path) } } }] })),
          },
        ],
      },
    ],
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
