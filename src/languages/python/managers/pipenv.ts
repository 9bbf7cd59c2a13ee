import { pythonManager } from './types.ts';

/** pipenv: Pipfile + Pipfile.lock; `install --deploy` enforces the lock (src/ecosystems/pipenv.ts). */
export const pipenv = pythonManager({
  value: 'pipenv',
  label: 'pipenv',
  hint: 'Pipfile + Pipfile.lock, install --deploy',
  tool: 'pipenv',
  files: [{ path: 'Pipfile', template: 'managers/pipenv/Pipfile.ejs' }],
  usesPyproject: false,
  installReads: ['Pipfile'],
  env: ['PIPENV_VENV_IN_PROJECT=1', 'PIPENV_NOSPIN=1'],
  virtualenv: true,
});
