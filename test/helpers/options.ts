// Options as the CLI settles them (the given answers, then the defaults, images and tool versions
// computed), so tests build them the same way the product does instead of by hand.
import { buildOptions, completeAnswers } from '../../src/answer-rules.ts';
import type { Answers, Options } from '../../src/options/types.ts';

export function testOptions(answers: Partial<Answers> = {}, images: Partial<Options['images']> = {}): Options {
  const options = buildOptions(completeAnswers({ directory: 'svc', ...answers }, '/'), {}, '0.0.0-test');
  return { ...options, images: { ...options.images, ...images } };
}
