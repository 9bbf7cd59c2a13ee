import type { PythonManager } from './types.ts';
import { inImage, pinned } from './types.ts';

/** uv: dependencies in pyproject.toml ([dependency-groups] for dev), uv.lock; `sync --locked`. */
export const uv: PythonManager<'uv'> = {
  value: 'uv',
  label: 'uv',
  hint: 'pyproject.toml + uv.lock',
  lockFiles: ['uv.lock'],
  manifests: [],
  usesPyproject: true,
  installCommand: 'uv sync --locked --no-dev --no-install-project',
  // The mirror is a [[tool.uv.index]] with default = true in pyproject.toml.
  lockCommands: () => [{ command: 'uv', args: ['lock'] }],
  lockInImageCommand: (options) =>
    inImage(
      options,
      `python3 -m pip install uv==${pinned(options.versions, 'uv')} && uv lock`,
      uv.lockFiles,
    ),
};
