import type { Files } from '../types.ts';
import type { Options } from '../../options/types.ts';
import { setDotfiles } from '../../kit/dotfiles.ts';
import { readTemplate, renderTemplate } from '../../kit/templates.ts';
import { nodeContext } from './context.ts';

/** Pure: options -> the Node.js project's files, in write order. Reads only the templates. */
export function renderNode(options: Options): Files {
  const context = nodeContext(options);
  const data = { ...context } as unknown as Record<string, unknown>;
  const files: Files = new Map();
  files.set('README.md', renderTemplate('node/README.md.ejs', data));
  files.set('Dockerfile', renderTemplate('node/Dockerfile.ejs', data));
  setDotfiles(files, 'node');
  // Not `_prettierignore`: npm packs this dotfile as it is, and only the project of a format gate has it.
  if (context.gates.format) files.set('.prettierignore', readTemplate('node/prettierignore'));
  files.set('package.json', renderTemplate('node/package.json.ejs', data));
  files.set('tsconfig.json', readTemplate('node/tsconfig.json'));
  files.set('tsconfig.build.json', readTemplate('node/tsconfig.build.json'));
  if (context.gates.lint) files.set('eslint.config.js', readTemplate('node/eslint.config.js'));
  // TypeScript sources are stored as .ts.ejs: the published package holds no .ts file.
  for (const source of ['app.ts', 'main.ts']) files.set(`src/${source}`, renderTemplate(`node/src/${source}.ejs`, data));
  if (context.gates.test) {
    for (const test of ['run.ts', 'app.test.ts', 'main.test.ts']) files.set(`test/${test}`, renderTemplate(`node/test/${test}.ejs`, data));
  }
  return files;
}
