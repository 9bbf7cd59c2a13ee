/** What write/ knows of a project: POSIX relative path -> file content, in write order. */
export type FileMap = ReadonlyMap<string, string>;
