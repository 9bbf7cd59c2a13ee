// Docker Engine for the Docker suite: Debian's docker.io (20.10, BuildKit built in) run as a dockerd
// of the suite's own (own data and exec roots and socket, no bridge, no iptables), so nothing else on
// the machine is touched, and stopped at the end even when a check fails or the run is interrupted.
// Builds go through Debian's client: /usr/local/bin/docker on these machines is a newer client
// without an engine, and DOCKER_HOST always names the suite's socket.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { run, type RunResult } from './exec.ts';

/** Debian's client, which matches the engine. */
export const DOCKER = '/usr/bin/docker';
/** Debian's engine (in /usr/sbin, which a CI shell's PATH may lack). */
const DOCKERD = '/usr/sbin/dockerd';
const IP = '/usr/sbin/ip';
export const BUILD_TIMEOUT = 20 * 60_000;

export interface Dockerd {
  /** DOCKER_HOST (the suite's socket) and DOCKER_BUILDKIT=1 for every client call. */
  env: Record<string, string>;
  /** `dockerd --version` */
  version: string;
  stop(): Promise<void>;
}

// Teardown on SIGINT/SIGTERM of the test process: the daemon, addresses and trust entries must not
// outlive an interrupted run. Each entry is also run by its owner's normal stop.
const teardowns = new Set<() => void>();
let signalsHooked = false;

/** Run `fn` (synchronous) when the process exits or is interrupted, unless `cancel` is called first. */
export function onTeardown(fn: () => void): () => void {
  teardowns.add(fn);
  if (!signalsHooked) {
    signalsHooked = true;
    const all = () => {
      for (const teardown of [...teardowns].reverse()) {
        try {
          teardown();
        } catch (error) {
          console.error(`teardown: ${(error as Error).message}`);
        }
      }
      teardowns.clear();
    };
    process.once('exit', all);
    for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
      process.once(signal, () => {
        all();
        process.exit(code);
      });
    }
  }
  return () => teardowns.delete(fn);
}

/** Wait (synchronously, at most `seconds`) for a process to end: gone, or a zombie nobody reaps yet. */
function waitForExit(pid: number, seconds: number): void {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    let state = '';
    try {
      state = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '')[0] ?? '';
    } catch {
      return;
    }
    if (state === 'Z') return;
    spawnSync('sleep', ['0.2']);
  }
}

/**
 * Start dockerd with everything under `dir` (data root) and `execRoot` (short: socket paths are
 * limited to 108 bytes). Registry trust (/etc/docker/certs.d) must be in place before: Docker 20.10
 * hands BuildKit its registry configuration once, at start-up.
 */
export async function startDockerd(dir: string, execRoot: string): Promise<Dockerd> {
  mkdirSync(dir, { recursive: true });
  const socket = join(execRoot, 'docker.sock');
  const pidfile = join(execRoot, 'dockerd.pid');
  const log = join(dir, 'dockerd.log');
  const args = [
    '--iptables=false', '--ip-forward=false', '--ip-masq=false', '--bridge=none',
    '--data-root', join(dir, 'root'), '--exec-root', execRoot, '--pidfile', pidfile,
    '-H', `unix://${socket}`, '--log-level', 'warn',
  ];
  const trustKey = '/etc/docker/key.json';
  const hadTrustKey = existsSync(trustKey);
  const out = openSync(log, 'w');
  // dockerd finds containerd, runc and docker-init on PATH.
  const path = `/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin${process.env.PATH ? `:${process.env.PATH}` : ''}`;
  const child = spawn(DOCKERD, args, { stdio: ['ignore', out, out], detached: true, env: { ...process.env, PATH: path } });
  const pid = child.pid!;
  const env = { DOCKER_HOST: `unix://${socket}`, DOCKER_BUILDKIT: '1' };

  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const running = () => child.exitCode === null && child.signalCode === null;
  let stopped = false;
  const removeFiles = () => {
    // A daemon killed hard leaves its mounts: they go before the files under them.
    spawnSync('sh', ['-c', `findmnt -rn -o TARGET | grep -e '^${dir}/' -e '^${execRoot}/' | sort -r | xargs -r -n1 umount -l`]);
    rmSync(execRoot, { recursive: true, force: true });
    rmSync(join(dir, 'root'), { recursive: true, force: true });
    // dockerd 20.10 writes a trust key on first start; it is ours only if it was not there before.
    if (!hadTrustKey) rmSync(trustKey, { force: true });
  };
  // On a signal or at exit: nothing can be awaited, so wait by polling.
  const stopSync = () => {
    if (stopped) return;
    stopped = true;
    if (running()) {
      process.kill(pid, 'SIGTERM');
      waitForExit(pid, 30);
    }
    removeFiles();
  };
  const cancel = onTeardown(stopSync);
  const stop = async () => {
    cancel();
    if (stopped) return;
    stopped = true;
    if (running()) {
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(30_000)]);
      if (running()) child.kill('SIGKILL');
    }
    removeFiles();
  };

  const deadline = Date.now() + 60_000;
  for (;;) {
    const probe = await run('docker version', DOCKER, ['version', '--format', '{{.Server.Version}}'], { timeout: 10_000, env, allowFail: true }).catch(() => undefined);
    if (probe?.exitCode === 0) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`dockerd did not answer on ${socket} within 60 s:\n${readFileSync(log, 'utf8').slice(-3000)}`);
    }
    await sleep(500);
  }
  const version = spawnSync(DOCKERD, ['--version'], { encoding: 'utf8' }).stdout.trim();
  return { env, version, stop };
}

export function docker(step: string, args: string[], d: Dockerd, options: { timeout?: number; allowFail?: boolean; cwd?: string } = {}): Promise<RunResult> {
  return run(step, DOCKER, args, { timeout: options.timeout ?? 5 * 60_000, env: d.env, allowFail: options.allowFail, cwd: options.cwd });
}

export interface DockerBuildOptions {
  tag?: string;
  target?: string;
  noCache?: boolean;
  secrets?: string[];
  buildArgs?: Record<string, string>;
  /** Another file than `Dockerfile` in the context. */
  file?: string;
  allowFail?: boolean;
}

/** `DOCKER_BUILDKIT=1 docker build --progress plain --network host` in `dir` (no bridge here). */
export function dockerBuild(step: string, dir: string, options: DockerBuildOptions, d: Dockerd): Promise<RunResult> {
  const args = ['build', '--progress', 'plain', '--network', 'host', '-f', options.file ?? 'Dockerfile'];
  if (options.tag) args.push('-t', options.tag);
  if (options.target) args.push('--target', options.target);
  if (options.noCache) args.push('--no-cache');
  for (const secret of options.secrets ?? []) args.push('--secret', secret);
  for (const [key, value] of Object.entries(options.buildArgs ?? {})) args.push('--build-arg', `${key}=${value}`);
  args.push('.');
  return run(step, DOCKER, args, { timeout: BUILD_TIMEOUT, cwd: dir, env: d.env, allowFail: options.allowFail });
}

/** One step of BuildKit's plain progress output. */
export interface Vertex {
  id: number;
  /** The whole vertex name, e.g. `[test 4/5] COPY src/ ./src/`. */
  name: string;
  /** Stage name and the instruction (`test`, `COPY src/ ./src/`) when the vertex is a Dockerfile step. */
  stage?: string;
  instruction?: string;
  cached: boolean;
  error: boolean;
  /** BuildKit's own duration of the step (DONE N.Ns). */
  seconds?: number;
  /** The step's output lines with their offset from the step's start, in seconds. */
  log: { at: number; text: string }[];
}

/** BuildKit's plain progress output (`#N name`, `#N 0.123 text`, `#N CACHED`, `#N DONE 1.2s`) as steps. */
export function vertices(output: string): Vertex[] {
  const byId = new Map<number, Vertex>();
  for (const line of output.split('\n')) {
    const match = line.match(/^#(\d+) (.*)$/);
    if (!match) continue;
    const id = Number(match[1]);
    const rest = match[2]!;
    const seen = byId.get(id);
    if (!seen) {
      const step = rest.match(/^\[(\S+) \d+\/\d+\] (.*)$/);
      byId.set(id, { id, name: rest, stage: step?.[1], instruction: step?.[2], cached: false, error: false, log: [] });
      continue;
    }
    if (rest === 'CACHED') seen.cached = true;
    else if (/^ERROR\b/.test(rest)) seen.error = true;
    else if (/^DONE \d/.test(rest)) seen.seconds = Number(rest.match(/^DONE ([\d.]+)s/)?.[1]);
    else {
      const logged = rest.match(/^(\d+\.\d+) (.*)$/);
      if (logged) seen.log.push({ at: Number(logged[1]), text: logged[2]! });
    }
  }
  return [...byId.values()];
}

/** Image ID, size and the layers' diff IDs of a local image. */
export async function dockerImage(ref: string, d: Dockerd): Promise<{ id: string; size: number; layers: string[]; created: string }> {
  const out = await docker(`inspect ${ref}`, ['image', 'inspect', '--format', '{{json .}}', ref], d);
  const image = JSON.parse(out.stdout) as { Id: string; Size: number; Created: string; RootFS: { Layers: string[] } };
  return { id: image.Id, size: image.Size, layers: image.RootFS.Layers, created: image.Created };
}

/**
 * A local address that is not loopback (127.0.0.0/8), bound to `lo`, with a host name in
 * /etc/hosts: Docker 20.10's BuildKit speaks plain HTTP to any loopback registry and so cannot reach
 * a TLS one there, while a host name elsewhere gets TLS with /etc/docker/certs.d/HOST:PORT/ca.crt,
 * as a company registry does. Both are removed again at the end.
 */
export async function registryAddress(tag: string): Promise<{ address: string; name: string; remove(): void }> {
  const used = spawnSync(IP, ['-o', 'addr'], { encoding: 'utf8' }).stdout;
  let address = '';
  for (let i = 0; i < 50 && (!address || used.includes(` ${address}/`)); i++) {
    address = `10.254.${1 + Math.floor(Math.random() * 253)}.${1 + Math.floor(Math.random() * 253)}`;
  }
  const name = `registry-${process.pid}.${tag}.test`;
  const marker = `# ${tag} ${process.pid}`;
  await run('ip addr add', IP, ['addr', 'add', `${address}/32`, 'dev', 'lo'], { timeout: 10_000 });
  // Appended in place: /etc/hosts may be a bind mount that a rename would not reach.
  const hosts = readFileSync('/etc/hosts', 'utf8');
  writeFileSync('/etc/hosts', `${hosts}${hosts.endsWith('\n') || !hosts ? '' : '\n'}${address} ${name} ${marker}\n`);
  let removed = false;
  const removeSync = () => {
    if (removed) return;
    removed = true;
    spawnSync(IP, ['addr', 'del', `${address}/32`, 'dev', 'lo']);
    const now = readFileSync('/etc/hosts', 'utf8');
    writeFileSync('/etc/hosts', now.split('\n').filter((line) => !line.endsWith(marker)).join('\n'));
  };
  const cancel = onTeardown(removeSync);
  return {
    address,
    name,
    remove: () => {
      cancel();
      removeSync();
    },
  };
}

/** A server certificate for `names` (DNS names and IP addresses) signed by the suite's test CA. */
export async function serverCertificate(pkiDir: string, outDir: string, names: string[]): Promise<{ cert: string; key: string }> {
  mkdirSync(outDir, { recursive: true });
  const [key, csr, cert, ext] = ['server.key', 'server.csr', 'server.crt', 'server.ext'].map((file) => join(outDir, file)) as [string, string, string, string];
  const san = names.map((n) => (/^[\d.]+$/.test(n) ? `IP:${n}` : `DNS:${n}`)).join(',');
  writeFileSync(ext, `subjectAltName=${san}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n`);
  await run('server key', 'openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${names[0]}`, '-keyout', key, '-out', csr], { timeout: 30_000 });
  await run('server certificate', 'openssl', ['x509', '-req', '-in', csr, '-CA', join(pkiDir, 'ca.crt'), '-CAkey', join(pkiDir, 'ca.key'), '-CAcreateserial', '-days', '7', '-extfile', ext, '-out', cert], { timeout: 30_000 });
  return { cert, key };
}
