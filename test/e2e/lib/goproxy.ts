// A Go module proxy (the GOPROXY protocol: @v/list, .info, .mod, .zip) over HTTPS on 127.0.0.1,
// serving one small module made on the spot: the path a company proxy takes (GOPROXY + the CA in
// SSL_CERT_FILE, never GOINSECURE). It has no checksum database (…/sumdb/… is 404), so a module new
// to go.sum needs GONOSUMDB, as a private module does. Basic auth can be switched on, so a build
// that passes the netrc secret is proven to have used it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface GoProxy {
  /** `https://localhost:PORT/go` */
  url: string;
  /** The module (package `greet`, `func Hello() string`) and the one version served. */
  module: string;
  version: string;
  /** Require these credentials on every request (null: open proxy). */
  requireAuth(credentials: { user: string; password: string } | null): void;
  counts(): { authorized: number; refused: number; served: number };
  close(): Promise<void>;
}

/** A module zip as `go mod download` expects it: every file under `module@version/`. */
function moduleZip(module: string, version: string, files: Record<string, string>): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'goproxy-'));
  try {
    const out = join(dir, 'module.zip');
    const script = 'import json,sys,zipfile\nz=zipfile.ZipFile(sys.argv[1],"w")\nfor n,c in json.loads(sys.argv[2]).items(): z.writestr(zipfile.ZipInfo(n,(2025,1,1,0,0,0)),c)\nz.close()';
    const entries = Object.fromEntries(Object.entries(files).map(([name, content]) => [`${module}@${version}/${name}`, content]));
    const made = spawnSync('python3', ['-c', script, out, JSON.stringify(entries)], { encoding: 'utf8' });
    if (made.status !== 0) throw new Error(`making the module zip failed: ${made.stderr}`);
    return readFileSync(out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function startGoProxy(tls: { key: string; cert: string }, module = 'example.com/greet'): Promise<GoProxy> {
  // A new version each run: Go's module cache (a cache mount, kept between builds) must not have it.
  const version = `v1.0.${Math.floor(Date.now() / 1000)}`;
  const mod = `module ${module}\n\ngo 1.21\n`;
  const zip = moduleZip(module, version, { 'go.mod': mod, 'greet.go': 'package greet\n\n// Hello is what the e2e service says.\nfunc Hello() string { return "hello" }\n' });
  const info = JSON.stringify({ Version: version, Time: '2025-01-01T00:00:00Z' });
  const base = `/go/${module}/@v/`;
  let auth: string | null = null;
  const counts = { authorized: 0, refused: 0, served: 0 };
  const server: Server = createServer({ key: readFileSync(tls.key), cert: readFileSync(tls.cert) }, (req, res) => {
    if (auth !== null) {
      if (req.headers.authorization !== auth) {
        counts.refused++;
        res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="e2e goproxy"' }).end('authentication required\n');
        return;
      }
      counts.authorized++;
    }
    const path = new URL(req.url ?? '/', 'https://localhost').pathname;
    const bodies: Record<string, [string, string | Buffer]> = {
      [`${base}list`]: ['text/plain', `${version}\n`],
      [`${base}${version}.info`]: ['application/json', info],
      [`${base}${version}.mod`]: ['text/plain', mod],
      [`${base}${version}.zip`]: ['application/zip', zip],
      [`/go/${module}/@latest`]: ['application/json', info],
    };
    const body = bodies[path];
    if (!body) {
      res.writeHead(404).end('not found\n');
      return;
    }
    counts.served++;
    res.writeHead(200, { 'Content-Type': body[0] }).end(body[1]);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://localhost:${port}/go`,
    module,
    version,
    requireAuth(credentials) {
      auth = credentials ? `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64')}` : null;
    },
    counts: () => ({ ...counts }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
