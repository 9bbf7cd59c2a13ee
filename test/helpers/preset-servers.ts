// Where published presets come from, on loopback: an npm registry stand-in (the packument and the
// tarball `npm pack` made of a temp dir) and an https server with a test CA (makePki, openssl).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Pki } from '../cli/pin-registry.ts';
import { tempDir } from './cli.ts';

export interface Served {
  /** http://127.0.0.1:PORT/ or https://127.0.0.1:PORT/ */
  url: string;
  /** Every request path answered, in order. */
  requests: string[];
  close(): Promise<void>;
}

async function listen(server: Server, scheme: 'http' | 'https', requests: string[]): Promise<Served> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${scheme}://127.0.0.1:${port}/`,
    requests,
    close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

export interface PresetPackage {
  name: string;
  version: string;
  /** Files besides package.json, by path. */
  files: Record<string, unknown>;
  /** Extra package.json fields (e.g. hardenedServicePreset). */
  manifest?: Record<string, unknown>;
}

/** Tarballs of `packages` made by npm itself (one npm run for all), as a publisher's `npm pack` would. */
export function packPackages(packages: PresetPackage[]): Buffer[] {
  const dir = tempDir('chs-pkg');
  const sources = packages.map((pkg, index) => {
    const source = join(dir, `source-${index}`);
    mkdirSync(source);
    writeFileSync(join(source, 'package.json'), JSON.stringify({ name: pkg.name, version: pkg.version, ...pkg.manifest }));
    for (const [path, content] of Object.entries(pkg.files)) {
      mkdirSync(join(source, path, '..'), { recursive: true });
      writeFileSync(join(source, path), typeof content === 'string' ? content : JSON.stringify(content));
    }
    return source;
  });
  const out = execFileSync('npm', ['pack', ...sources, '--json', '--ignore-scripts', '--pack-destination', dir], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return (JSON.parse(out) as { filename: string }[]).map(({ filename }) => readFileSync(join(dir, filename)));
}

/**
 * An npm registry stand-in: GET /<name> (scoped names as @scope%2fname) answers the packument of
 * every version given, GET /-/<file>.tgz the tarball. Point npm at it with npm_config_registry.
 */
export async function npmRegistry(packages: PresetPackage[]): Promise<Served> {
  const requests: string[] = [];
  const tarballs = new Map<string, Buffer>();
  const packuments = new Map<string, { name: string; 'dist-tags': Record<string, string>; versions: Record<string, unknown> }>();
  let base = '';
  const server = createHttpServer((req: IncomingMessage, res: ServerResponse) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(path);
    const tarball = tarballs.get(path);
    if (tarball) return res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(tarball);
    const packument = packuments.get(path.slice(1));
    if (packument) return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(packument));
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"Not found"}');
  });
  const served = await listen(server, 'http', requests);
  base = served.url;
  const packed = packPackages(packages);
  for (const [index, pkg] of packages.entries()) {
    const tarball = packed[index]!;
    const file = `/-/${pkg.name.replace('/', '-')}-${pkg.version}.tgz`;
    tarballs.set(file, tarball);
    const packument = packuments.get(pkg.name) ?? { name: pkg.name, 'dist-tags': {}, versions: {} };
    packument.versions[pkg.version] = {
      name: pkg.name,
      version: pkg.version,
      dist: {
        tarball: `${base}${file.slice(1)}`,
        shasum: createHash('sha1').update(tarball).digest('hex'),
        integrity: `sha512-${createHash('sha512').update(tarball).digest('base64')}`,
      },
    };
    packument['dist-tags'].latest = pkg.version;
    packuments.set(pkg.name, packument);
  }
  return served;
}

/** An https server with the test CA's certificate for 127.0.0.1, answering `files` by path (404 otherwise). */
export async function httpsFiles(pki: Pki, files: Record<string, string>): Promise<Served> {
  const requests: string[] = [];
  const server = createHttpsServer({ cert: readFileSync(pki.certFile), key: readFileSync(pki.keyFile) }, (req, res) => {
    const path = new URL(req.url ?? '/', 'https://x').pathname;
    requests.push(path);
    const body = files[path];
    if (body === undefined) return res.writeHead(404).end('not found');
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  return listen(server as unknown as Server, 'https', requests);
}

/** The SRI string of `text` (sha256-<base64>). */
export function sri(text: string, algorithm: 'sha256' | 'sha384' | 'sha512' = 'sha256'): string {
  return `${algorithm}-${createHash(algorithm).update(text).digest('base64')}`;
}

export const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');
