import { splitImage } from '../options/validate.ts';

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
  const response = await fetch(url, { signal });
  if (!response.ok) return undefined;
  const body = (await response.json()) as { token?: string; access_token?: string };
  return body.token ?? body.access_token;
}

/**
 * The digest a registry reports for `image:tag` (HTTP API v2, anonymous token if challenged), or
 * an error message. TLS is verified with Node's CAs plus NODE_EXTRA_CA_CERTS.
 */
export async function resolveDigest(ref: string, signal: AbortSignal): Promise<{ digest: string } | { error: string }> {
  const { repository, tag, digest } = splitImage(ref);
  if (digest) return { digest };
  const { host, name } = registryOf(repository);
  const url = `https://${host}/v2/${name}/manifests/${tag}`;
  try {
    let response = await fetch(url, { method: 'HEAD', headers: { Accept: MANIFEST_TYPES }, signal });
    const challenge = response.headers.get('www-authenticate');
    if (response.status === 401 && challenge?.startsWith('Bearer')) {
      const token = await bearerToken(challenge, signal);
      if (token) response = await fetch(url, { method: 'HEAD', headers: { Accept: MANIFEST_TYPES, Authorization: `Bearer ${token}` }, signal });
    }
    const found = response.headers.get('docker-content-digest');
    if (response.ok && found && /^sha256:[a-f0-9]{64}$/.test(found)) return { digest: found };
    return { error: `${host} answered ${response.status}` };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return { error: `${host} unreachable (${cause?.code ?? cause?.message ?? (error as Error).name})` };
  }
}

export interface PinResult {
  pinned: Record<string, string>;
  unpinned: { ref: string; error: string }[];
}

/** Pin every reference without a digest to `ref@sha256:…` where its registry answers in time. */
export async function pinDigests(refs: readonly string[], timeoutMs = 2500): Promise<PinResult> {
  const signal = AbortSignal.timeout(timeoutMs);
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
