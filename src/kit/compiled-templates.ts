// The compiled templates, run from source: each *.ejs compiled on first use, as the build compiles
// them all. scripts/build.mjs replaces this module with one reading dist/templates.js.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../package-root.ts';
import { compileTemplate } from './template-compile.ts';

export type TemplateFunction = (locals: Record<string, unknown>, escapeFn: (value: unknown) => string, include: (path: string, data?: Record<string, unknown>) => string) => string;

const compiled = new Map<string, TemplateFunction>();

/** The function for `templates/<name>` (a path ending in .ejs), or undefined when there is no such template. */
export function templateFunction(name: string): TemplateFunction | undefined {
  let fn = compiled.get(name);
  if (!fn) {
    let text: string;
    try {
      text = readFileSync(join(packageRoot(), 'templates', name), 'utf8');
    } catch {
      return undefined;
    }
    // Sloppy-mode code (`with`), as dist/templates.js is.
    fn = new Function(`return (${compileTemplate(text, name)});`)() as TemplateFunction;
    compiled.set(name, fn);
  }
  return fn;
}
