/**
 * Image references as registries read them: which host to ask, under which repository name, and
 * under which key the Docker config file keeps that host's credentials. Names are checked against
 * the reference grammar of distribution/reference before any of them reaches a URL.
 */
import { isDigest, parseImageRef } from '../audit/image-ref.ts';

export interface ImageLocation {
  /** The host (and port) the HTTP API is served on, e.g. `registry-1.docker.io`, `localhost:5000`. */
  host: string;
  /** The repository on that host, e.g. `library/python`, `base/distroless/python3-debian13`. */
  repository: string;
  tag: string | null;
  digest: string | null;
  /** The server address credential helpers and `auths` know the host by. */
  credentialKey: string;
}

/** Docker Hub: the API host, and the server address `docker login` stores its credentials under. */
export const DOCKER_HUB = { host: 'registry-1.docker.io', credentialKey: 'https://index.docker.io/v1/' } as const;
const HUB_NAMES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);

const DOMAIN = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:.]+\])(?::[0-9]{1,5})?$/;
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^\w[\w.-]{0,127}$/;

/** The API host for a registry name as written (`docker.io` and its aliases are Docker Hub's API host). */
export function apiHost(host: string): string {
  const lower = host.toLowerCase();
  return HUB_NAMES.has(lower) ? DOCKER_HUB.host : lower;
}

/**
 * Split and check a reference such as `python:3.13-slim`, `localhost:5000/base/python:3.13@sha256:…`.
 * Returns a reason instead when it is not one a registry would accept.
 */
export function locateImage(reference: string): ImageLocation | { invalid: string } {
  const { name, tag, digest } = parseImageRef(reference);
  if (name.length === 0 || name.length > 255) return { invalid: 'the name is empty or longer than 255 characters' };
  if (tag !== null && !TAG.test(tag)) return { invalid: `the tag "${tag}" is not valid (letters, digits, _ . -; at most 128)` };
  if (digest !== null && !isDigest(digest)) return { invalid: 'the digest is not sha256: followed by 64 lower-case hex digits' };
  const parts = name.split('/');
  // The first component is a host when it looks like one (docker's rule: a dot, a port, localhost, or capitals).
  const first = parts[0]!;
  const isHost = parts.length > 1 && (/[.:]/.test(first) || first === 'localhost' || first !== first.toLowerCase());
  if (isHost && !DOMAIN.test(first)) return { invalid: `"${first}" is not a registry host` };
  const path = isHost ? parts.slice(1) : parts;
  const bad = path.find((component) => !PATH_COMPONENT.test(component));
  if (bad !== undefined) return { invalid: `"${bad}" is not a valid repository name component (lower-case letters, digits, . _ -)` };
  const host = isHost ? apiHost(first) : DOCKER_HUB.host;
  const hub = host === DOCKER_HUB.host;
  return {
    host,
    repository: hub && path.length === 1 ? `library/${path[0]}` : path.join('/'),
    tag,
    digest,
    credentialKey: hub ? DOCKER_HUB.credentialKey : host,
  };
}

/** The host a Docker config key names: `https://host/v1/` -> `host` (docker's ConvertToHostname), hub aliases folded. */
export function hostOfKey(key: string): string {
  const bare = key.replace(/^[a-z]+:\/\//i, '').split('/')[0]!;
  return apiHost(bare);
}
