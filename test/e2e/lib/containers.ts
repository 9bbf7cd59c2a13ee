// buildah and podman as this machine needs them (see the project's notes on containers without
// Docker): chroot isolation for builds; runc, cgroupfs and no default ulimits for podman.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run, type RunResult } from './exec.ts';

export const BUILD_TIMEOUT = 15 * 60_000;
const SHORT = 2 * 60_000;

export interface Env {
  /** CONTAINERS_CONF and CONTAINERS_STORAGE_CONF for every buildah and podman call. */
  env: Record<string, string>;
}

/** The suite's settings in `cacheDir`: no default ulimits, and the storage provision.sh configured. */
export function containersEnv(cacheDir: string): Env {
  const conf = join(cacheDir, 'containers.conf');
  writeFileSync(conf, '[containers]\ndefault_ulimits = []\n');
  return { env: { CONTAINERS_CONF: conf, CONTAINERS_STORAGE_CONF: join(cacheDir, 'storage.conf') } };
}

const PODMAN_GLOBAL = ['--runtime', 'runc', '--cgroup-manager=cgroupfs'];

export function podman(step: string, args: string[], ctx: Env, options: { timeout?: number; allowFail?: boolean } = {}) {
  return run(step, 'podman', [...PODMAN_GLOBAL, ...args], { timeout: options.timeout ?? SHORT, env: ctx.env, allowFail: options.allowFail });
}

export interface BuildOptions {
  tag?: string;
  target?: string;
  noCache?: boolean;
  timestamp?: number;
  secrets?: string[];
  buildArgs?: Record<string, string>;
  allowFail?: boolean;
}

/** `buildah bud --isolation chroot --layers …` in `dir`; the result carries its output and time. */
export function build(step: string, dir: string, options: BuildOptions, ctx: Env): Promise<RunResult> {
  // --force-rm: a failing build (I2, the TLS check) leaves no working container behind.
  const args = ['bud', '--isolation', 'chroot', '--layers', '--force-rm', '-f', 'Dockerfile'];
  if (options.tag) args.push('-t', options.tag);
  if (options.target) args.push('--target', options.target);
  if (options.noCache) args.push('--no-cache');
  if (options.timestamp !== undefined) args.push('--timestamp', String(options.timestamp));
  for (const secret of options.secrets ?? []) args.push('--secret', secret);
  for (const [key, value] of Object.entries(options.buildArgs ?? {})) args.push('--build-arg', `${key}=${value}`);
  args.push('.');
  return run(step, 'buildah', args, { timeout: BUILD_TIMEOUT, cwd: dir, env: ctx.env, allowFail: options.allowFail });
}

/** Image ID (config digest) and manifest digest of a local image. */
export async function imageIds(ref: string, ctx: Env): Promise<{ id: string; digest: string; size: number }> {
  const out = await podman(`inspect ${ref}`, ['image', 'inspect', '--format', '{{.Id}} {{.Digest}} {{.Size}}', ref], ctx);
  const [id = '', digest = '', size = ''] = out.stdout.trim().split(' ');
  return { id, digest, size: Number(size) };
}

export interface BuildStep {
  /** Stage number, from 1 (buildah's `[stage/stages]` prefix; 1 for single-stage output). */
  stage: number;
  step: string;
  cached: boolean;
}

/** Which build steps buildah took from its layer cache: `[s/n] STEP i/m: …` lines followed by "--> Using cache". */
export function cachedSteps(output: string): BuildStep[] {
  const steps: BuildStep[] = [];
  for (const line of output.split('\n')) {
    const match = line.match(/^(?:\[(\d+)\/\d+\] )?STEP \d+\/\d+: (.*)$/);
    const last = steps[steps.length - 1];
    if (match) steps.push({ stage: Number(match[1] ?? 1), step: match[2] ?? '', cached: false });
    else if (/^--> Using cache /.test(line) && last) last.cached = true;
  }
  return steps;
}

/**
 * Steps that must come from the cache after a change to src/ only, but did not: in each stage,
 * every step before the stage's first COPY of src/ (FROM lines aside).
 */
export function rebuiltDependencySteps(steps: BuildStep[]): BuildStep[] {
  const rebuilt: BuildStep[] = [];
  for (const stage of new Set(steps.map((step) => step.stage))) {
    const inStage = steps.filter((step) => step.stage === stage);
    const source = inStage.findIndex((step) => /^COPY (?!--from)(.* )?src\/? /.test(step.step));
    const before = source === -1 ? inStage : inStage.slice(0, source);
    rebuilt.push(...before.filter((step) => !step.cached && !/^FROM /.test(step.step)));
  }
  return rebuilt;
}
