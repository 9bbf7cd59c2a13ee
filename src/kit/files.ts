/** Rendered project: POSIX relative path -> file content. Insertion order is the write order. */
export type Files = Map<string, string>;

/** One file of a language's project, declared as data and rendered by kit/render.ts. */
export interface FileSpec<Context> {
  /** The project path; a function where it holds an answer (`cmd/NAME/main.go`). */
  path: string | ((context: Context) => string);
  /** Under templates/: an `.ejs` is rendered with the context, any other file copied as it is; null: an empty file. */
  template: string | null;
  /** Written only when this holds (a gate chosen, a mirror named). */
  when?: (context: Context) => boolean;
}

/** Where a language's file list takes the chosen manager's own files (its manifest, its settings). */
export const MANAGER_FILES = 'manager files';

export type FileEntry<Context> = FileSpec<Context> | typeof MANAGER_FILES;
