import type { Options } from '../../../options/types.ts';
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

/** Where the in-image lock command mounts the organisation's CA bundle (PEM). */
const ORG_CA = '/etc/ssl/certs/org-ca.pem';

/**
 * `docker run` line that locks inside the builder image, so the lock is made with the Python the
 * image runs. Values come from validated options; the index URL goes in through the environment.
 * With a CA bundle chosen, the lock must trust the organisation's CA as the build does: the host's
 * file named by CA_BUNDLE (default: the host's system bundle, which holds it on a managed machine)
 * is mounted and handed to pip, requests and uv; never a disabled check.
 */
export function inImage(options: Pick<Options, 'images' | 'indexUrl' | 'certBundle'>, script: string): string {
  const index = options.indexUrl ? ` -e PIP_INDEX_URL=${options.indexUrl}` : '';
  const ca = options.certBundle
    ? ` -v "\${CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}":${ORG_CA}:ro -e PIP_CERT=${ORG_CA} -e REQUESTS_CA_BUNDLE=${ORG_CA} -e SSL_CERT_FILE=${ORG_CA}`
    : '';
  return `docker run --rm -v "$PWD":/src -w /src${index}${ca} ${options.images.builder} sh -c '${script}'`;
}

export function pinned(versions: Record<string, string>, name: string): string {
  const version = versions[name];
  if (!version) throw new Error(`no pinned version for ${name} in the versions table`);
  return version;
}
