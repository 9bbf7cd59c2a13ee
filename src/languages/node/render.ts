import type { Files } from '../types.ts';
import type { Options } from '../../options/types.ts';
import { readTemplate, renderTemplate } from '../../render/templates.ts';
import { nodeContext } from './context.ts';

const CI_FILES: Record<Exclude<Options['ci'], 'none'>, [string, string]> = {
  github: ['.github/workflows/ci.yml', 'shared/ci/github.yml.ejs'],
  gitlab: ['.gitlab-ci.yml', 'shared/ci/gitlab.yml.ejs'],
};

/** Pure: options -> the Node.js project's files, in write order. Reads only the templates. */
export function renderNode(options: Options): Files {
  const context = nodeContext(options);
  const data = { ...context } as unknown as Record<string, unknown>;
  const files: Files = new Map();
  files.set('README.md', renderTemplate('node/README.md.ejs', data));
  files.set('Dockerfile', renderTemplate('node/Dockerfile.ejs', data));
  files.set('.dockerignore', renderTemplate('shared/_dockerignore.ejs', { extra: readTemplate('node/dockerignore-extra') }));
  // Dotfiles are stored as `_name` so npm packing keeps them (create-vite); renamed here.
  files.set('.gitignore', readTemplate('node/_gitignore'));
  files.set('.editorconfig', readTemplate('shared/_editorconfig'));
  if (context.gates.format) files.set('.prettierignore', readTemplate('node/_prettierignore'));
  files.set('package.json', renderTemplate('node/package.json.ejs', data));
  files.set('tsconfig.json', readTemplate('node/tsconfig.json'));
  files.set('tsconfig.build.json', readTemplate('node/tsconfig.build.json'));
  if (context.gates.lint) files.set('eslint.config.js', readTemplate('node/eslint.config.js'));
  files.set('src/app.ts', readTemplate('node/src/app.ts'));
  files.set('src/main.ts', readTemplate('node/src/main.ts'));
  if (context.gates.test) {
    for (const test of ['run.ts', 'app.test.ts', 'main.test.ts']) files.set(`test/${test}`, readTemplate(`node/test/${test}`));
  }
  if (options.ci !== 'none') {
    const [path, template] = CI_FILES[options.ci];
    files.set(path, renderTemplate(template, data));
  }
  return files;
}
