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

/** The answers part of --help, from the answers table and the languages offered (the build also makes it for the fast path). */
export function answersHelp(languages: readonly LanguageChoices[]): string {
  return ANSWERS.flatMap((spec) => {
    const usage = 'switch' in spec ? `--[no-]${spec.flag.slice(2)}` : spec.help.arg ? `${spec.flag} ${spec.help.arg}` : spec.flag;
    const fallback = typeof spec.help.default === 'function' ? spec.help.default(languages) : spec.help.default;
    const lines = answerLines(usage, spec.help.lines(languages), fallback);
    if (spec.alias) {
      const language = languageOf(languages, spec.alias.language);
      lines.push(...answerLines(`${spec.alias.flag} ${spec.alias.arg}`, [`${language.label}'s, as ${spec.flag} with --language ${language.value}`], undefined));
    }
    return lines;
  }).join('\n');
}
