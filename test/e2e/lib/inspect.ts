// Looking inside built images: the mounted root filesystem (I4), and every layer tarball and the
// image metadata searched for a secret (I7), or compared between two builds (I6).
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { run } from './exec.ts';
import { podman, type Env } from './containers.ts';

/** Every path under `root`, relative, without following symlinks. */
export function walk(root: string): string[] {
  const out: string[] = [];
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      out.push(relative(root, path));
      if (entry.isDirectory()) visit(path);
    }
  };
  visit(root);
  return out;
}

const SHELLS = ['bin/sh', 'usr/bin/sh', 'bin/bash', 'usr/bin/bash', 'bin/dash', 'usr/bin/dash', 'bin/busybox'];
// Directories or dist-info of the managers and dev tools, and their console scripts.
const TOOL = /(^|\/)(pip|pipenv|poetry|uv|pytest|_pytest|mypy|black|bandit)(-[^/]*\.(dist|egg)-info)?$/;
const TOOL_SCRIPT = /(^|\/)bin\/(pip3?(\.\d+)?|pipenv|poetry|uv|pytest|mypy|black|bandit)$/;

/** The shells present in an image root (none may be in a runtime image). */
function shellsIn(root: string): string[] {
  return SHELLS.filter((path) => {
    try {
      lstatSync(join(root, path));
      return true;
    } catch {
      return false;
    }
  });
}

/** What must not be in a runtime image (I4); [] when it is clean. `appDir` is its WORKDIR. */
export function forbiddenContents(root: string, appDir: string): string[] {
  const found = shellsIn(root);
  for (const path of walk(root)) {
    if (path.startsWith('proc/') || path.startsWith('sys/')) continue;
    if (TOOL.test(path) || TOOL_SCRIPT.test(path)) found.push(path);
  }
  const app = join(root, appDir);
  if (existsSync(app)) {
    for (const path of walk(app)) {
      if (/(^|\/)(tests|features|assets)$/.test(path) || /\.feature$|(^|\/)conftest\.py$/.test(path)) found.push(join(appDir, path));
    }
  }
  return found;
}

/** The Go toolchain, module cache or Go source in an image root (I4). */
export function goLeftovers(root: string): string[] {
  return walk(root).filter((path) => !/^(proc|sys)\//.test(path) && /(^|\/)(bin\/go|bin\/gofmt|go\/pkg|lib\/go(-[\d.]+)?|go-build)$|\.go$|(^|\/)go\.(mod|sum)$/.test(path));
}

const NODE_TOOLS = /(^|\/)(bin\/(npm|npx|pnpm|pnpx|corepack|tsc|eslint|prettier)|node_modules\/(npm|pnpm|corepack|typescript|eslint|prettier|@types|typescript-eslint|@eslint|\.pnpm\/(typescript|eslint|prettier)[^/]*))$/;

/** What must not be in a Node.js runtime image (I4): shells, managers, dev tools, tests, TypeScript sources. */
export function forbiddenNodeContents(root: string): string[] {
  const found = shellsIn(root);
  for (const path of walk(root)) {
    if (path.startsWith('proc/') || path.startsWith('sys/')) continue;
    if (NODE_TOOLS.test(path)) found.push(path);
    if (path.startsWith('app/') && (/(^|\/)(test|build)(\/|$)/.test(path) || /\.ts$/.test(path))) found.push(path);
  }
  return found;
}

/** JDK tools, Maven and test artefacts in a Java runtime image (I4), besides forbiddenContents. */
export function javaLeftovers(root: string): string[] {
  return walk(root).filter((path) => !/^(proc|sys)\//.test(path) && /(^|\/)bin\/(javac|jshell|jar|mvn)$|(^|\/)usr\/share\/maven(\/|$)|(^|\/)\.m2(\/|$)|junit|surefire|test-classes/.test(path));
}

/** Mount a local image read-only, hand its root to `fn`, unmount again. */
export async function withMountedImage<T>(ref: string, ctx: Env, fn: (root: string) => Promise<T> | T): Promise<T> {
  const mounted = await podman(`mount ${ref}`, ['image', 'mount', ref], ctx);
  try {
    return await fn(mounted.stdout.trim());
  } finally {
    await podman(`unmount ${ref}`, ['image', 'unmount', ref], ctx, { allowFail: true });
  }
}

/** The image saved as an uncompressed docker-dir: one tar file per layer plus config and manifest. */
export async function saveImage(ref: string, dir: string, ctx: Env): Promise<string[]> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dirname(dir), { recursive: true });
  await podman(`save ${ref}`, ['save', '--format', 'docker-dir', '--uncompressed', '-o', dir, ref], ctx, { timeout: 5 * 60_000 });
  return readdirSync(dir).map((file) => join(dir, file));
}

/** Files (layer tarballs, config, manifest) and metadata texts that contain `needle`. */
export async function findSecret(ref: string, needle: string, dir: string, ctx: Env): Promise<{ searched: number; hits: string[] }> {
  const files = await saveImage(ref, dir, ctx);
  const bytes = Buffer.from(needle);
  const hits = files.filter((file) => readFileSync(file).includes(bytes)).map((file) => relative(dir, file));
  const inspect = await podman('image inspect', ['image', 'inspect', ref], ctx);
  const history = await podman('history', ['history', '--no-trunc', '--format', 'json', ref], ctx);
  const buildah = await run('buildah inspect', 'buildah', ['inspect', '--type', 'image', ref], { timeout: 60_000, env: ctx.env });
  const texts: [string, string][] = [['podman image inspect', inspect.stdout], ['podman history', history.stdout], ['buildah inspect', buildah.stdout]];
  for (const [name, text] of texts) {
    if (text.includes(needle)) hits.push(name);
  }
  return { searched: files.length + 3, hits };
}

async function layerFiles(tarball: string, into: string): Promise<Map<string, string>> {
  mkdirSync(into, { recursive: true });
  await run('extract layer', 'tar', ['-xf', tarball, '-C', into], { timeout: 120_000 });
  const files = new Map<string, string>();
  for (const path of walk(into)) {
    const stat = lstatSync(join(into, path));
    const content = stat.isFile() ? createHash('sha256').update(readFileSync(join(into, path))).digest('hex') : stat.isDirectory() ? 'dir' : 'other';
    files.set(path, `${content} ${stat.mode.toString(8)} ${Math.floor(stat.mtimeMs / 1000)}`);
  }
  return files;
}

/**
 * Why two images differ: the first layer whose digest differs, the instruction that made it, and
 * the files whose content, mode or mtime differ in it.
 */
export async function explainDifference(a: string, b: string, work: string, ctx: Env): Promise<string> {
  const layers = async (ref: string) =>
    JSON.parse((await podman('layers', ['image', 'inspect', '--format', '{{json .RootFS.Layers}}', ref], ctx)).stdout) as string[];
  const [la, lb] = [await layers(a), await layers(b)];
  const index = la.findIndex((digest, i) => digest !== lb[i]);
  if (index === -1) return la.length === lb.length ? 'same layers: only the image config differs (labels, created, history)' : 'different layer counts';
  const history = JSON.parse((await podman('history', ['image', 'inspect', '--format', '{{json .History}}', a], ctx)).stdout) as { created_by?: string; empty_layer?: boolean }[];
  const instruction = history.filter((entry) => !entry.empty_layer)[index]?.created_by ?? '?';
  const [dirA, dirB] = [join(work, 'a'), join(work, 'b')];
  await saveImage(a, dirA, ctx);
  await saveImage(b, dirB, ctx);
  const tarOf = (dir: string, digest: string) => join(dir, digest.replace('sha256:', ''));
  const fa = await layerFiles(tarOf(dirA, la[index]!), join(work, 'xa'));
  const fb = await layerFiles(tarOf(dirB, lb[index] ?? ''), join(work, 'xb'));
  const differing = [...new Set([...fa.keys(), ...fb.keys()])].filter((path) => fa.get(path) !== fb.get(path));
  rmSync(work, { recursive: true, force: true });
  return `layer ${index + 1} differs (${instruction.slice(0, 120)}); files: ${differing.slice(0, 8).join(', ')}${differing.length > 8 ? ` and ${differing.length - 8} more` : ''}`;
}
