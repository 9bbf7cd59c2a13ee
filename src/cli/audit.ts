/**
 * `create-hardened-service audit [PATH...] [options]`: a Dockerfile linter with its own options,
 * help and exit codes (0 no errors, 1 errors, 2 usage or unreadable input). It never writes files.
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';
import pc from 'picocolors';
import { VERSION } from '../version.ts';
import { parseStrict, type ArgvProblem } from './args.ts';
import type { Io } from './main.ts';

const EXAMPLE = 'create-hardened-service audit services/billing-api deploy/Dockerfile.prod --format sarif';
const FORMATS = ['text', 'json', 'sarif'] as const;

const OPTIONS = {
  format: { type: 'string' },
  profile: { type: 'string' },
  ignore: { type: 'string', multiple: true },
  explain: { type: 'string' },
  strict: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

class AuditUsage extends Error {}

export function auditHelp(): string {
  const h = pc.bold;
  return `${h('create-hardened-service audit')} ${VERSION}
Lint Dockerfiles: the generated contract (D1-D16) or a baseline for any Dockerfile.

${h('Usage')}
  create-hardened-service audit [PATH...] [options]

  PATH                a directory (its Dockerfile or Containerfile) or a Dockerfile of any name;
                      several allowed                                         (.)
                      .dockerignore (or <file>.dockerignore) and .hardened-service.json beside it are read

${h('Options')}
  --profile P         generated (D1-D16: the contract of a generated project) or baseline (any
                      Dockerfile: security, reproducibility, cache hygiene)
                      (generated where .hardened-service.json sits beside the Dockerfile, else baseline)
  --format F          text, json (one object with a findings array) or sarif (SARIF 2.1.0 for code
                      scanning)                                              (text)
  --ignore ID,...     rules not to run, e.g. --ignore B309,D13
  --strict            warnings fail too (exit 1)
  --explain ID        print what a rule checks, why, and how to fix it
  -h, --help          this help

${h('Inline ignores')}
  # audit-ignore B309,B301: the reason     on the line(s) just above an instruction: silences those
                                           rules there; the reason is shown with the finding

${h('Exit codes')}
  0 no errors   1 errors (warnings too with --strict)   2 bad usage, or a PATH that is not a readable
  text Dockerfile (missing, a directory without a Dockerfile, a FIFO, binary, empty)

${h('Example')}
  ${EXAMPLE}
`;
}

/** Rewrite node's parseArgs errors like every usage error: the option, what is wrong, an example. */
function auditUsage({ flag, kind }: ArgvProblem): AuditUsage {
  if (kind === 'unknown') return new AuditUsage(`${flag}: is not an audit option (wizard options such as --name or --yes do not apply here). Example: ${EXAMPLE}. Run audit --help to see its options.`);
  if (kind === 'needs-value') return new AuditUsage(`${flag}: needs a value. Example: ${EXAMPLE}.`);
  return new AuditUsage(`${flag}: takes no value. Example: ${EXAMPLE}.`);
}

/** A value from the command line, quoted with every control character escaped. */
const printable = (text: string) => JSON.stringify(text).replace(/[\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** `create-hardened-service audit …`: returns the exit code; only src/index.ts exits. */
export async function runAudit(argv: readonly string[], io: Io): Promise<number> {
  const err = (text: string) => io.stderr.write(`${text}\n`);
  try {
    return await audit(argv, io);
  } catch (error) {
    if (error instanceof AuditUsage) {
      err(`${pc.red('error')} audit: ${error.message}`);
      return 2;
    }
    const detail = io.env.DEBUG ? ((error as Error)?.stack ?? String(error)) : ((error as Error)?.message ?? String(error));
    err(`${pc.red('error')} audit: unexpected failure: ${detail.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '?')}`);
    return 1;
  }
}

async function audit(argv: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseStrict(argv, OPTIONS, auditUsage);
  if (values.help) {
    io.stdout.write(auditHelp());
    return 0;
  }
  const engine = await import('../audit/index.ts');
  const format = await import('../audit/format.ts');

  if (values.explain !== undefined) {
    const rule = engine.ruleById(values.explain);
    if (!rule) throw new AuditUsage(`--explain: ${printable(values.explain)} is not a rule id (D1-D16, ${engine.CATALOGUE.filter((r) => r.id.startsWith('B')).map((r) => r.id).join(', ')}). Example: audit --explain D8`);
    io.stdout.write(`${pc.bold(`${rule.id}`)} ${rule.title}\n  severity: ${rule.severity}    profiles: ${rule.profiles.join(', ')}\n\n  Why: ${rule.rationale}\n\n  Fix: ${rule.fix}\n${rule.covers?.length ? `\n  Covers: ${rule.covers.join('; ')}\n` : ''}`);
    return 0;
  }

  const outputFormat = values.format ?? 'text';
  if (!(FORMATS as readonly string[]).includes(outputFormat)) throw new AuditUsage(`--format: ${printable(outputFormat)} is not a format (choose text, json or sarif). Example: --format sarif`);
  const profile = values.profile;
  if (profile !== undefined && !(engine.PROFILES as readonly string[]).includes(profile)) {
    throw new AuditUsage(`--profile: ${printable(profile)} is not a profile (choose generated or baseline). Example: --profile baseline`);
  }
  const ignore = (values.ignore ?? []).flatMap((list) => list.split(',')).map((id) => id.trim()).filter(Boolean);
  for (const id of ignore) {
    if (!engine.ruleById(id)) throw new AuditUsage(`--ignore: ${printable(id)} is not a rule id (run audit --help; rules are D1-D16 and B101…). Example: --ignore B309,D13`);
  }

  // Each PATH on its own: an unreadable one is reported (exit 2), the others are still audited.
  const cwd = io.cwd ?? process.cwd();
  const paths = positionals.length ? positionals : ['.'];
  const audits: import('../audit/format.ts').Audited[] = [];
  const inputErrors: import('../audit/format.ts').InputError[] = [];
  for (const path of paths) {
    // Shown as the user wrote it: relative stays relative (to where they ran it), absolute stays absolute.
    const shown = (file: string) => (isAbsolute(path) ? file : relative(cwd, file).split(sep).join('/') || '.');
    try {
      const result = engine.auditPath(resolve(cwd, path), { ignore, ...(profile ? { profile: profile as 'generated' | 'baseline' } : {}) });
      audits.push({ path: shown(result.file), profile: result.profile, findings: result.findings, suppressed: result.suppressed });
    } catch (error) {
      if (!(error instanceof engine.AuditInputError)) throw error;
      inputErrors.push({ path: shown(error.path), message: error.reason });
      io.stderr.write(`${pc.red('error')} audit: ${format.escapeText(shown(error.path))} ${format.escapeText(error.reason)}. Example: ${EXAMPLE}\n`);
    }
  }

  const tool = { name: 'create-hardened-service audit', version: VERSION };
  if (outputFormat === 'json') io.stdout.write(format.renderJson(audits, tool, inputErrors));
  else if (outputFormat === 'sarif') io.stdout.write(format.renderSarif(audits, tool, inputErrors));
  else if (audits.length) io.stdout.write(format.renderText(audits, { color: Boolean(io.stdout.isTTY) && !io.env.NO_COLOR }));

  if (inputErrors.length > 0) return 2;
  return format.exitCode(audits.flatMap((a) => a.findings), values.strict === true);
}
