import type { PythonManager } from './types.ts';
import { inImage, pinned } from './types.ts';

/** Poetry: dependencies in pyproject.toml, poetry.lock; `check --lock` then `sync`. */
export const poetry: PythonManager<'poetry'> = {
  value: 'poetry',
  label: 'Poetry',
  hint: 'pyproject.toml + poetry.lock',
  lockFiles: ['poetry.lock'],
  manifests: [],
  usesPyproject: true,
  installCommand: 'poetry check --lock && poetry sync --without dev',
  // The mirror is a [[tool.poetry.source]] with priority "primary" in pyproject.toml.
  lockCommands: () => [{ command: 'poetry', args: ['lock'] }],
  lockInImageCommand: (options) =>
    inImage(
      options,
      `python3 -m pip install poetry==${pinned(options.versions, 'poetry')} && poetry lock`,
      poetry.lockFiles,
    ),
};
