// A Maven repository mirror over HTTPS on 127.0.0.1: the files of a repository directory (Debian's
// /usr/share/maven-repo here), served as a company's Nexus or Artifactory would serve Central.
// Basic auth can be switched on, so a build that passes credentials as a secret is proven to use them.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';
import { PINNED } from '../../../src/languages/java/context.ts';

export interface MavenMirror {
  /** `https://localhost:PORT/maven2/` */
  url: string;
  requireAuth(credentials: { user: string; password: string } | null): void;
  /**
   * Requests with valid credentials / refused for lack of them / files served, and TLS handshakes
   * the client broke off (it did not trust our certificate), since the last reset.
   */
  counts(): { authorized: number; refused: number; served: number; tlsErrors: number };
  resetCounts(): void;
  close(): Promise<void>;
}

/** Where each pinned artifact lives in a Maven repository. */
function repoPath(name: string): string {
  if (name === 'junit-jupiter') return 'org/junit/jupiter/junit-jupiter';
  if (name === 'junit-platform-launcher') return 'org/junit/platform/junit-platform-launcher';
  return `org/apache/maven/plugins/${name}`;
}

/** The newest real version the mirror serves of each pinned artifact (Debian's `debian` alias aside). */
export function servedVersions(repo: string): Record<string, string> {
  return Object.fromEntries(
    PINNED.map((name) => {
      const versions = readdirSync(join(repo, repoPath(name))).filter((v) => /^\d/.test(v));
      if (!versions.length) throw new Error(`the mirror serves no ${name}`);
      return [name, versions.sort((a, b) => a.localeCompare(b, 'en', { numeric: true })).at(-1)!];
    }),
  );
}

export async function startMavenMirror(dir: string, tls: { key: string; cert: string }): Promise<MavenMirror> {
  let auth: string | null = null;
  const counts = { authorized: 0, refused: 0, served: 0, tlsErrors: 0 };
  const server: Server = createServer({ key: readFileSync(tls.key), cert: readFileSync(tls.cert) }, (req, res) => {
    if (auth !== null) {
      if (req.headers.authorization !== auth) {
        counts.refused++;
        res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="e2e maven mirror"' }).end('authentication required\n');
        return;
      }
      counts.authorized++;
    }
    const path = decodeURIComponent(new URL(req.url ?? '/', 'https://localhost').pathname);
    const relative = normalize(path.replace(/^\/maven2\//, '')).replace(/^(\.\.(\/|$))+/, '');
    const file = join(dir, relative);
    if (!path.startsWith('/maven2/') || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end('not found\n');
      return;
    }
    counts.served++;
    const body = readFileSync(file);
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': body.length });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  server.on('tlsClientError', () => counts.tlsErrors++);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://localhost:${port}/maven2/`,
    requireAuth(credentials) {
      auth = credentials ? `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64')}` : null;
    },
    counts: () => ({ ...counts }),
    resetCounts() {
      counts.authorized = counts.refused = counts.served = counts.tlsErrors = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
