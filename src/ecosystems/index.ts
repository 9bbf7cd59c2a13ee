import { bun } from './bun.ts';
import { goModules } from './go.ts';
import { gradle } from './gradle.ts';
import { maven } from './maven.ts';
import { npm } from './npm.ts';
import { isPipTool, pipTools } from './pip-tools.ts';
import { pipenv } from './pipenv.ts';
import { pnpm } from './pnpm.ts';
import { poetry } from './poetry.ts';
import type { Cmd, Ecosystem } from './types.ts';
import { uv } from './uv.ts';
import { yarn } from './yarn.ts';

export type { Cmd, Command, Ecosystem, Env, LanguageId, Lock, LockUse } from './types.ts';
export { pipInstallArgs, readPipInstall, type PipInstall } from './pip-tools.ts';
export { LANGUAGE_FACTS, TOOL_CACHES, type LanguageFacts } from './languages.ts';

/** Every dependency manager we know, by language. A new manager is a new module listed here. */
export const ECOSYSTEMS: readonly Ecosystem[] = [pipenv, poetry, uv, pipTools, npm, pnpm, yarn, bun, goModules, maven, gradle];

export function ecosystemById(id: string): Ecosystem | undefined {
  return ECOSYSTEMS.find((e) => e.id === id);
}

/** Each manager's program names, first listed first (the audit asks for every command of a file). */
const BY_TOOL = new Map<string, Ecosystem>();
for (const e of ECOSYSTEMS) for (const tool of e.tools) if (!BY_TOOL.has(tool)) BY_TOOL.set(tool, e);

/** The manager a command belongs to: `uv pip …` and pip are pip's, `./mvnw` is Maven's. */
export function ecosystemOf(c: Cmd): Ecosystem | undefined {
  const tool = c.tool.startsWith('./') ? c.tool.slice(2) : c.tool;
  if (tool.startsWith('pip') ? isPipTool(tool) : tool === 'uv' && c.args[0] === 'pip') return pipTools;
  return BY_TOOL.get(tool);
}

/** `uv run …`, `poetry run …`: the wrapper is itself a command of its manager (uv syncs first). */
export function wrapperCommands(c: Cmd): Cmd[] {
  return (c.wrappers ?? []).filter((w) => ecosystemOf({ tool: w[0]!, args: w.slice(1) })).map((w) => ({ tool: w[0]!, args: w.slice(1) }));
}
