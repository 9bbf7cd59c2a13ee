import { relative } from 'node:path';
import { UsageError } from '../options/validate.ts';
import type { Io } from './main.ts';

/** `create-hardened-service audit [dir]`: rules D1-D16 over dir/Dockerfile. Exit 1 when any rule fails. */
export async function runAudit(dir: string, io: Io): Promise<number> {
  const { auditProject, formatFindings, summary } = await import('../audit/index.ts');
  let result;
  try {
    result = auditProject(dir);
  } catch (error) {
    throw new UsageError(`audit: ${(error as Error).message}. Example: create-hardened-service audit services/billing-api`);
  }
  const file = relative(io.cwd ?? process.cwd(), result.file) || 'Dockerfile';
  io.stdout.write(formatFindings(result.findings, { color: Boolean(io.stdout.isTTY) && !io.env.NO_COLOR, file }));
  return summary(result.findings).errors > 0 ? 1 : 0;
}
