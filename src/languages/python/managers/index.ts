import { pipenv } from './pipenv.ts';
import { poetry } from './poetry.ts';
import { uv } from './uv.ts';
import { pipTools } from './pip-tools.ts';

/** Every Python dependency manager, in prompt order (pipenv first: the article's). */
export const PYTHON_MANAGERS = [pipenv, poetry, uv, pipTools] as const;
