// An earlier release of this package, packed from git history (the tarball cached under
// node_modules/.cache so reruns are fast), and a loopback stand-in for the npm registry serving it.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { ROOT, tempDir } from './cli.ts';

/** The commit of each release this suite uses. */
export const RELEASES = { '0.1.0': '753ff0e' } as const;
export type Release = keyof typeof RELEASES;

/** The release's npm tarball: `git archive` of its commit, npm ci, build, npm pack (about 30 s once). */
export function releaseTarball(version: Release): string {
  const cache = join(ROOT, 'node_modules', '.cache', 'create-hardened-service-releases');
  const tarball = join(cache, `create-hardened-service-${version}.tgz`);
  if (existsSync(tarball)) return tarball;
  mkdirSync(cache, { recursive: true });
  const work = tempDir('chs-release');
  const source = join(work, 'source');
  mkdirSync(source);
  const archive = execFileSync('git', ['-C', ROOT, 'archive', '--format=tar', RELEASES[version]], { maxBuffer: 256 * 1024 * 1024 });
  execFileSync('tar', ['-x', '-C', source], { input: archive });
  const run = (command: string, args: string[]) => execFileSync(command, args, { cwd: source, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false' } });
  // Scripts off: only the bundle is wanted (no native module build); esbuild's binary comes as its optional package.
  run('npm', ['ci', '--ignore-scripts']);
  run('npm', ['run', 'build']);
  run('npm', ['pack', '--ignore-scripts', '--pack-destination', work]);
  const version_ = JSON.parse(readFileSync(join(source, 'package.json'), 'utf8')).version;
  if (version_ !== version) throw new Error(`commit ${RELEASES[version]} is version ${version_}, not ${version}`);
  renameSync(join(work, `create-hardened-service-${version}.tgz`), tarball);
  return tarball;
}

/** The release unpacked in a temp dir: its bin, to generate projects the way that release did. */
export function unpackRelease(tarball: string): string {
  const dir = tempDir('chs-release-bin');
  execFileSync('tar', ['-xzf', tarball, '-C', dir]);
  return join(dir, 'package', 'bin', 'create-hardened-service.js');
}

export interface FakeRegistry {
  url: string;
  /** Package names asked for, in order. */
  asked: string[];
  /** Whether the release is served (false: the registry answers 404, as for a release never published there). */
  serving: boolean;
  stop(): Promise<void>;
}

/** An npm registry on 127.0.0.1 answering the packument of create-hardened-service and its tarball. */
export async function startFakeRegistry(tarballs: Partial<Record<Release, string>>): Promise<FakeRegistry> {
  const bytes = Object.fromEntries(Object.entries(tarballs).map(([version, path]) => [version, readFileSync(path!)]));
  const registry: FakeRegistry = { url: '', asked: [], serving: true, stop: async () => {} };
  const server: Server = createServer((request, response) => {
    const path = decodeURIComponent((request.url ?? '/').split('?')[0]!);
    registry.asked.push(path);
    const tarball = /^\/create-hardened-service\/-\/create-hardened-service-(.+)\.tgz$/.exec(path);
    if (registry.serving && path === '/create-hardened-service') {
      const versions = Object.fromEntries(
        Object.entries(bytes).map(([version, data]) => [
          version,
          {
            name: 'create-hardened-service',
            version,
            bin: { 'create-hardened-service': 'bin/create-hardened-service.js' },
            dist: {
              tarball: `${registry.url}/create-hardened-service/-/create-hardened-service-${version}.tgz`,
              shasum: createHash('sha1').update(data).digest('hex'),
              integrity: `sha512-${createHash('sha512').update(data).digest('base64')}`,
            },
          },
        ]),
      );
      const latest = Object.keys(versions).sort().at(-1);
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ name: 'create-hardened-service', 'dist-tags': { latest }, versions }));
      return;
    }
    if (registry.serving && tarball && bytes[tarball[1]!]) {
      response.writeHead(200, { 'content-type': 'application/octet-stream' });
      response.end(bytes[tarball[1]!]);
      return;
    }
    response.writeHead(404, { 'content-type': 'application/json' });
    response.end('{"error":"Not found"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  registry.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  registry.stop = () => new Promise((resolve) => server.close(() => resolve()));
  return registry;
}
