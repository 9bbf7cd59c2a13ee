/**
 * Which CAs a registry's certificate may chain to. Node trusts its bundled Mozilla CAs plus
 * NODE_EXTRA_CA_CERTS (read by Node itself at start-up). An organisation's CA can also come from
 * SSL_CERT_FILE (what curl, Go and OpenSSL read, and what the generated images set) or from pin's
 * --ca-bundle; both are added to Node's CAs, never replacing verification or Node's list. Where
 * they add any, the lookups get one list of all of them (registry/http.ts hands it to TLS as `ca`).
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
 * Every CA a registry lookup trusts, as one list: Node's bundled CAs, NODE_EXTRA_CA_CERTS, and those
 * of SSL_CERT_FILE and the bundle that are not among them (each parsed once to check it); or
 * undefined when SSL_CERT_FILE and the bundle add none, and Node's own trust (the same CAs, parsed at
 * start-up) serves. A system bundle as SSL_CERT_FILE mostly repeats Node's CAs: those are neither
 * parsed again nor listed twice.
 */
export function trustedCertificates(env: NodeJS.ProcessEnv, caBundle?: string): string[] | undefined {
  const given = [
    ...(env.SSL_CERT_FILE ? [{ path: env.SSL_CERT_FILE, what: 'SSL_CERT_FILE' }] : []),
    ...(caBundle !== undefined ? [{ path: caBundle, what: '--ca-bundle' }] : []),
  ];
  if (given.length === 0) return undefined;
  const extra = extraCertificates(env);
  const known = new Set([...rootCertificates, ...extra].map(body));
  const added = given.flatMap(({ path, what }) => readCertificates(path, what, known));
  if (added.length === 0) return undefined;
  // A `ca` list replaces Node's trust rather than adding to it: NODE_EXTRA_CA_CERTS goes in too (a
  // list without it once broke every lookup of a registry signed by that CA as soon as SSL_CERT_FILE
  // added any CA).
  return [...rootCertificates, ...extra, ...added];
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
