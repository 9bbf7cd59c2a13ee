import { resolve } from 'node:path';
import { loadPreset, type Preset } from '../options/preset.ts';

/** The preset the run uses: --preset, else HARDENED_SERVICE_PRESET; `given` is the path as the user wrote it. */
export interface PresetChoice {
  preset: Preset | undefined;
  given: string | undefined;
}

export function readPreset(flag: string | undefined, env: NodeJS.ProcessEnv, cwd: string): PresetChoice {
  const given = flag ?? env.HARDENED_SERVICE_PRESET;
  if (!given) return { preset: undefined, given: undefined };
  const source = flag !== undefined ? '--preset' : 'HARDENED_SERVICE_PRESET';
  return { preset: loadPreset(resolve(cwd, given), source), given };
}
