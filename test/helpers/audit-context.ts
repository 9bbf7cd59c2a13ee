// The audit's context for a rendered project, read the way `create-hardened-service audit` reads a
// project on disk: from its .hardened-service.json (language, manager, gates, CA bundle, runtime
// image, syntax) and its .dockerignore.
import { contextFromRecord, type AuditContext } from '../../src/audit/index.ts';
import { RECORD_FILE } from '../../src/render/render.ts';

export function auditContextOf(files: ReadonlyMap<string, string>): AuditContext {
  const record = files.get(RECORD_FILE);
  if (record === undefined) throw new Error(`the rendered project has no ${RECORD_FILE}`);
  return { ...contextFromRecord(record), dockerignore: files.get('.dockerignore') ?? null };
}
