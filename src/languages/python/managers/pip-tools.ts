import { pythonManager } from './types.ts';

/** pip-tools: requirements*.in compiled with hashes; pip `--require-hashes` enforces the lock (src/ecosystems/pip-tools.ts). */
export const pipTools = pythonManager({
  value: 'pip-tools',
  label: 'pip-tools',
  hint: 'requirements.in -> hashed requirements.txt',
  tool: 'pip-tools',
  // pip-compile only locks: the builder installs the hashed requirements with pip.
  toolInBuilder: false,
  files: [
    { path: 'requirements.in', template: 'managers/pip-tools/requirements.in.ejs' },
    { path: 'requirements-dev.in', template: 'managers/pip-tools/requirements-dev.in.ejs' },
  ],
  usesPyproject: false,
  env: ['PIP_PYTHON=/app/.venv/bin/python'],
  envWhy: "pip re-runs itself under the venv's Python (pip's --python), so the venv needs no pip of its own.",
  makesVenv: false,
});
