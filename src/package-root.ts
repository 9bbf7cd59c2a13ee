import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** The package root (holds package.json, templates/ and schema/), found from src/ or dist/. */
export function packageRoot(): string {
  if (root) return root;
  // dist/index.js is CommonJS (__dirname); from source, an ES module.
  let dir = typeof __dirname === 'string' ? __dirname : dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'templates')) || !existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('create-hardened-service: templates/ not found beside the package');
    dir = parent;
  }
  return (root = dir);
}
