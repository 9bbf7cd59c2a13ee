// Text from outside (a value, a path, a tool's output) made safe to print. Every layer words
// messages with these, so they sit below all of them.

// What can move the cursor, end a line or reorder text on a terminal: C0 and C1 controls, DEL,
// the line and paragraph separators, and the bidirectional overrides and isolates.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Text from outside (a value, a path, a file name, a parser's message) made safe to print: controls escaped as in JSON. */
export function escapeControls(text: string): string {
  return text.replace(CONTROL, (c) => (c < ' ' ? JSON.stringify(c).slice(1, -1) : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

/** A value quoted for an error message, as JSON writes a string, every control character escaped. */
export function quoteValue(value: string): string {
  return `"${escapeControls(value.replace(/["\\]/g, '\\$&'))}"`;
}

/** A path or file name for a message: as it is when plain, else quoted and escaped (a name may hold anything but / and NUL). */
export function showName(name: string): string {
  return /^[\p{L}\p{M}\p{N}._@+\/,:~=%#-]+$/u.test(name) ? name : quoteValue(name);
}

/** One argument as a POSIX shell reads it back: as it is when plain, else in single quotes. */
export function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** A command as a person would type it (for messages only; never executed as a string). */
export function showCommand(command: string, args: readonly string[], env: Readonly<Record<string, string>> = {}): string {
  // The command's own environment (pnpm reads its registry only from pnpm_config_registry) leads.
  const assignments = Object.entries(env).map(([name, value]) => `${name}=${shellQuote(value)}`);
  return [...assignments, ...[command, ...args].map(shellQuote)].join(' ');
}
