/**
 * The one registry client of the product (the wizard's digest pinning and `pin` both use it):
 * the digest a registry reports for `image:tag` through the HTTP API v2, with authentication as
 * the docker CLI does it and requests bounded in time, size and number at once.
 */
import { createHash } from 'node:crypto';
import { isDigest } from '../audit/image-ref.ts';
import { VERSION } from '../version.ts';
import { basicHeader, fetchToken, parseChallenge, type Challenge } from './auth.ts';
import { helperSecret } from './credential-helper.ts';
import { authFiles, findCredentials, loginAdvice, type AuthFile } from './auth-files.ts';
import type { Secret } from './docker-config.ts';
import { RegistryError } from './errors.ts';
import { header, send, type HttpResponse, type Transport } from './http.ts';
import { locateImage, type ImageLocation } from './reference.ts';

export interface ClientOptions {
  /** Where REGISTRY_AUTH_FILE, DOCKER_CONFIG, XDG_RUNTIME_DIR, XDG_CONFIG_HOME and HOME come from. */
  env: NodeJS.ProcessEnv;
  /** Told, once per repository, where the credential sent to it came from (a file, never the secret). */
  onCredentials?: (repository: string, who: string) => void;
  /** Trusted CAs (trust.ts trustedCertificates); undefined: Node's own. */
  ca?: string[];
  /** Ends every request and helper still running (a deadline, Ctrl-C). */
  signal: AbortSignal;
  /** @default 15000 */
  requestTimeoutMs?: number;
  /** @default 10000 */
  helperTimeoutMs?: number;
  /** Requests in flight at once. @default 4 */
  concurrency?: number;
}

// An index first: the digest pinned is the multi-platform one, so every platform keeps building.
const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
];
// distribution refuses manifests over 4 MiB.
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

interface Credentials {
  secret?: Secret;
  /** Where the secret came from, or where none was found: for messages. */
  who: string;
}

export class RegistryClient {
  private readonly transport: Transport;
  private readonly credentials = new Map<string, Promise<Credentials>>();
  private readonly helpers = new Map<string, Promise<Secret | undefined>>();
  private readonly authorizations = new Map<string, { header: string } & Credentials>();
  private readonly files: AuthFile[];
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly options: ClientOptions) {
    this.transport = { ca: options.ca, signal: options.signal, timeoutMs: options.requestTimeoutMs ?? 15_000 };
    this.files = authFiles(options.env);
  }

  /** The digest `reference`'s tag (`latest` when it names none) points at now. Throws RegistryError. */
  async digest(reference: string): Promise<string> {
    const location = locateImage(reference);
    if ('invalid' in location) throw new RegistryError('input', `${reference} is not a valid image reference: ${location.invalid}`);
    const tag = location.tag ?? 'latest';
    await this.slot();
    try {
      return await this.manifestDigest(location, tag);
    } finally {
      this.release();
    }
  }

  private async slot(): Promise<void> {
    if (this.running < (this.options.concurrency ?? 4)) {
      this.running++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }

  private async manifestDigest(location: ImageLocation, tag: string): Promise<string> {
    const where = `${location.host}/${location.repository}:${tag}`;
    const url = new URL(`https://${location.host}/v2/${location.repository}/manifests/${tag}`);
    const head = await this.request(location, 'HEAD', url, 0);
    if (head.status === 200) {
      refuseSchema1(head, where);
      const reported = header(head, 'docker-content-digest');
      if (reported && isDigest(reported)) return reported;
    } else if (head.status === 404) {
      throw new RegistryError('not-found', `${where} not found (404)`);
    } else if (head.status !== 405) {
      throw new RegistryError('protocol', `${location.host} answered ${head.status} for ${where}`);
    }
    // No digest header on HEAD (or no HEAD at all): the body's own sha256 is the digest.
    const get = await this.request(location, 'GET', url, MAX_MANIFEST_BYTES);
    if (get.status === 404) throw new RegistryError('not-found', `${where} not found (404)`);
    if (get.status !== 200) throw new RegistryError('protocol', `${location.host} answered ${get.status} for ${where}`);
    refuseSchema1(get, where);
    const reported = header(get, 'docker-content-digest');
    if (reported && isDigest(reported)) return reported;
    const type = (header(get, 'content-type') ?? '').split(';')[0]!.trim();
    if (!MANIFEST_TYPES.includes(type)) throw new RegistryError('protocol', `${location.host} answered ${where} with "${type}", not an image manifest or index`);
    return `sha256:${createHash('sha256').update(get.body).digest('hex')}`;
  }

  /** One request, answering a 401 challenge once; a refusal after that is an auth error. */
  private async request(location: ImageLocation, method: 'GET' | 'HEAD', url: URL, maxBytes: number): Promise<HttpResponse> {
    const key = `${location.host}/${location.repository}`;
    const headers: Record<string, string> = { Accept: MANIFEST_TYPES.join(', '), 'User-Agent': `create-hardened-service/${VERSION}` };
    const cached = this.authorizations.get(key);
    let response = await send({ method, url, headers: cached ? { ...headers, Authorization: cached.header } : headers, maxBytes }, this.transport);
    let credentials: Credentials | undefined = cached ? { secret: cached.secret, who: cached.who } : undefined;
    if (response.status === 401) {
      const challenge = parseChallenge(header(response, 'www-authenticate') ?? '');
      if (!challenge) throw new RegistryError('auth', `${location.host} answered 401 for ${location.repository} without a Basic or Bearer challenge`);
      credentials = await this.credentialsFor(location);
      const authorization = await this.authorize(location, challenge, credentials);
      this.authorizations.set(key, { header: authorization, ...credentials });
      response = await send({ method, url, headers: { ...headers, Authorization: authorization }, maxBytes }, this.transport);
    }
    if (response.status === 401 || response.status === 403) {
      if (credentials?.secret) {
        throw new RegistryError('auth', `${location.host} ${response.status === 401 ? 'refused' : 'denied'} access to ${location.repository} (${response.status}) with the credentials from ${credentials.who}`);
      }
      throw new RegistryError('auth', `${location.host} wants credentials for ${location.repository} (${response.status}), and ${credentials?.who ?? 'none were sent'}: ${loginAdvice(location.host)}`);
    }
    return response;
  }

  private async authorize(location: ImageLocation, challenge: Challenge, credentials: Credentials): Promise<string> {
    const { secret, who } = credentials;
    if (challenge.scheme === 'basic') {
      if (secret?.kind !== 'basic') {
        throw new RegistryError('auth', `${location.host} wants a user name and password for ${location.repository}, and ${who}: ${loginAdvice(location.host)}`);
      }
      return basicHeader(secret.username, secret.password);
    }
    if (secret?.kind === 'registry-token') return `Bearer ${secret.token}`;
    const scope = challenge.params.scope || `repository:${location.repository}:pull`;
    try {
      return `Bearer ${await fetchToken(challenge, scope, secret, who, this.transport)}`;
    } catch (error) {
      // An anonymous token refused: say where credentials were looked for.
      if (error instanceof RegistryError && error.kind === 'auth' && !secret) {
        throw new RegistryError('auth', `${location.host} wants credentials for ${location.repository}, and ${who}: ${loginAdvice(location.host)}`);
      }
      throw error;
    }
  }

  /** The credentials for a repository (keys may name a namespace), looked up once per run; a helper runs at most once per host. */
  private credentialsFor(location: ImageLocation): Promise<Credentials> {
    const repository = `${location.host}/${location.repository}`;
    let found = this.credentials.get(repository);
    if (!found) {
      found = findCredentials(location, this.files, (helper, address) => this.helper(helper, address));
      found.then(({ secret, who }) => secret && this.options.onCredentials?.(repository, who), () => {});
      this.credentials.set(repository, found);
    }
    return found;
  }

  private helper(helper: string, serverAddress: string): Promise<Secret | undefined> {
    const key = `${helper}\0${serverAddress}`;
    let secret = this.helpers.get(key);
    if (!secret) {
      secret = helperSecret(helper, serverAddress, this.options.signal, this.options.helperTimeoutMs ?? 10_000);
      this.helpers.set(key, secret);
    }
    return secret;
  }
}

function refuseSchema1(response: HttpResponse, where: string): void {
  const type = header(response, 'content-type') ?? '';
  if (/^application\/vnd\.docker\.distribution\.manifest\.v1\+/.test(type)) {
    throw new RegistryError('protocol', `${where} is only available as a schema 1 manifest, which cannot be pinned: push it again with a current tool`);
  }
}
