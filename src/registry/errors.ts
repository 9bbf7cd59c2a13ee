/** What went wrong talking to a registry, as a kind callers can act on and a message users can read. */
export type RegistryErrorKind =
  /** Connection refused, DNS, reset: the registry could not be reached. */
  | 'unreachable'
  | 'timeout'
  /** The certificate was not trusted (or the server did not speak TLS); never retried over http. */
  | 'tls'
  /** Credentials were missing, refused, or could not be obtained from the Docker config. */
  | 'auth'
  | 'not-found'
  /** An answer that does not follow the HTTP API v2 (bad status, too large, wrong media type). */
  | 'protocol'
  /** An invalid reference, or a setting (config file, CA bundle) that cannot be used. */
  | 'input'
  | 'cancelled';

export class RegistryError extends Error {
  constructor(
    readonly kind: RegistryErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'RegistryError';
  }
}

const TLS_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REVOKED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** A socket-level failure, said in terms of the host and what to do about it. */
export function networkError(host: string, error: unknown, signal: AbortSignal): RegistryError {
  if (error instanceof RegistryError) return error;
  const { code, message } = error as NodeJS.ErrnoException;
  if (signal.aborted) {
    const reason = signal.reason as Error | undefined;
    if (reason?.name === 'TimeoutError') return new RegistryError('timeout', `${host} did not answer in time`);
    return new RegistryError('cancelled', `the request to ${host} was cancelled`);
  }
  if (code === 'ETIMEDOUT') return new RegistryError('timeout', `${host} did not answer in time`);
  if (code && TLS_CODES.has(code)) {
    return new RegistryError(
      'tls',
      `${host}: TLS certificate not trusted (${code}); trust your organisation's CA (NODE_EXTRA_CA_CERTS or SSL_CERT_FILE; pin also takes --ca-bundle FILE); verification is never turned off`,
    );
  }
  if (code === 'EPROTO' || code === 'ERR_SSL_WRONG_VERSION_NUMBER' || /wrong version number|packet length too long/i.test(message ?? '')) {
    return new RegistryError('tls', `${host} did not answer over TLS (plain http?); registries are only spoken to over https`);
  }
  return new RegistryError('unreachable', `${host} unreachable (${code ?? message ?? 'network error'})`);
}
