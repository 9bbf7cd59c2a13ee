/**
 * Registry credentials from the Docker config file, read the way the docker CLI reads them:
 * `$DOCKER_CONFIG/config.json` or `~/.docker/config.json`; `credHelpers` per host, then
 * `credsStore`, then `auths` (`auth` as base64 `user:password`, or `username`/`password`,
 * `identitytoken`, `registrytoken`). Keys are matched by host, whatever scheme or path they carry.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { readTextFile, UnreadableFile } from '../fs/read-text.ts';
import { RegistryError } from './errors.ts';
import { hostOfKey } from './reference.ts';

export type Secret =
  | { kind: 'basic'; username: string; password: string }
  /** An OAuth2 refresh token (`identitytoken`, or a helper's `<token>` user): exchanged at the token endpoint. */
  | { kind: 'identity-token'; token: string }
  /** A bearer token to send as it is (`registrytoken`). */
  | { kind: 'registry-token'; token: string };

export interface AuthEntry {
  auth?: string;
  username?: string;
  password?: string;
  identitytoken?: string;
  registrytoken?: string;
}

export interface DockerConfig {
  path: string;
  auths: Record<string, AuthEntry>;
  credHelpers: Record<string, string>;
  credsStore?: string;
}

/** Where credentials for one host come from: a helper to run, or an `auths` entry. */
export type CredentialSource =
  | { kind: 'helper'; helper: string; configPath: string; fallback?: { key: string; entry: AuthEntry } }
  | { kind: 'auths'; key: string; entry: AuthEntry; configPath: string };

const MAX_CONFIG_BYTES = 1024 * 1024;
// A helper name becomes part of an executable's name: nothing that could leave PATH lookup.
const HELPER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function dockerConfigPath(env: NodeJS.ProcessEnv): string {
  return env.DOCKER_CONFIG ? join(env.DOCKER_CONFIG, 'config.json') : join(env.HOME || homedir(), '.docker', 'config.json');
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Parse config.json text; `path` only names the file in errors. */
export function parseDockerConfig(text: string, path: string): DockerConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new RegistryError('input', `${path} is not valid JSON (the Docker config file)`);
  }
  if (!isObject(raw)) throw new RegistryError('input', `${path} is not a JSON object (the Docker config file)`);
  const auths: Record<string, AuthEntry> = {};
  if (isObject(raw.auths)) {
    for (const [key, value] of Object.entries(raw.auths)) {
      if (!isObject(value)) continue;
      const entry: AuthEntry = {};
      for (const field of ['auth', 'username', 'password', 'identitytoken', 'registrytoken'] as const) {
        if (typeof value[field] === 'string') entry[field] = value[field] as string;
      }
      auths[key] = entry;
    }
  }
  const credHelpers: Record<string, string> = {};
  if (isObject(raw.credHelpers)) {
    for (const [key, value] of Object.entries(raw.credHelpers)) if (typeof value === 'string') credHelpers[key] = value;
  }
  const credsStore = typeof raw.credsStore === 'string' && raw.credsStore !== '' ? raw.credsStore : undefined;
  for (const helper of [...Object.values(credHelpers), ...(credsStore ? [credsStore] : [])]) {
    if (!HELPER_NAME.test(helper)) throw new RegistryError('input', `${path}: "${helper}" is not a credential helper name (docker-credential-<name>)`);
  }
  return { path, auths, credHelpers, credsStore };
}

/** The config file, or undefined when there is none. */
export function loadDockerConfig(env: NodeJS.ProcessEnv): DockerConfig | undefined {
  const path = dockerConfigPath(env);
  let text: string;
  try {
    text = readTextFile(path, { maxBytes: MAX_CONFIG_BYTES });
  } catch (error) {
    if (error instanceof UnreadableFile && error.reason === 'does not exist') return undefined;
    throw new RegistryError('input', error instanceof UnreadableFile ? `${error.path} ${error.reason} (the Docker config file)` : String(error));
  }
  return parseDockerConfig(text, path);
}

/** The source of credentials for an API host (see reference.ts apiHost), or undefined. */
export function credentialSource(config: DockerConfig, host: string): CredentialSource | undefined {
  const byHost = <T>(record: Record<string, T>): [string, T] | undefined => Object.entries(record).find(([key]) => hostOfKey(key) === host);
  const auths = byHost(config.auths);
  const fallback = auths ? { key: auths[0], entry: auths[1] } : undefined;
  const helper = byHost(config.credHelpers)?.[1] ?? config.credsStore;
  if (helper) return { kind: 'helper', helper, configPath: config.path, fallback };
  if (auths) return { kind: 'auths', key: auths[0], entry: auths[1], configPath: config.path };
  return undefined;
}

/** The secret an `auths` entry holds, or undefined for an empty entry (as `credsStore` leaves them). */
export function entrySecret(entry: AuthEntry): Secret | undefined {
  if (entry.identitytoken) return { kind: 'identity-token', token: entry.identitytoken };
  if (entry.registrytoken) return { kind: 'registry-token', token: entry.registrytoken };
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) return { kind: 'basic', username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
    return undefined;
  }
  if (entry.username && entry.password !== undefined) return { kind: 'basic', username: entry.username, password: entry.password };
  return undefined;
}

/** Where a secret came from, for messages: never the secret itself. */
export function describeSource(source: CredentialSource): string {
  if (source.kind === 'helper') return `credential helper docker-credential-${source.helper} (${source.configPath})`;
  return `auths "${source.key}" in ${source.configPath}`;
}
