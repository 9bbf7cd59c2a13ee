import type { LanguageModule } from '../types.ts';
import { pythonImages, pythonWarnings } from './images.ts';
import { PYTHON_MANAGERS } from './managers/index.ts';
import { renderPython } from './render.ts';

/** Python: the article's hardened build, with pipenv, Poetry, uv or pip-tools. */
export const python: LanguageModule = {
  value: 'python',
  label: 'Python',
  hint: "the article's hardened build",
  managers: PYTHON_MANAGERS,
  defaultManager: 'pipenv',
  runtimeVersions: [
    { value: '3.13', label: 'Python 3.13', hint: 'distroless python3-debian13' },
    { value: '3.11', label: 'Python 3.11', hint: 'distroless python3-debian12' },
  ],
  images: pythonImages,
  warnings: pythonWarnings,
  render: renderPython,
};
