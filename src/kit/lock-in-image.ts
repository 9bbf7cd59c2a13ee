import type { Options } from '../options/types.ts';

/** Where the in-image lock command mounts the organisation's CA bundle (PEM). */
export const ORG_CA = '/etc/ssl/certs/org-ca.pem';

/** One language's lock, as the printed in-image command runs it. */
export interface InImageLock {
  /** The lock (install the pinned manager first where the image lacks it), for the image's `sh -c`. */
  script: string;
  /** What the lock writes in the project: handed to the project directory's owner afterwards. */
  writes: readonly string[];
  /** The mirror or proxy, through the environment (`-e NAME=value`). */
  env?: Readonly<Record<string, string>>;
  /** Variables that name the mounted CA bundle for the language's tools, when there is a bundle. */
  caVariables: readonly string[];
}

/**
 * The `docker run` line that locks inside the builder image (printed for the user, never run by
 * the CLI). Values come from validated options. With a CA bundle, the host's PEM file named by
 * CA_BUNDLE (default: the system bundle, which holds the company CA on a managed machine) is
 * mounted and named to the tools: trust is added, never a check turned off.
 *
 * The image runs the lock as its root, so on Linux the files it writes would belong to root in the
 * user's repository. The last step gives them to whoever owns the project directory, as the
 * container sees it: the user's ids under rootful Docker or Podman, and 0 (the user themself)
 * under rootless Docker or Podman, where passing `--user "$(id -u)"` would instead hand them to
 * a subordinate id. Run as root, it changes nothing.
 */
export function lockInImageCommand(options: Pick<Options, 'images' | 'certBundle'>, lock: InImageLock): string {
  const env = Object.entries(lock.env ?? {}).map(([name, value]) => ` -e ${name}=${value}`).join('');
  const ca =
    options.certBundle && lock.caVariables.length > 0
      ? ` -v "\${CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}":${ORG_CA}:ro${lock.caVariables.map((name) => ` -e ${name}=${ORG_CA}`).join('')}`
      : '';
  const handBack = lock.writes.length > 0 ? ` && chown "$(stat -c %u:%g .)" ${lock.writes.join(' ')}` : '';
  // The script sits in single quotes: a quote the printer put in it (an unusual argument) is closed and reopened.
  const script = `${lock.script}${handBack}`.replace(/'/g, `'\\''`);
  return `docker run --rm -v "$PWD":/src -w /src${env}${ca} ${options.images.builder} sh -c '${script}'`;
}
