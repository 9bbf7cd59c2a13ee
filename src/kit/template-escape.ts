/**
 * The templates' `<%= %>`: values reaching them have passed src/options/validate.ts, so no escaping
 * (the output is never HTML). A declaration, not an arrow: ejs inlines its source into each compiled
 * template as a fallback (`escapeFn = escapeFn || …`).
 */
export function passThrough(value: unknown): string {
  return String(value);
}
