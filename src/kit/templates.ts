import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ejs from 'ejs';
import { packageRoot } from '../package-root.ts';

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
