import pc from 'picocolors';
import { ANSWERS, languageOf, type LanguageChoices } from '../options/answers.ts';

const INDENT = ' '.repeat(28);

/** One answer's lines: the flag and its argument, what it is, and its default in brackets. */
function answerLines(usage: string, lines: readonly string[], fallback: string | undefined): string[] {
  const out = lines.map((line, index) => (index === 0 ? `  ${usage.padEnd(26)}${line}` : `${INDENT}${line}`));
  if (fallback !== undefined) {
    const [first, ...rest] = fallback.split('\n');
    const last = out.pop()!;
    // Short descriptions line their defaults up in one column.
    const text = last.slice(28);
    out.push(`${last.slice(0, 28)}${text.length < 34 && rest.length === 0 ? text.padEnd(36) : `${text}  `}(${first}${rest.length ? '' : ')'}`);
    rest.forEach((line, index) => out.push(`${INDENT}${line}${index === rest.length - 1 ? ')' : ''}`));
  }
  return out;
}

/** The answers part of --help, from the answers table and the languages offered. */
function answersHelp(languages: readonly LanguageChoices[]): string {
  return ANSWERS.flatMap((spec) => {
    const usage = spec.help.arg ? `${spec.flag} ${spec.help.arg}` : spec.flag;
    const fallback = typeof spec.help.default === 'function' ? spec.help.default(languages) : spec.help.default;
    const lines = answerLines(usage, spec.help.lines(languages), fallback);
    if (spec.alias) {
      const language = languageOf(languages, spec.alias.language);
      lines.push(...answerLines(`${spec.alias.flag} ${spec.alias.arg}`, [`${language.label}'s, as ${spec.flag} with --language ${language.value}`], undefined));
    }
    return lines;
  }).join('\n');
}

export function helpText(version: string, languages: readonly LanguageChoices[]): string {
  const h = pc.bold;
  return `${h('create-hardened-service')} ${version}
Scaffold a containerized service with a hardened, reproducible, gated multi-stage Dockerfile.

${h('Usage')}
  npm create hardened-service@latest [directory] -- [options]
  create-hardened-service [directory] [options]
  create-hardened-service audit [PATH...]        lint Dockerfiles, generated or not (audit --help)
  create-hardened-service pin [directory] [--check]  pin FROM and # syntax images to tag@digest

${h('Answers')} (flag > preset > prompt > default)
${answersHelp(languages)}

${h('Behaviour')}
  --preset FILE             team preset (JSON; also HARDENED_SERVICE_PRESET)
  -y, --yes                 never prompt (implied without a TTY)
  --dry-run                 print the files and sizes that would be written; write nothing
  --force                   allow a non-empty directory (existing files are never overwritten)
  --no-git                  skip git init and the initial commit
  --no-lock                 skip generating the lockfile
  -h, --help                show this help
  -v, --version             show the version

${h('Exit codes')}
  0 written   1 unexpected failure (nothing half-written)   2 bad usage or answer   130 cancelled
  129 / 131 / 143 ended by SIGHUP / SIGQUIT / SIGTERM, undone like a cancel

${h('Examples')}
  npm create hardened-service@latest billing-api
  npx create-hardened-service billing-api --yes --manager poetry --registry registry.example.com/base \\
      --cert-bundle registry.example.com/base/ca-bundle:20220405 --index-url https://nexus.example.com/pypi/simple
`;
}
