import pc from 'picocolors';
import type { AnswerKey } from '../options/types.ts';
import { CANCEL, type Choice, type Ui } from '../ui/port.ts';
import { Cancelled } from './exit.ts';

export interface ConfirmInput {
  ui: Ui;
  /** The first line of the log: the generator, its version, the preset. */
  header: string;
  /** One line per answer. */
  summary: string;
  warnings: readonly string[];
  /** The command line that makes the same project without prompts. */
  command: string;
  /** A dry run prints the tree and stops here. */
  dryRun: { tree: () => string } | undefined;
  /** What may be changed after a No: the choices' values are answer keys. */
  changeable: () => Choice[];
}

export type Decision = { kind: 'write' } | { kind: 'dry-run' } | { kind: 'change'; key: AnswerKey };

/** Show what will be made, then ask for a yes; after a No, which answer to change. Esc, or changing nothing, cancels. */
export async function confirmRun({ ui, header, summary, warnings, command, dryRun, changeable }: ConfirmInput): Promise<Decision> {
  ui.answers(header, summary);
  for (const warning of warnings) ui.warn(warning);
  if (dryRun) {
    ui.command(command);
    ui.print('');
    ui.print(dryRun.tree());
    ui.print(pc.dim('Dry run: nothing was written.'));
    return { kind: 'dry-run' };
  }
  const ok = await ui.confirm(summary);
  if (ok === CANCEL) throw new Cancelled();
  if (ok) {
    ui.command(command);
    return { kind: 'write' };
  }
  const key = await ui.pickChange(changeable());
  if (key === CANCEL || key === undefined) throw new Cancelled();
  return { kind: 'change', key: key as AnswerKey };
}
