// The answer asked first (the directory), apart from the answers table: the wizard draws its
// question before the table, the languages and a preset are loaded (steps/first.ts), and the
// table lists this same entry first (answers.ts). Only what asking it needs lives here.
import type { Answer } from './answers.ts';
import { checkDirectory } from './validate.ts';

/** A value as its flag takes it: lists comma-joined, none for null. */
export function flagValue(value: unknown): string {
  return value === null ? 'none' : Array.isArray(value) ? value.join(',') : String(value);
}

/** Where the service goes: the positional, never a preset's (each service has its own); its rules read no other answer nor the languages. */
export const DIRECTORY: Answer<'directory'> = {
  key: 'directory',
  flag: '[directory]',
  example: 'services/billing-api',
  preset: false,
  help: { lines: () => ['where to create the service'], default: 'prompt; my-service without a TTY' },
  check: (raw, flag) => checkDirectory(raw, flag),
  default: () => 'my-service',
  prompt: { kind: 'text', message: () => 'Where should the service go?', hint: 'a new or empty directory', placeholder: () => 'my-service', empty: 'default', target: true },
  summary: { label: () => 'directory' },
};
