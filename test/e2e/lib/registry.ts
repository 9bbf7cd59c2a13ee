// Debian's docker-registry (distribution v2) on 127.0.0.1 over TLS with the test CA; its storage is
// cached between runs. buildah and podman trust the CA through /etc/containers/certs.d/HOST:PORT/,
// which is removed again on stop. The Docker suite serves it under a host name of its own instead
// (options), trusted by Docker Engine through /etc/docker/certs.d/HOST:PORT/ too, with an access log.
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, createWriteStream, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Pki {
  ca: string;
  cert: string;
  key: string;
}

export interface Registry {
  port: number;
  /** `localhost:PORT` */
  host: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** GET/HEAD over HTTPS trusting only `ca`; resolves to status and headers (body discarded). */
export function httpsStatus(url: string, ca: Buffer, headers: Record<string, string> = {}, method = 'GET') {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined> }>((resolve, reject) => {
    const req = request(url, { method, ca, headers, timeout: 5000 }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on('timeout', () => req.destroy(new Error(`${url}: no answer in 5 s`)));
    req.on('error', reject);
    req.end();
  });
}

export interface RegistryOptions {
  /** Address to listen on and the host name clients use for it (default 127.0.0.1 as localhost). */
  listen?: { address: string; name: string };
  /** Also trust the CA for Docker Engine (/etc/docker/certs.d), which reads it when dockerd starts. */
  dockerTrust?: boolean;
  /** Write the registry's log, one line per request, to this file. */
  accessLog?: string;
}

export async function startRegistry(workDir: string, storage: string, pki: Pki, caPem: Buffer, options: RegistryOptions = {}): Promise<Registry> {
  const port = await freePort();
  const host = `${options.listen?.name ?? 'localhost'}:${port}`;
  mkdirSync(storage, { recursive: true });
  mkdirSync(workDir, { recursive: true });
  const config = join(workDir, 'registry.yml');
  writeFileSync(
    config,
    [
      'version: 0.1',
      options.accessLog ? 'log: {level: info}' : 'log: {level: warn}',
      `storage: {filesystem: {rootdirectory: "${storage}"}, delete: {enabled: true}}`,
      `http: {addr: "${options.listen?.address ?? '127.0.0.1'}:${port}", tls: {certificate: "${pki.cert}", key: "${pki.key}"}}`,
      '',
    ].join('\n'),
  );
  const certsDirs = [`/etc/containers/certs.d/${host}`, ...(options.dockerTrust ? [`/etc/docker/certs.d/${host}`] : [])];
  for (const dir of certsDirs) {
    mkdirSync(dir, { recursive: true });
    copyFileSync(pki.ca, join(dir, 'ca.crt'));
  }
  const removeTrust = () => certsDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true }));

  let output = '';
  const child: ChildProcess = spawn('docker-registry', ['serve', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  const log = options.accessLog ? createWriteStream(options.accessLog) : undefined;
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk) => {
      output = (output + chunk).slice(-4000);
      log?.write(chunk);
    });
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Should the suite itself be stopped early, the registry and the trust entry go with it.
  const onExit = () => {
    child.kill('SIGKILL');
    removeTrust();
  };
  process.once('exit', onExit);
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(5000).then(() => child.kill('SIGKILL'))]);
    }
    removeTrust();
    log?.end();
    process.removeListener('exit', onExit);
  };

  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      const { status } = await httpsStatus(`https://${host}/v2/`, caPem);
      if (status === 200) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`docker-registry did not answer on ${host} within 20 s:\n${output}`);
    }
    await sleep(200);
  }
  return { port, host, stop };
}
