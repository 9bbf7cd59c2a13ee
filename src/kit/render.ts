import type { BaseContext } from './context.ts';
import { setDotfiles } from './dotfiles.ts';
import { MANAGER_FILES, type FileEntry, type FileSpec, type Files } from './files.ts';
import { readTemplate, renderTemplate } from './templates.ts';

/**
 * Pure: a language's files from its context, in write order: README.md, Dockerfile, the dotfiles,
 * then the language's own list (templates/<language>/...). Reads only the templates.
 */
export function renderFiles<Context extends BaseContext>(language: string, entries: ReadonlyArray<FileEntry<Context>>, context: Context): Files {
  const data = { ...context } as unknown as Record<string, unknown>;
  const content = (template: string | null) =>
    template === null ? '' : template.endsWith('.ejs') ? renderTemplate(`${language}/${template}`, data) : readTemplate(`${language}/${template}`);
  const files: Files = new Map();
  files.set('README.md', content('README.md.ejs'));
  files.set('Dockerfile', content('Dockerfile.ejs'));
  setDotfiles(files, language);
  for (const entry of entries) {
    const specs: ReadonlyArray<FileSpec<Context>> = entry === MANAGER_FILES ? (context.manager.files ?? []) : [entry];
    for (const spec of specs) {
      if (spec.when && !spec.when(context)) continue;
      files.set(typeof spec.path === 'function' ? spec.path(context) : spec.path, content(spec.template));
    }
  }
  return files;
}
