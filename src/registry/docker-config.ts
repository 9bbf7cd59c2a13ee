/**
 * The Docker config file's format, which `podman login`'s auth.json shares: `credHelpers` per host,
 * `credsStore`, and `auths` (`auth` as base64 `user:password`, or `username`/`password`,
 * `identitytoken`, `registrytoken`). Which files are read, in which order, and which key serves a
 * repository: auth-files.ts.
 */
import { RegistryError } from './errors.ts';

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

// A helper name becomes part of an executable's name: nothing that could leave PATH lookup.
const HELPER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

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
