import type { PythonManager } from './types.ts';
import { pipenv } from './pipenv.ts';
import { poetry } from './poetry.ts';
import { uv } from './uv.ts';
import { pipTools } from './pip-tools.ts';

/** Every Python dependency manager, in prompt order (pipenv first: the article's). */
export const PYTHON_MANAGERS = [pipenv, poetry, uv, pipTools] as const;

export type PythonManagerId = (typeof PYTHON_MANAGERS)[number]['value'];

export function pythonManager(id: string): PythonManager {
  const manager = PYTHON_MANAGERS.find((candidate) => candidate.value === id);
  if (!manager) throw new Error(`unknown Python manager ${id}`);
  return manager;
}
