import type { Files } from '../types.ts';
import type { Options } from '../../options/types.ts';
import { setDotfiles } from '../../kit/dotfiles.ts';
import { readTemplate, renderTemplate } from '../../kit/templates.ts';
import { pythonContext, type PythonContext } from './context.ts';

/** Which test files exist depends on the gates: a gate left out leaves no trace. */
function testFiles(context: PythonContext): Array<[string, string]> {
  if (!context.pytest) return [];
  const files: Array<[string, string]> = [
    ['tests/__init__.py', 'python/tests/__init__.py'],
    ['tests/conftest.py', 'python/tests/conftest.py'],
    ['tests/support.py', 'python/tests/support.py'],
  ];
  if (context.gates.test) {
    files.push(['tests/test_main.py', 'python/tests/test_main.py']);
    files.push(['assets/test-environment.json', 'python/assets/test-environment.json']);
  }
  if (context.gates.bdd) {
    files.push(['tests/test_health_steps.py', 'python/tests/test_health_steps.py']);
    files.push(['features/health.feature', 'python/features/health.feature']);
  }
  return files;
}

/** Pure: options -> the Python project's files, in write order. Reads only the templates. */
export function renderPython(options: Options): Files {
  const context = pythonContext(options);
  const data = { ...context } as unknown as Record<string, unknown>;
  const files: Files = new Map();
  files.set('README.md', renderTemplate('python/README.md.ejs', data));
  files.set('Dockerfile', renderTemplate('python/Dockerfile.ejs', data));
  setDotfiles(files, 'python');
  files.set('pyproject.toml', renderTemplate('python/pyproject.toml.ejs', data));
  for (const manifest of context.manager.manifests) files.set(manifest.path, renderTemplate(manifest.template, data));
  files.set('src/main.py', renderTemplate('python/src/main.py.ejs', data));
  for (const [path, template] of testFiles(context)) files.set(path, readTemplate(template));
  return files;
}
