import { readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ejs from 'ejs';

let root: string | undefined;

/** The package root (holds templates/ and schema/), found from this file in src/ or dist/. */
export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'templates')) || !existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('create-hardened-service: templates/ not found beside the package');
    dir = parent;
  }
  return (root = dir);
}

export function templatePath(relative: string): string {
  return join(packageRoot(), 'templates', relative);
}

/** A static template file, as it is. */
export function readTemplate(relative: string): string {
  return readFileSync(templatePath(relative), 'utf8');
}

/**
 * Render an ejs template. Values reaching it have passed src/options/validate.ts, so no escaping:
 * the output is a Dockerfile, TOML, YAML or Python, not HTML. `include()` resolves relative to the
 * template, so shared partials live in templates/shared/.
 */
export function renderTemplate(relative: string, data: Record<string, unknown>): string {
  const filename = templatePath(relative);
  return ejs.render(readFileSync(filename, 'utf8'), data, {
    filename,
    escape: (value: unknown) => String(value),
    rmWhitespace: false,
    async: false,
  });
}
