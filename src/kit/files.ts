/** Rendered project: POSIX relative path -> file content. Insertion order is the write order. */
export type Files = Map<string, string>;
