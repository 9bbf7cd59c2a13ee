import type { LanguageModule } from '../types.ts';
import { pythonImages, pythonWarnings } from './images.ts';
import { PYTHON_MANAGERS, type PythonManagerId } from './managers/index.ts';
import { renderPython } from './render.ts';

/** Python: the article's hardened build, with pipenv, Poetry, uv or pip-tools. */
export const python: LanguageModule<'python', PythonManagerId> = {
  value: 'python',
  label: 'Python',
  hint: "the article's hardened build",
  managers: PYTHON_MANAGERS,
  defaultManager: 'pipenv',
  runtimeVersions: [
    { value: '3.13', label: 'Python 3.13', hint: 'distroless python3-debian13' },
    { value: '3.11', label: 'Python 3.11', hint: 'distroless python3-debian12' },
  ],
  gates: [
    { value: 'typecheck', label: 'typecheck', hint: 'mypy' },
    { value: 'format', label: 'format', hint: 'black --check' },
    { value: 'lint', label: 'lint', hint: 'ruff check' },
    { value: 'security', label: 'security', hint: 'bandit over the whole tree' },
    { value: 'test', label: 'test', hint: 'pytest unit tests' },
    { value: 'bdd', label: 'bdd', hint: 'pytest-bdd feature scenarios' },
  ],
  mirror: { label: 'Package index mirror', example: 'https://nexus.example.com/repository/pypi/simple' },
  buildSecret: { id: 'netrc', variable: 'INDEX_NETRC', format: 'netrc' },
  tools: ['pipenv', 'poetry', 'poetry-plugin-export', 'uv', 'pip-tools', 'black', 'ruff', 'mypy', 'bandit', 'pytest', 'pytest-bdd', 'pytest-mock'],
  examples: {
    builderImage: 'registry.example.com/base/python:3.13-slim-trixie',
    runtimeImage: 'registry.example.com/base/distroless/python3-debian13:nonroot',
  },
  images: pythonImages,
  warnings: pythonWarnings,
  render: renderPython,
};
