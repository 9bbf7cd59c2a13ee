/** A tool of the generated service or its build, pinned from the versions table (src/versions.ts). */
export interface Tool {
  name: string;
  version: string;
}

/** The pinned version of a versions-table key; a key without one is a bug in the language, not a user error. */
export function pinned(versions: Readonly<Record<string, string>>, key: string): string {
  const version = versions[key];
  if (!version) throw new Error(`no pinned version for ${key} in the versions table`);
  return version;
}
