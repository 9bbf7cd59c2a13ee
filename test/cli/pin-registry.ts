// For the pin tests: a test CA made with openssl, Debian's docker-registry (distribution v2) on
// 127.0.0.1 over TLS with it (optionally behind htpasswd or token authentication), and images
// pushed to it through the HTTP API v2 itself (blobs, manifests, indexes), since no image can be
// pulled here. Not a test file: the pin*.test.ts files share it.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { gzipSync } from 'node:zlib';
import { realTool } from '../helpers/cli.ts';

/** Why the registry tests cannot run here, or false. CI installs both (.ci/run). */
export function registryMissing(needs: string[] = ['docker-registry', 'openssl']): string | false {
  const missing = needs.filter((tool) => !realTool(tool));
  return missing.length ? `${missing.join(', ')} not installed (apt-get install docker-registry openssl apache2-utils)` : false;
}

export interface Pki {
  /** PEM of the test CA, and its file. */
  ca: string;
  caFile: string;
  certFile: string;
  keyFile: string;
}

/** A CA and a server certificate for localhost / 127.0.0.1 signed by it. */
export function makePki(dir: string, label = 'pin'): Pki {
  const file = (name: string) => join(dir, `${label}-${name}`);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=${label} test CA`, '-keyout', file('ca.key'), '-out', file('ca.crt'));
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-keyout', file('server.key'), '-out', file('server.csr'));
  writeFileSync(file('ext.cnf'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n');
  openssl('x509', '-req', '-in', file('server.csr'), '-CA', file('ca.crt'), '-CAkey', file('ca.key'), '-CAcreateserial', '-days', '2', '-extfile', file('ext.cnf'), '-out', file('server.crt'));
  return { ca: readFileSync(file('ca.crt'), 'utf8'), caFile: file('ca.crt'), certFile: file('server.crt'), keyFile: file('server.key') };
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** One HTTPS request trusting only `ca`. */
export function https(url: string, ca: string, options: { method?: string; headers?: Record<string, string>; body?: Buffer | string } = {}): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', ca, headers: options.headers, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('timeout', () => req.destroy(new Error(`${url}: no answer in 10 s`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

export interface Registry {
  /** `127.0.0.1:PORT` */
  host: string;
  port: number;
  stop(): Promise<void>;
}

export interface RegistryOptions {
  dir: string;
  pki: Pki;
  /** Extra `auth:` section of the registry's configuration (YAML flow mapping). */
  auth?: string;
}

/** docker-registry serving `dir/storage` over TLS; resolves once /v2/ answers. */
export async function startRegistry({ dir, pki, auth }: RegistryOptions): Promise<Registry> {
  const port = await freePort();
  const config = join(dir, `registry-${port}.yml`);
  writeFileSync(
    config,
    [
      'version: 0.1',
      'log: {level: error, accesslog: {disabled: true}}',
      `storage: {filesystem: {rootdirectory: "${join(dir, `storage-${port}`)}"}}`,
      `http: {addr: "127.0.0.1:${port}", tls: {certificate: "${pki.certFile}", key: "${pki.keyFile}"}}`,
      ...(auth ? [`auth: ${auth}`] : []),
      '',
    ].join('\n'),
  );
  let output = '';
  const child: ChildProcess = spawn('docker-registry', ['serve', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (chunk) => (output = (output + chunk).slice(-4000)));
  child.stderr!.on('data', (chunk) => (output = (output + chunk).slice(-4000)));
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  const stop = async () => {
    process.off('exit', kill);
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await Promise.race([exited, sleep(3000).then(kill)]);
  };
  const host = `127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      const { status } = await https(`https://${host}/v2/`, pki.ca);
      if (status === 200 || status === 401) return { host, port, stop };
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`docker-registry did not answer on ${host}:\n${output}`);
    }
    await sleep(100);
  }
}

export const sha256 = (data: Buffer | string): string => `sha256:${createHash('sha256').update(data).digest('hex')}`;

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';

/** Pushes minimal but well-formed OCI images through the HTTP API v2, the way buildah push does. */
export class Pusher {
  constructor(
    private readonly host: string,
    private readonly ca: string,
    /** An Authorization header for a registry with authentication. */
    private readonly authorization?: string,
  ) {}

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { ...(this.authorization ? { Authorization: this.authorization } : {}), ...extra };
  }

  private async blob(repository: string, data: Buffer): Promise<{ digest: string; size: number }> {
    const digest = sha256(data);
    const start = await https(`https://${this.host}/v2/${repository}/blobs/uploads/`, this.ca, { method: 'POST', headers: this.headers({ 'Content-Length': '0' }) });
    if (start.status !== 202) throw new Error(`blob upload start: ${start.status} ${start.body}`);
    const location = new URL(String(start.headers.location), `https://${this.host}`);
    location.searchParams.set('digest', digest);
    const put = await https(location.href, this.ca, {
      method: 'PUT',
      headers: this.headers({ 'Content-Type': 'application/octet-stream', 'Content-Length': String(data.length) }),
      body: data,
    });
    if (put.status !== 201) throw new Error(`blob upload: ${put.status} ${put.body}`);
    return { digest, size: data.length };
  }

  /** PUT a manifest or index under `reference`; returns the digest of exactly those bytes. */
  async manifest(repository: string, reference: string, mediaType: string, body: string): Promise<string> {
    const put = await https(`https://${this.host}/v2/${repository}/manifests/${reference}`, this.ca, {
      method: 'PUT',
      headers: this.headers({ 'Content-Type': mediaType, 'Content-Length': String(Buffer.byteLength(body)) }),
      body,
    });
    if (put.status !== 201) throw new Error(`manifest PUT ${repository}:${reference}: ${put.status} ${put.body}`);
    return sha256(body);
  }

  /** A one-layer image for `platform`; `marker` makes its config (and so its digest) unique. */
  async image(repository: string, tag: string, marker: string, platform = 'amd64'): Promise<string> {
    const layer = gzipSync(Buffer.concat([Buffer.from(`${marker}\n`), Buffer.alloc(1024)]));
    const layerBlob = await this.blob(repository, layer);
    const config = Buffer.from(
      JSON.stringify({
        architecture: platform,
        os: 'linux',
        config: { Labels: { marker } },
        rootfs: { type: 'layers', diff_ids: [sha256(layer)] },
      }),
    );
    const configBlob = await this.blob(repository, config);
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...configBlob },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...layerBlob }],
    });
    return this.manifest(repository, tag, OCI_MANIFEST, manifest);
  }

  /** A multi-platform image: an OCI index over one image per platform. Returns the index's digest. */
  async index(repository: string, tag: string, marker: string, platforms = ['amd64', 'arm64']): Promise<string> {
    const manifests = [];
    for (const platform of platforms) {
      const digest = await this.image(repository, `${tag}-${platform}`, `${marker}-${platform}`, platform);
      const body = await https(`https://${this.host}/v2/${repository}/manifests/${digest}`, this.ca, { headers: this.headers({ Accept: OCI_MANIFEST }) });
      manifests.push({ mediaType: OCI_MANIFEST, digest, size: body.body.length, platform: { architecture: platform, os: 'linux' } });
    }
    return this.manifest(repository, tag, OCI_INDEX, JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests }));
  }
}
