/** OS package managers in a RUN: which command installs, and what options it was given. */
import type { ShellCommand } from './shell.ts';

export const isApt = (c: ShellCommand): boolean => c.tool === 'apt-get' || c.tool === 'apt';
export const subOf = (c: ShellCommand): string | undefined => c.args.find((a) => !a.startsWith('-'));
export const aptInstall = (c: ShellCommand): boolean => isApt(c) && subOf(c) === 'install';
export const aptUpdate = (c: ShellCommand): boolean => isApt(c) && subOf(c) === 'update';

/** `-y`, `-qq`, `--yes`, `--assume-yes`, `-o APT::Get::Assume-Yes=true`, or combined short options such as `-qy`. */
export function answersYes(c: ShellCommand): boolean {
  return c.args.some((a) => /^-[a-z]*y[a-z]*$/i.test(a) || a === '-qq' || /^--(yes|assume-yes|non-interactive)$/.test(a) || /Assume-Yes=(true|1)/i.test(a) || /^-[a-z]*n[a-z]*$/.test(a) && c.tool === 'zypper');
}
