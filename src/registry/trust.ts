/**
 * Which CAs a registry's certificate may chain to. Node trusts its bundled Mozilla CAs plus
 * NODE_EXTRA_CA_CERTS (read by Node itself at start-up). An organisation's CA can also come from
 * SSL_CERT_FILE (what curl, Go and OpenSSL read, and what the generated images set) or from pin's
 * --ca-bundle; both are added to Node's CAs, never replacing verification.
 */
import { X509Certificate } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import { readTextFile, UnreadableFile } from '../fs/read-text.ts';
import { RegistryError } from './errors.ts';

const MAX_BUNDLE_BYTES = 8 * 1024 * 1024;
const PEM = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** The PEM certificates in a file; `what` names its source in errors (`--ca-bundle`, `SSL_CERT_FILE`). */
export function readCertificates(path: string, what: string): string[] {
  let text: string;
  try {
    text = readTextFile(path, { maxBytes: MAX_BUNDLE_BYTES });
  } catch (error) {
    const reason = error instanceof UnreadableFile ? error.reason : String(error);
    throw new RegistryError('input', `${what} ${path} ${reason}`);
  }
  const pems = text.match(PEM) ?? [];
  if (pems.length === 0) throw new RegistryError('input', `${what} ${path} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  for (const pem of pems) {
    try {
      new X509Certificate(pem);
    } catch {
      throw new RegistryError('input', `${what} ${path} holds a certificate that cannot be parsed`);
    }
  }
  return pems;
}

/** NODE_EXTRA_CA_CERTS as Node reads it: a file it cannot use is skipped (Node has warned already). */
function nodeExtraCertificates(env: NodeJS.ProcessEnv): string[] {
  if (!env.NODE_EXTRA_CA_CERTS) return [];
  try {
    return readCertificates(env.NODE_EXTRA_CA_CERTS, 'NODE_EXTRA_CA_CERTS');
  } catch {
    return [];
  }
}

/**
 * The `ca` option for TLS: undefined (Node's own CAs, NODE_EXTRA_CA_CERTS included) unless
 * SSL_CERT_FILE or a bundle adds some; then Node's CAs, NODE_EXTRA_CA_CERTS and those together,
 * since an explicit `ca` replaces Node's list.
 */
export function trustedCertificates(env: NodeJS.ProcessEnv, caBundle?: string): string[] | undefined {
  const added = [
    ...(env.SSL_CERT_FILE ? readCertificates(env.SSL_CERT_FILE, 'SSL_CERT_FILE') : []),
    ...(caBundle !== undefined ? readCertificates(caBundle, '--ca-bundle') : []),
  ];
  if (added.length === 0) return undefined;
  return [...rootCertificates, ...nodeExtraCertificates(env), ...added];
}
