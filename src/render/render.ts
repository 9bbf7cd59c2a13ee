import { languageById } from '../languages/index.ts';
import type { Files } from '../languages/types.ts';
import type { Options } from '../options/types.ts';

export const RECORD_FILE = '.hardened-service.json';

/** What `.hardened-service.json` records: the generator version and every answer. */
export function projectRecord(options: Options): string {
  const { directory: _directory, images, versions, generatorVersion, ...answers } = options;
  const record = { generator: 'create-hardened-service', version: generatorVersion, answers, images, versions };
  return `${JSON.stringify(record, null, 2)}\n`;
}

/** Pure: options -> every file of the project (path -> content). */
export function renderProject(options: Options): Files {
  const language = languageById(options.language);
  if (!language) throw new Error(`unknown language ${options.language}`);
  const files = language.render(options);
  files.set(RECORD_FILE, projectRecord(options));
  return files;
}
