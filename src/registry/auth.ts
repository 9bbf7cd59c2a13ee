/**
 * Answering a registry's `WWW-Authenticate` challenge: Basic with the configured credentials, or
 * Bearer through the token endpoint it names (anonymous, with Basic credentials, or an OAuth2
 * refresh token), as in the distribution token specification.
 */
import { RegistryError } from './errors.ts';
import type { Secret } from './docker-config.ts';
import { send, type Transport } from './http.ts';

export interface Challenge {
  scheme: 'basic' | 'bearer';
  params: Record<string, string>;
}

/** The first Basic or Bearer challenge of a `WWW-Authenticate` value, with its parameters. */
export function parseChallenge(value: string): Challenge | undefined {
  const match = /^\s*(Basic|Bearer)\b\s*(.*)$/i.exec(value);
  if (!match) return undefined;
  const params: Record<string, string> = {};
  for (const m of match[2]!.matchAll(/([A-Za-z_][\w-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,"]*))/g)) {
    params[m[1]!.toLowerCase()] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]!;
  }
  return { scheme: match[1]!.toLowerCase() as Challenge['scheme'], params };
}

export const basicHeader = (username: string, password: string): string => `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

const MAX_TOKEN_BYTES = 256 * 1024;

/**
 * A bearer token for `scope` from the challenge's realm. `secret` undefined: anonymous (public
 * images). Throws RegistryError('auth') when the endpoint refuses; `who` says whose credentials
 * those were (never the credentials).
 */
export async function fetchToken(challenge: Challenge, scope: string, secret: Secret | undefined, who: string, transport: Transport): Promise<string> {
  const { realm, service } = challenge.params;
  let url: URL;
  try {
    url = new URL(realm ?? '');
  } catch {
    throw new RegistryError('protocol', `the registry's token realm "${realm ?? ''}" is not a URL`);
  }
  // Credentials go to the token endpoint only over https, like everything else.
  if (url.protocol !== 'https:') throw new RegistryError('tls', `refusing the token endpoint ${url.protocol}//${url.host}: only https is used`);
  const headers: Record<string, string> = { Accept: 'application/json' };
  let response;
  if (secret?.kind === 'identity-token') {
    const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: secret.token, client_id: 'create-hardened-service', scope });
    if (service) form.set('service', service);
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    response = await send({ method: 'POST', url, headers, body: form.toString(), maxBytes: MAX_TOKEN_BYTES }, transport);
  } else {
    if (service) url.searchParams.set('service', service);
    url.searchParams.set('scope', scope);
    if (secret?.kind === 'basic') headers.Authorization = basicHeader(secret.username, secret.password);
    response = await send({ method: 'GET', url, headers, maxBytes: MAX_TOKEN_BYTES }, transport);
  }
  if (response.status === 401 || response.status === 403) {
    throw new RegistryError(
      'auth',
      secret
        ? `${url.host} refused the credentials from ${who} (${response.status})`
        : `${url.host} wants credentials for ${scope} (${response.status}) and none are configured: run podman login or docker login`,
    );
  }
  if (response.status !== 200) throw new RegistryError('protocol', `the token endpoint ${url.host} answered ${response.status}`);
  let body: { token?: unknown; access_token?: unknown };
  try {
    body = JSON.parse(response.body.toString('utf8')) as typeof body;
  } catch {
    throw new RegistryError('protocol', `the token endpoint ${url.host} did not answer JSON`);
  }
  const token = typeof body.token === 'string' && body.token ? body.token : body.access_token;
  if (typeof token !== 'string' || token === '') throw new RegistryError('protocol', `the token endpoint ${url.host} gave no token`);
  return token;
}
