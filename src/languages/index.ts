import type { LanguageModule, ManagerModule } from './types.ts';
import { python } from './python/index.ts';
import { go } from './go/index.ts';
import { node } from './node/index.ts';
import { java } from './java/index.ts';

/** Every language the wizard offers, in prompt order. A new language is a new folder here. */
export const LANGUAGES: readonly LanguageModule[] = [python, go, node, java];

export function languageById(id: string): LanguageModule | undefined {
  return LANGUAGES.find((language) => language.value === id);
}

export function managerById(language: LanguageModule, id: string): ManagerModule | undefined {
  return language.managers.find((manager) => manager.value === id);
}
