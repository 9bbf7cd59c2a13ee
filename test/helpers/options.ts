// Options as the CLI settles them (the given answers, then the defaults, images and tool versions
// computed), so tests build them the same way the product does instead of by hand.
import { buildOptions, completeAnswers } from '../../src/answer-rules.ts';
import type { Answers, Options } from '../../src/options/types.ts';
import { DOCKERFILE_SYNTAX } from '../../src/versions.ts';

export function testOptions(answers: Partial<Answers> = {}, images: Partial<Options['images']> = {}): Options {
  // One departure from the product (issue 10): with a registry the CLI's default frontend is the
  // mirrored REGISTRY/docker/dockerfile:1, which the audit's D1 accepts only once it reads the
  // project record (audit-engine branch). Until the audit tests pass that record, a test that
  // names no `syntax` gets the public frontend; tests of --syntax name theirs.
  const given = { directory: 'svc', syntax: DOCKERFILE_SYNTAX, ...answers };
  const options = buildOptions(completeAnswers(given, '/'), {}, '0.0.0-test');
  return { ...options, images: { ...options.images, ...images } };
}
