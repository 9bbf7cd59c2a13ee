import { pythonManager } from './types.ts';

/** uv: dependencies in pyproject.toml ([dependency-groups] for dev), uv.lock; `sync --locked` (src/ecosystems/uv.ts). */
export const uv = pythonManager({
  value: 'uv',
  label: 'uv',
  hint: 'pyproject.toml + uv.lock',
  tool: 'uv',
  usesPyproject: true,
  env: ['UV_PYTHON=python3', 'UV_PYTHON_DOWNLOADS=never', 'UV_PROJECT_ENVIRONMENT=/app/.venv', 'UV_LINK_MODE=copy'],
  // uv reads the system's CAs only when told to; the others read the variables pointing at the bundle.
  trustEnv: ['UV_NATIVE_TLS=1'],
});
