import { request } from 'node:https';
import { splitImage } from '../options/validate.ts';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * One HTTPS request with node:https (lighter to load than fetch/undici: generation stays fast).
 * TLS is verified with Node's CAs plus NODE_EXTRA_CA_CERTS.
 */
function get(url: string | URL, method: 'GET' | 'HEAD', headers: Record<string, string>, signal: AbortSignal): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, signal }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += body.length < 65_536 ? chunk : ''));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const header = (answer: Answer, name: string): string | undefined => {
  const value = answer.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

/** Registry host and repository of a reference, with Docker Hub's implicit names made explicit. */
export function registryOf(repository: string): { host: string; name: string } {
  const [first, ...rest] = repository.split('/');
  const isHost = rest.length > 0 && (first!.includes('.') || first!.includes(':') || first === 'localhost');
  if (isHost) return { host: first!, name: rest.join('/') };
  return { host: 'registry-1.docker.io', name: rest.length ? repository : `library/${repository}` };
}

async function bearerToken(challenge: string, signal: AbortSignal): Promise<string | undefined> {
  const params = Object.fromEntries([...challenge.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
  if (!params.realm) return undefined;
  const url = new URL(params.realm);
  if (params.service) url.searchParams.set('service', params.service);
  if (params.scope) url.searchParams.set('scope', params.scope);
  const response = await get(url, 'GET', {}, signal);
  if (response.status !== 200) return undefined;
  const body = JSON.parse(response.body) as { token?: string; access_token?: string };
  return body.token ?? body.access_token;
}

/**
 * The digest a registry reports for `image:tag` (HTTP API v2, anonymous token if challenged), or
 * an error message.
 */
export async function resolveDigest(ref: string, signal: AbortSignal): Promise<{ digest: string } | { error: string }> {
  const { repository, tag, digest } = splitImage(ref);
  if (digest) return { digest };
  const { host, name } = registryOf(repository);
  const url = `https://${host}/v2/${name}/manifests/${tag}`;
  try {
    let response = await get(url, 'HEAD', { Accept: MANIFEST_TYPES }, signal);
    const challenge = header(response, 'www-authenticate');
    if (response.status === 401 && challenge?.startsWith('Bearer')) {
      const token = await bearerToken(challenge, signal);
      if (token) response = await get(url, 'HEAD', { Accept: MANIFEST_TYPES, Authorization: `Bearer ${token}` }, signal);
    }
    const found = header(response, 'docker-content-digest');
    if (response.status === 200 && found && /^sha256:[a-f0-9]{64}$/.test(found)) return { digest: found };
    return { error: `${host} answered ${response.status}` };
  } catch (error) {
    const { code, name } = error as NodeJS.ErrnoException;
    return { error: `${host} unreachable (${signal.aborted ? 'timed out' : (code ?? name)})` };
  }
}

export interface PinResult {
  pinned: Record<string, string>;
  unpinned: { ref: string; error: string }[];
}

/** Pin every reference without a digest to `ref@sha256:…` where its registry answers in time. */
export async function pinDigests(refs: readonly string[], timeoutMs = 2500, cancel?: AbortSignal): Promise<PinResult> {
  const signal = cancel ? AbortSignal.any([AbortSignal.timeout(timeoutMs), cancel]) : AbortSignal.timeout(timeoutMs);
  const result: PinResult = { pinned: {}, unpinned: [] };
  const unique = [...new Set(refs)];
  const answers = await Promise.all(unique.map((ref) => resolveDigest(ref, signal)));
  unique.forEach((ref, i) => {
    const answer = answers[i]!;
    if ('digest' in answer) result.pinned[ref] = splitImage(ref).digest ? ref : `${ref}@${answer.digest}`;
    else result.unpinned.push({ ref, error: answer.error });
  });
  return result;
}
