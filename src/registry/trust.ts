/**
 * Which CAs a registry's certificate may chain to. Node trusts its bundled Mozilla CAs plus
 * NODE_EXTRA_CA_CERTS (read by Node itself at start-up). An organisation's CA can also come from
 * SSL_CERT_FILE (what curl, Go and OpenSSL read, and what the generated images set) or from pin's
 * --ca-bundle; both are added to Node's CAs, never replacing verification or Node's list.
 */
import { X509Certificate } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import { readTextFile, UnreadableFile } from '../fs/read-text.ts';
import { RegistryError } from './errors.ts';

const MAX_BUNDLE_BYTES = 8 * 1024 * 1024;
const PEM = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * The PEM certificates in a file, but those in `known` (PEM bodies), which are neither checked nor
 * returned; `what` names its source in errors (`--ca-bundle`, `SSL_CERT_FILE`).
 */
export function readCertificates(path: string, what: string, known: ReadonlySet<string> = new Set()): string[] {
  let text: string;
  try {
    text = readTextFile(path, { maxBytes: MAX_BUNDLE_BYTES });
  } catch (error) {
    const reason = error instanceof UnreadableFile ? error.reason : String(error);
    throw new RegistryError('input', `${what} ${path} ${reason}`);
  }
  const pems = text.match(PEM) ?? [];
  if (pems.length === 0) throw new RegistryError('input', `${what} ${path} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  const fresh = pems.filter((pem) => !known.has(body(pem)));
  for (const pem of fresh) {
    try {
      new X509Certificate(pem);
    } catch {
      throw new RegistryError('input', `${what} ${path} holds a certificate that cannot be parsed`);
    }
  }
  return fresh;
}

/** A PEM certificate's body, whatever its line breaks: two files holding one CA compare equal. */
const body = (pem: string) => pem.replace(/-----[A-Z ]+-----|\s+/g, '');

/**
 * The CAs Node trusts already, as PEM bodies: its bundled ones and NODE_EXTRA_CA_CERTS (read as
 * text, not parsed: Node parsed it at start-up, and a file it could not use is simply not there).
 */
function nodeCertificates(env: NodeJS.ProcessEnv): Set<string> {
  return new Set([...rootCertificates, ...extraCertificates(env)].map(body));
}

/**
 * The CAs to add to Node's own (its bundled ones and NODE_EXTRA_CA_CERTS, which Node reads at
 * start-up): those of SSL_CERT_FILE or a bundle that Node does not have already, each parsed once
 * to check it, or undefined when there are none. A system bundle as SSL_CERT_FILE mostly repeats
 * Node's CAs: those are neither parsed again nor added (registry/http.ts adds the rest).
 */
export function trustedCertificates(env: NodeJS.ProcessEnv, caBundle?: string): string[] | undefined {
  const given = [
    ...(env.SSL_CERT_FILE ? [{ path: env.SSL_CERT_FILE, what: 'SSL_CERT_FILE' }] : []),
    ...(caBundle !== undefined ? [{ path: caBundle, what: '--ca-bundle' }] : []),
  ];
  if (given.length === 0) return undefined;
  const known = nodeCertificates(env);
  const added = given.flatMap(({ path, what }) => readCertificates(path, what, known));
  if (added.length === 0) return undefined;
  // The context that takes the added CAs starts from a copy of Node's bundled store, which does not
  // hold NODE_EXTRA_CA_CERTS (seen: a registry signed by that CA failed as soon as SSL_CERT_FILE
  // added any CA): those go in again.
  return [...extraCertificates(env), ...added];
}

/** NODE_EXTRA_CA_CERTS's certificates (none when unset or unreadable: Node has warned already). */
function extraCertificates(env: NodeJS.ProcessEnv): string[] {
  if (!env.NODE_EXTRA_CA_CERTS) return [];
  try {
    return readTextFile(env.NODE_EXTRA_CA_CERTS, { maxBytes: MAX_BUNDLE_BYTES }).match(PEM) ?? [];
  } catch {
    return [];
  }
}
