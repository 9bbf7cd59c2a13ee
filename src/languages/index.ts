import type { LanguageModule, ManagerModule } from './types.ts';
import { python } from './python/index.ts';
import { go } from './go/index.ts';
import { node } from './node/index.ts';
import { java } from './java/index.ts';

/** Every language the wizard offers, in prompt order. A new language is a new folder and one line here. */
const REGISTRY = [python, go, node, java] as const;

type Registered = (typeof REGISTRY)[number];
/** `python`, `go`, …: grows with the registry above. */
export type LanguageId = Registered['value'];
/** Every manager id of every language (`pipenv`, `modules`, `npm`, …). */
export type ManagerId = Registered['managers'][number]['value'];
/** The manager ids one language offers: `ManagerIdOf<'node'>` is `'npm' | 'pnpm'`. */
export type ManagerIdOf<L extends LanguageId> = Extract<Registered, { value: L }>['managers'][number]['value'];

export const LANGUAGES: readonly LanguageModule<LanguageId, ManagerId>[] = REGISTRY;

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
