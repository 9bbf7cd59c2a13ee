import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from './package-root.ts';

declare const __VERSION__: string | undefined;

/** This generator's version: injected by the bundler, read from package.json when run from source. */
export const VERSION: string =
  typeof __VERSION__ === 'string'
    ? __VERSION__
    : (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
