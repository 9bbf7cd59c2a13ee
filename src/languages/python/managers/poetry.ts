import { pythonManager } from './types.ts';

/** Poetry: dependencies in pyproject.toml, poetry.lock; `check --lock` then `sync` (src/ecosystems/poetry.ts). */
export const poetry = pythonManager({
  value: 'poetry',
  label: 'Poetry',
  hint: 'pyproject.toml + poetry.lock',
  tool: 'poetry',
  pins: ['poetry-plugin-export'],
  usesPyproject: true,
  env: ['POETRY_VIRTUALENVS_IN_PROJECT=true', 'POETRY_NO_INTERACTION=1'],
  virtualenv: true,
});
