import type { Files } from './files.ts';
import { readTemplate, renderTemplate } from './templates.ts';

/**
 * The dotfiles every project has: `.dockerignore` (the shared list plus the language's
 * `dockerignore-extra`), the language's `.gitignore` and the shared `.editorconfig`. They are stored
 * as `_name` so npm packing keeps them (create-vite), and renamed here.
 */
export function setDotfiles(files: Files, language: string): void {
  files.set('.dockerignore', renderTemplate('shared/_dockerignore.ejs', { extra: readTemplate(`${language}/dockerignore-extra`) }));
  files.set('.gitignore', readTemplate(`${language}/_gitignore`));
  files.set('.editorconfig', readTemplate('shared/_editorconfig'));
}
