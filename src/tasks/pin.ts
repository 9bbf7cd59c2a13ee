import { RegistryClient } from '../registry/client.ts';
import { RegistryError } from '../registry/errors.ts';
import { trustedCertificates } from '../registry/trust.ts';

export interface PinResult {
  pinned: Record<string, string>;
  unpinned: { ref: string; error: string }[];
}

/**
 * Pin every reference without a digest to `ref@sha256:…` where its registry answers in time (the
 * wizard's fix 6). Credentials and CAs as for `pin` (src/registry/); a failure only leaves a tag.
 */
export async function pinDigests(refs: readonly string[], env: NodeJS.ProcessEnv, timeoutMs = 2500, cancel?: AbortSignal): Promise<PinResult> {
  const signal = cancel ? AbortSignal.any([AbortSignal.timeout(timeoutMs), cancel]) : AbortSignal.timeout(timeoutMs);
  const result: PinResult = { pinned: {}, unpinned: [] };
  const unique = [...new Set(refs)];
  let client: RegistryClient;
  try {
    client = new RegistryClient({ env, ca: trustedCertificates(env), signal, requestTimeoutMs: timeoutMs });
  } catch (error) {
    // SSL_CERT_FILE that cannot be used: no lookup can be trusted, so none is made.
    for (const ref of unique) result.unpinned.push({ ref, error: (error as Error).message });
    return result;
  }
  const answers = await Promise.all(
    unique.map((ref) =>
      // A reference that names a digest is pinned already (references were checked: '@' only comes before one).
      ref.includes('@')
        ? Promise.resolve(ref)
        : client.digest(ref).then(
            (digest) => `${ref}@${digest}`,
            (error: unknown) => (error instanceof RegistryError ? error : new RegistryError('protocol', String(error))),
          ),
    ),
  );
  unique.forEach((ref, i) => {
    const answer = answers[i]!;
    if (typeof answer === 'string') result.pinned[ref] = answer;
    else result.unpinned.push({ ref, error: answer.message });
  });
  return result;
}
