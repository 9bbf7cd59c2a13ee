// Looking inside images Docker Engine built: the exported root filesystem (I4), `docker save`'s
// layer tarballs and the image metadata searched for a secret (I7), and two builds compared file by
// file (I6: what differs when the digests do).
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { run } from './exec.ts';
import { docker, dockerImage, type Dockerd } from './docker.ts';
import { walk } from './inspect.ts';

/** The image's root filesystem (`docker create` + `docker export`) extracted into `dir`. */
export async function exportRoot(ref: string, dir: string, d: Dockerd): Promise<string> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const id = (await docker(`create ${ref}`, ['create', ref], d)).stdout.trim();
  try {
    await docker(`export ${ref}`, ['export', '-o', `${dir}.tar`, id], d);
  } finally {
    await docker('rm', ['rm', '-f', id], d, { allowFail: true });
  }
  await run('extract the exported image', 'tar', ['-xf', `${dir}.tar`, '-C', dir], { timeout: 5 * 60_000 });
  rmSync(`${dir}.tar`, { force: true });
  return dir;
}

/** `docker save` of `ref`, extracted: manifest.json, the config and one layer.tar per layer. */
async function save(ref: string, dir: string, d: Dockerd): Promise<{ dir: string; layers: string[] }> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  await docker(`save ${ref}`, ['save', '-o', `${dir}.tar`, ref], d, { timeout: 5 * 60_000 });
  await run('extract the saved image', 'tar', ['-xf', `${dir}.tar`, '-C', dir], { timeout: 5 * 60_000 });
  rmSync(`${dir}.tar`, { force: true });
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { Layers: string[] }[];
  return { dir, layers: manifest[0]!.Layers.map((layer) => join(dir, layer)) };
}

/** Every file (layer tarballs, config, manifest) and metadata text of the image that contains `needle`. */
export async function findSecretInSave(ref: string, needle: string, dir: string, d: Dockerd): Promise<{ searched: number; hits: string[] }> {
  const saved = await save(ref, dir, d);
  const bytes = Buffer.from(needle);
  const files = walk(saved.dir).map((path) => join(saved.dir, path)).filter((path) => statSync(path).isFile());
  const hits = files.filter((file) => readFileSync(file).includes(bytes)).map((file) => relative(saved.dir, file));
  const texts: [string, string][] = [
    ['docker image inspect', (await docker('inspect', ['image', 'inspect', ref], d)).stdout],
    ['docker history', (await docker('history', ['history', '--no-trunc', '--format', '{{json .}}', ref], d)).stdout],
  ];
  for (const [name, text] of texts) if (text.includes(needle)) hits.push(name);
  rmSync(saved.dir, { recursive: true, force: true });
  return { searched: files.length + texts.length, hits };
}

/** Path -> "content hash, mode" and path -> mtime of one layer tarball. */
async function layerFiles(tarball: string, into: string): Promise<{ content: Map<string, string>; mtime: Map<string, number> }> {
  mkdirSync(into, { recursive: true });
  await run('extract layer', 'tar', ['-xf', tarball, '-C', into], { timeout: 5 * 60_000 });
  const content = new Map<string, string>();
  const mtime = new Map<string, number>();
  for (const path of walk(into)) {
    const stat = lstatSync(join(into, path));
    const hash = stat.isFile() ? createHash('sha256').update(readFileSync(join(into, path))).digest('hex') : stat.isDirectory() ? 'dir' : stat.isSymbolicLink() ? 'link' : 'other';
    content.set(path, `${hash} ${stat.mode.toString(8)}`);
    mtime.set(path, Math.floor(stat.mtimeMs));
  }
  rmSync(into, { recursive: true, force: true });
  return { content, mtime };
}

/**
 * Two images compared layer by layer: how many layers are identical, how many files differ only
 * in their times, and which differ in content, mode or presence (the second is what matters).
 */
export async function sameContents(a: string, b: string, work: string, d: Dockerd): Promise<{ sameLayers: number; timeOnly: string[]; contentDiffers: string[] }> {
  const [ia, ib] = [await dockerImage(a, d), await dockerImage(b, d)];
  if (ia.layers.length !== ib.layers.length) return { sameLayers: 0, timeOnly: [], contentDiffers: [`layer counts differ: ${ia.layers.length} / ${ib.layers.length}`] };
  const [sa, sb] = [await save(a, join(work, 'a'), d), await save(b, join(work, 'b'), d)];
  let sameLayers = 0;
  const timeOnly: string[] = [];
  const contentDiffers: string[] = [];
  for (let i = 0; i < ia.layers.length; i++) {
    if (ia.layers[i] === ib.layers[i]) {
      sameLayers++;
      continue;
    }
    const [fa, fb] = [await layerFiles(sa.layers[i]!, join(work, 'xa')), await layerFiles(sb.layers[i]!, join(work, 'xb'))];
    for (const path of new Set([...fa.content.keys(), ...fb.content.keys()])) {
      if (fa.content.get(path) !== fb.content.get(path)) contentDiffers.push(`layer ${i + 1}: ${path}`);
      else if (fa.mtime.get(path) !== fb.mtime.get(path)) timeOnly.push(`layer ${i + 1}: /${path}`);
    }
  }
  rmSync(work, { recursive: true, force: true });
  return { sameLayers, timeOnly, contentDiffers };
}
