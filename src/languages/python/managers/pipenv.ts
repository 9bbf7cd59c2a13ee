import type { PythonManager } from './types.ts';
import { inImage, pinned } from './types.ts';

/** pipenv, the article's manager: Pipfile + Pipfile.lock, `install --deploy` enforces the lock. */
export const pipenv: PythonManager<'pipenv'> = {
  value: 'pipenv',
  label: 'pipenv',
  hint: 'Pipfile + Pipfile.lock, as in the article',
  lockFiles: ['Pipfile.lock'],
  manifests: [{ path: 'Pipfile', template: 'python/managers/pipenv/Pipfile.ejs' }],
  usesPyproject: false,
  installCommand: 'pipenv install --deploy',
  // The index mirror is the Pipfile's [[source]], so the command needs no index flag.
  lockCommands: () => [{ command: 'pipenv', args: ['lock'] }],
  lockInImageCommand: (options) =>
    inImage(
      options,
      `python3 -m pip install pipenv==${pinned(options.versions, 'pipenv')} && pipenv lock`,
      pipenv.lockFiles,
    ),
};
