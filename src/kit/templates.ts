import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { packageRoot } from '../package-root.ts';
import { templateFunction } from './compiled-templates.ts';

export function templatePath(relative: string): string {
  return join(packageRoot(), 'templates', relative);
}

/** A static template file, as it is. */
export function readTemplate(relative: string): string {
  return readFileSync(templatePath(relative), 'utf8');
}

/** The templates' `<%= %>`: no escaping (see renderTemplate), the value as a string. */
const passThrough = (value: unknown): string => String(value);

/**
 * Render an ejs template, compiled at build time (src/kit/template-compile.ts). Values reaching it
 * have passed src/options/validate.ts, so no escaping: the output is a Dockerfile, TOML, YAML or
 * Python, not HTML. `include()` resolves relative to the template, as in ejs (an include without an
 * extension gets .ejs), so shared partials live in templates/shared/; the partial sees the
 * including template's data with the given data over it.
 */
export function renderTemplate(path: string, data: Record<string, unknown>): string {
  // `python/../shared/x.ejs` and `shared/x.ejs` are one template: compiled templates go by the latter.
  const relative = posix.normalize(path);
  const fn = templateFunction(relative);
  if (!fn) throw new Error(`create-hardened-service: no template ${relative}`);
  const include = (path: string, includeData?: Record<string, unknown>): string => {
    const joined = posix.join(posix.dirname(relative), path);
    const name = posix.extname(joined) ? joined : `${joined}.ejs`;
    return renderTemplate(name, Object.assign(Object.create(null) as Record<string, unknown>, data, includeData));
  };
  return fn(data, passThrough, include);
}
