// A PEP 503 "simple" index over HTTPS on 127.0.0.1, serving the repacked wheels: the path a company
// mirror takes (index URL + CA bundle, no --trusted-host). Basic auth can be switched on, so a
// build that passes credentials as a secret is proven to have used them.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export interface IndexServer {
  port: number;
  /** `https://localhost:PORT/simple` */
  url: string;
  /** Require these credentials on every request (null: open index). */
  requireAuth(credentials: { user: string; password: string } | null): void;
  /** Requests served with valid credentials / refused for lack of them, since the last reset. */
  counts(): { authorized: number; refused: number; served: number };
  resetCounts(): void;
  close(): Promise<void>;
}

export function normalize(name: string): string {
  return name.replace(/[-_.]+/g, '-').toLowerCase();
}

/** The distribution name of a wheel file (`pytest_bdd-7.1.2-py3-none-any.whl` -> `pytest-bdd`). */
export function wheelProject(file: string): string {
  return normalize(file.split('-', 1)[0]!);
}

function page(title: string, links: string[]): string {
  return `<!DOCTYPE html>\n<html><head><meta name="pypi:repository-version" content="1.0"><title>${title}</title></head><body>\n${links.join('\n')}\n</body></html>\n`;
}

export async function startIndex(dir: string, tls: { key: string; cert: string }): Promise<IndexServer> {
  const wheels = readdirSync(dir).filter((file) => file.endsWith('.whl')).sort();
  const projects = new Map<string, string[]>();
  for (const file of wheels) {
    const sha = createHash('sha256').update(readFileSync(join(dir, file))).digest('hex');
    const list = projects.get(wheelProject(file)) ?? [];
    list.push(`<a href="/files/${encodeURIComponent(file)}#sha256=${sha}">${file}</a>`);
    projects.set(wheelProject(file), list);
  }
  const root = page('Simple index', [...projects.keys()].map((name) => `<a href="/simple/${name}/">${name}</a>`));

  let auth: string | null = null;
  const counts = { authorized: 0, refused: 0, served: 0 };
  const server: Server = createServer({ key: readFileSync(tls.key), cert: readFileSync(tls.cert) }, (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'https://localhost').pathname);
    if (auth !== null) {
      if (req.headers.authorization !== auth) {
        counts.refused++;
        res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="e2e index"' }).end('authentication required\n');
        return;
      }
      counts.authorized++;
    }
    const html = (body: string) => res.writeHead(200, { 'Content-Type': 'text/html' }).end(body);
    const project = normalize(path.match(/^\/simple\/([^/]+)\/?$/)?.[1] ?? '');
    const wheel = path.match(/^\/files\/([^/]+\.whl)$/)?.[1] ?? '';
    if (path === '/simple/' || path === '/simple') html(root);
    else if (projects.has(project)) html(page(`Links for ${project}`, projects.get(project)!));
    else if (wheels.includes(wheel)) {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' }).end(readFileSync(join(dir, wheel)));
    } else {
      res.writeHead(404).end('not found\n');
      return;
    }
    counts.served++;
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `https://localhost:${port}/simple`,
    requireAuth(credentials) {
      auth = credentials ? `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64')}` : null;
    },
    counts: () => ({ ...counts }),
    resetCounts() {
      counts.authorized = counts.refused = counts.served = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
