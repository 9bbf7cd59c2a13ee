import type { Options } from '../../../options/types.ts';
import { lockInImageCommand } from '../../../kit/lock-in-image.ts';
import type { ManagerModule } from '../../types.ts';

/** A Python dependency manager: its lock commands plus the templates that differ per manager. */
export interface PythonManager<Id extends string = string> extends ManagerModule<Id> {
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
 * The in-image lock for a Python manager: the builder's Python installs the pinned manager and
 * locks with it, the index URL through the environment, the CA for pip, requests and uv.
 */
export function inImage(options: Pick<Options, 'images' | 'indexUrl' | 'certBundle'>, script: string, writes: readonly string[]): string {
  return lockInImageCommand(options, {
    script,
    writes,
    env: options.indexUrl ? { PIP_INDEX_URL: options.indexUrl } : {},
    caVariables: ['PIP_CERT', 'REQUESTS_CA_BUNDLE', 'SSL_CERT_FILE'],
  });
}

export function pinned(versions: Record<string, string>, name: string): string {
  const version = versions[name];
  if (!version) throw new Error(`no pinned version for ${name} in the versions table`);
  return version;
}
