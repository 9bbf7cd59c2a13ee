// Options for a Go project as the CLI settles them (test helper, not a test file).
import type { Answers, Options } from '../../src/options/types.ts';
import { testOptions } from '../helpers/options.ts';

export function goOptions(answers: Partial<Answers> = {}, version = '1.27', images: Partial<Options['images']> = {}): Options {
  return testOptions({ directory: 'billing-api', language: 'go', manager: 'modules', runtimeVersion: version, ...answers }, images);
}
