/**
 * Registry credentials from the files `podman login` and `docker login` write, read in the order
 * of containers-auth.json(5): `$XDG_RUNTIME_DIR/containers/auth.json` (else
 * `/run/containers/UID/auth.json`), `${XDG_CONFIG_HOME:-~/.config}/containers/auth.json`,
 * `~/.docker/config.json`, `~/.dockercfg`. `REGISTRY_AUTH_FILE` names the only file to read;
 * `DOCKER_CONFIG` names the only directory, as docker reads it. The first file holding a credential
 * for the repository serves; in it, the most specific key (`host/a/b`, `host/a`, `host`), empty
 * entries passed over. `credHelpers` in any file; `credsStore` only in Docker's.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { readTextFile, UnreadableFile } from '../fs/read-text.ts';
import { entrySecret, parseDockerConfig, type AuthEntry, type DockerConfig, type Secret } from './docker-config.ts';
import { RegistryError } from './errors.ts';
import { apiHost, hostOfKey, type ImageLocation } from './reference.ts';

/** containers: auth.json (auths, credHelpers); docker: config.json (also credsStore); dockercfg: the legacy file, auths at the top. */
export type AuthFileFormat = 'containers' | 'docker' | 'dockercfg';

export interface AuthFile {
  path: string;
  format: AuthFileFormat;
}

const MAX_AUTH_FILE_BYTES = 1024 * 1024;

/** The files to look in, in order, for this environment. */
export function authFiles(env: NodeJS.ProcessEnv, uid: number = process.getuid?.() ?? 0): AuthFile[] {
  if (env.REGISTRY_AUTH_FILE) return [{ path: env.REGISTRY_AUTH_FILE, format: 'containers' }];
  if (env.DOCKER_CONFIG) return [{ path: join(env.DOCKER_CONFIG, 'config.json'), format: 'docker' }];
  const home = env.HOME || homedir();
  return [
    { path: env.XDG_RUNTIME_DIR ? join(env.XDG_RUNTIME_DIR, 'containers', 'auth.json') : `/run/containers/${uid}/auth.json`, format: 'containers' },
    { path: join(env.XDG_CONFIG_HOME || join(home, '.config'), 'containers', 'auth.json'), format: 'containers' },
    { path: join(home, '.docker', 'config.json'), format: 'docker' },
    { path: join(home, '.dockercfg'), format: 'dockercfg' },
  ];
}

/**
 * A key as the containers tools read it: `https://host/v1/` (Docker's spelling) names the host
 * alone; `host/ns/repo` a namespace or repository on it. The host as its API host (Docker Hub folded).
 */
export function normalizeKey(key: string): string {
  if (/^https?:\/\//i.test(key)) return hostOfKey(key);
  const [host, ...path] = key.split('/');
  return [apiHost(host!), ...path].join('/');
}

/** The keys that may hold credentials for a repository, most specific first: `host/a/b`, `host/a`, `host`. */
export function lookupKeys(host: string, repository: string): string[] {
  const parts = repository.split('/');
  return parts.map((_, i) => [host, ...parts.slice(0, parts.length - i)].join('/')).concat(host);
}

/** The `auths` entry that serves a repository, or the keys that matched but were empty. */
export function matchAuths(auths: Record<string, AuthEntry>, host: string, repository: string): { key: string; secret: Secret } | { empty: string[] } {
  const empty: string[] = [];
  const entries = Object.entries(auths).map(([key, entry]) => ({ key, entry, normalized: normalizeKey(key) }));
  for (const wanted of lookupKeys(host, repository)) {
    for (const { key, entry, normalized } of entries) {
      if (normalized !== wanted) continue;
      const secret = entrySecret(entry);
      if (secret) return { key, secret };
      empty.push(key);
    }
  }
  return { empty };
}

/** One file read: its entries, or why it holds none (it does not exist). Malformed files are errors, as for the tools. */
export function loadAuthFile(file: AuthFile): DockerConfig | { missing: string } {
  let text: string;
  try {
    text = readTextFile(file.path, { maxBytes: MAX_AUTH_FILE_BYTES });
  } catch (error) {
    if (error instanceof UnreadableFile && error.reason === 'does not exist') return { missing: 'does not exist' };
    throw new RegistryError('input', error instanceof UnreadableFile ? `${error.path} ${error.reason} (a registry credentials file)` : String(error));
  }
  return parseAuthFile(text, file);
}

/** Parse one file's text in its format (the legacy .dockercfg keeps its entries at the top level). */
export function parseAuthFile(text: string, file: AuthFile): DockerConfig {
  let body = text;
  if (file.format === 'dockercfg') {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      throw new RegistryError('input', `${file.path} is not valid JSON (the legacy Docker credentials file)`);
    }
    body = JSON.stringify({ auths: raw });
  }
  const config = parseDockerConfig(body, file.path);
  // credsStore is Docker's alone: podman ignores it in auth.json.
  return file.format === 'docker' ? config : { ...config, credsStore: undefined };
}

/** Runs a credential helper for a server address (credential-helper.ts), memoized by the caller. */
export type RunHelper = (helper: string, serverAddress: string) => Promise<Secret | undefined>;

export interface FoundCredentials {
  secret?: Secret;
  /** Where the secret came from; when none was found, every file looked in and why it did not serve. */
  who: string;
  /** The file it came from. */
  file?: string;
}

/** The credential for one repository: the first file that holds one, in the order of authFiles. */
export async function findCredentials(location: ImageLocation, files: readonly AuthFile[], runHelper: RunHelper, load = loadAuthFile): Promise<FoundCredentials> {
  const { host, repository, credentialKey } = location;
  const reasons: string[] = [];
  for (const file of files) {
    const config = load(file);
    if ('missing' in config) {
      reasons.push(`${file.path} (${config.missing})`);
      continue;
    }
    const why: string[] = [];
    const helper = Object.entries(config.credHelpers).find(([key]) => hostOfKey(key) === host)?.[1] ?? config.credsStore;
    if (helper) {
      const secret = await runHelper(helper, credentialKey);
      if (secret) return { secret, who: `credential helper docker-credential-${helper} (${file.path})`, file: file.path };
      why.push(`docker-credential-${helper} has no credentials for ${credentialKey}`);
    }
    const match = matchAuths(config.auths, host, repository);
    if ('secret' in match) return { secret: match.secret, who: `auths "${match.key}" in ${file.path}`, file: file.path };
    if (match.empty.length > 0) why.push(`${match.empty.map((key) => `"${key}"`).join(', ')} ${match.empty.length === 1 ? 'is' : 'are'} empty`);
    else why.push(`no entry for ${host}/${repository} or a namespace of it`);
    reasons.push(`${file.path} (${why.join('; ')})`);
  }
  return { who: `no credentials were found in ${reasons.join(', ')}` };
}

/** What to run to store a credential for a host. */
export const loginAdvice = (host: string): string => `run podman login ${host} or docker login ${host}`;
