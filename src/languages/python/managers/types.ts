import type { ManagerModule } from '../../types.ts';

/** A Python dependency manager: its lock commands plus the templates that differ per manager. */
export interface PythonManager extends ManagerModule {
  /**
   * Manifest files (project path -> template under templates/python/). The Dockerfile's builder and
   * test fragments live beside them as managers/<value>/builder.ejs and test.ejs.
   */
  manifests: ReadonlyArray<{ path: string; template: string }>;
  /** The manager reads its dependencies from pyproject.toml (managers/<value>/pyproject.ejs). */
  usesPyproject: boolean;
  /** The command that installs the production dependencies from the lock (README, tests). */
  installCommand: string;
}

/**
 * `docker run` line that locks inside the builder image, so the lock is made with the Python the
 * image runs. Values come from validated options; the index URL goes in through the environment.
 */
export function inImage(builder: string, indexUrl: string | null, script: string): string {
  const index = indexUrl ? ` -e PIP_INDEX_URL=${indexUrl}` : '';
  return `docker run --rm -v "$PWD":/src -w /src${index} ${builder} sh -c '${script}'`;
}

export function pinned(versions: Record<string, string>, name: string): string {
  const version = versions[name];
  if (!version) throw new Error(`no pinned version for ${name} in the versions table`);
  return version;
}
