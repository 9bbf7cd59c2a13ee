// Options as the CLI settles them (the given answers, then the defaults, images and tool versions
// computed), so tests build them the same way the product does instead of by hand.
import { buildOptions, completeAnswers } from '../../src/answer-rules.ts';
import { LANGUAGES } from '../../src/languages/index.ts';
import type { Answers, LanguageId, ManagerId, Options } from '../../src/options/types.ts';

/** Answers as test tables hold them: ids as plain strings, checked against the registry here. */
export type TestAnswers = Omit<Partial<Answers>, 'language' | 'manager'> & { language?: string; manager?: string };

export function testOptions(answers: TestAnswers = {}, images: Partial<Options['images']> = {}): Options {
  const language = LANGUAGES.find((candidate) => candidate.value === (answers.language ?? LANGUAGES[0]!.value));
  if (!language) throw new Error(`testOptions: unknown language ${answers.language}`);
  if (answers.manager !== undefined && !language.managers.some((manager) => manager.value === answers.manager)) {
    throw new Error(`testOptions: ${language.value} has no manager ${answers.manager}`);
  }
  const given = { directory: 'svc', ...answers } as Partial<Answers> & { language?: LanguageId; manager?: ManagerId };
  const options = buildOptions(completeAnswers(given, '/'), {}, '0.0.0-test');
  return { ...options, images: { ...options.images, ...images } };
}
