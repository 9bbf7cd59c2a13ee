import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The path of an executable on PATH, or undefined (no shell, no spawn). */
export function which(command: string, path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, command);
    try {
      // A directory passes the X_OK check too (it is searchable), but it is not a command.
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** A command as a person would type it (for messages only; never executed as a string). */
export function showCommand(command: string, args: readonly string[], env: Readonly<Record<string, string>> = {}): string {
  const quote = (arg: string) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`);
  // The command's own environment (pnpm reads its registry only from pnpm_config_registry) leads.
  const assignments = Object.entries(env).map(([name, value]) => `${name}=${quote(value)}`);
  return [...assignments, ...[command, ...args].map(quote)].join(' ');
}
