// A company npm mirror in miniature: HTTPS on 127.0.0.1 with the test CA's certificate, passing
// GET requests through to the public registry (the only one these machines reach) and rewriting
// the tarball URLs in package documents to itself, as Nexus, Artifactory and Verdaccio do. Bearer
// or basic auth can be required, so a build that passes credentials as a secret is proven to have
// used them. Responses are kept in memory: a second build asks the upstream nothing.
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';

const UPSTREAM = 'https://registry.npmjs.org';

export interface NpmMirror {
  port: number;
  /** `https://localhost:PORT/` */
  url: string;
  /** Require this token (`Authorization: Bearer TOKEN`) on every request; null: open mirror. */
  requireToken(token: string | null): void;
  /** Requests answered with a valid token / refused for lack of one, since the last reset. */
  counts(): { authorized: number; refused: number; served: number };
  resetCounts(): void;
  close(): Promise<void>;
}

interface Cached {
  status: number;
  type: string;
  body: Buffer;
}

function fetchUpstream(path: string, accept: string): Promise<Cached> {
  return new Promise((resolve, reject) => {
    const req = request(`${UPSTREAM}${path}`, { headers: { accept, 'accept-encoding': 'identity' }, timeout: 60_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 502, type: String(res.headers['content-type'] ?? 'application/octet-stream'), body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${path}: upstream timed out`)));
    req.on('error', reject);
    req.end();
  });
}

export async function startNpmMirror(tls: { key: string; cert: string }): Promise<NpmMirror> {
  const cache = new Map<string, Promise<Cached>>();
  let token: string | null = null;
  const counts = { authorized: 0, refused: 0, served: 0 };
  let self = '';

  const server: Server = createServer({ key: readFileSync(tls.key), cert: readFileSync(tls.cert) }, (req, res) => {
    if (token !== null) {
      const header = req.headers.authorization ?? '';
      const basic = header.startsWith('Basic ') ? Buffer.from(header.slice(6), 'base64').toString().split(':').slice(1).join(':') : null;
      if (header !== `Bearer ${token}` && basic !== token) {
        counts.refused++;
        res.writeHead(401, { 'WWW-Authenticate': 'Bearer realm="e2e npm mirror"' }).end('{"error":"authentication required"}\n');
        return;
      }
      counts.authorized++;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    // Abbreviated and full package documents differ: the Accept header is part of the key.
    const accept = String(req.headers.accept ?? 'application/json');
    const path = req.url ?? '/';
    const key = `${accept.includes('corgi') ? 'corgi' : 'full'} ${path}`;
    let entry = cache.get(key);
    if (!entry) {
      entry = fetchUpstream(path, accept);
      cache.set(key, entry);
    }
    entry.then(
      ({ status, type, body }) => {
        counts.served++;
        const out = type.includes('json') ? Buffer.from(body.toString('utf8').replaceAll(`${UPSTREAM}/`, self)) : body;
        res.writeHead(status, { 'content-type': type, 'content-length': out.length }).end(req.method === 'HEAD' ? undefined : out);
      },
      (error: Error) => {
        cache.delete(key);
        res.writeHead(502).end(`${error.message}\n`);
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  self = `https://localhost:${port}/`;
  return {
    port,
    url: self,
    requireToken: (value) => {
      token = value;
    },
    counts: () => ({ ...counts }),
    resetCounts: () => {
      counts.authorized = counts.refused = counts.served = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
