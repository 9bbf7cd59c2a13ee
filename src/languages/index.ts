import type { LanguageModule, ManagerModule } from './types.ts';
import { python } from './python/index.ts';
import { go } from './go/index.ts';
import { node } from './node/index.ts';
import { java } from './java/index.ts';

/** Every language the wizard offers, in prompt order. A new language is a new folder here. */
export const LANGUAGES = [python, go, node, java] as const satisfies readonly LanguageModule[];

/** `python`, `go`, …: grows with the registry above. */
export type LanguageId = (typeof LANGUAGES)[number]['value'];
/** Every manager id of every language (`pipenv`, `modules`, `npm`, …). */
export type ManagerId = (typeof LANGUAGES)[number]['managers'][number]['value'];
/** The manager ids one language offers: `ManagerIdOf<'node'>` is `'npm' | 'pnpm'`. */
export type ManagerIdOf<L extends LanguageId> = Extract<(typeof LANGUAGES)[number], { value: L }>['managers'][number]['value'];

export function isLanguageId(id: string): id is LanguageId {
  return LANGUAGES.some((language) => language.value === id);
}

/** The module of a known id; any other string may be unknown (answers not yet validated). */
export function languageById(id: LanguageId): LanguageModule;
export function languageById(id: string): LanguageModule | undefined;
export function languageById(id: string): LanguageModule | undefined {
  return LANGUAGES.find((language) => language.value === id);
}

export function managerById(language: LanguageModule, id: string): ManagerModule | undefined {
  return language.managers.find((manager) => manager.value === id);
}
