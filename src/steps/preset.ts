// The team preset: --preset, else HARDENED_SERVICE_PRESET; a file, an npm package or an https URL,
// with the presets it `extends` merged under it. Anything that cannot be read is a usage error
// naming the source (as an unreadable file always was); nothing is written before this settles.
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, posix, relative, resolve, sep } from 'node:path';
import { mergePresets, parsePresetText, readPresetFile, MAX_PRESET_CHAIN, PRESET_MAX_BYTES, type Preset } from '../options/preset.ts';
import { PRESET_EXAMPLES, presetSource, type Integrity, type PresetSource } from '../options/preset-source.ts';
import type { PresetRecord } from '../options/types.ts';
import { UsageError, quoteValue, showName } from '../options/validate.ts';

/** The preset the run uses; `given` is the value as the user wrote it, `record` what the project records. */
export interface PresetChoice {
  preset: Preset | undefined;
  given: string | undefined;
  record: PresetRecord | undefined;
}

/** A package holds one preset: the file its package.json names under this key, else preset.json. */
export const PACKAGE_PRESET_KEY = 'hardenedServicePreset';
export const PACKAGE_PRESET_FILE = 'preset.json';
/** A preset package is a few files; these stop a wrong package (or a bomb) early. */
const PACKAGE_MAX_BYTES = 5 * 1024 * 1024;
const PACKAGE_MAX_UNPACKED_BYTES = 32 * 1024 * 1024;
const URL_TIMEOUT_MS = 15_000;

interface Context {
  flag: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal | undefined;
}

/** Where a preset was found, which is what its relative `extends` resolve against. */
type Place = { kind: 'file'; dir: string } | { kind: 'package'; id: string; label: string; files: Map<string, Buffer>; dir: string } | { kind: 'url'; url: URL };

interface Fetched {
  /** Identity for cycles: the same preset reached twice is the same id. */
  id: string;
  /** For messages and the header. */
  label: string;
  /** The document as read: its sha256 is recorded, its text parsed. */
  bytes: Buffer;
  place: Place;
  version?: string;
}

export async function readPreset(flag: string | undefined, env: NodeJS.ProcessEnv, cwd: string, signal?: AbortSignal): Promise<PresetChoice> {
  const given = flag ?? env.HARDENED_SERVICE_PRESET;
  if (!given) return { preset: undefined, given: undefined, record: undefined };
  const context: Context = { flag: flag !== undefined ? '--preset' : 'HARDENED_SERVICE_PRESET', cwd, env, signal };
  const top = await fetchPreset(given, { kind: 'file', dir: cwd }, context);
  // Loaded only when a preset is read: a run without one needs no hashing (nor TLS, nor npm).
  const { createHash } = await import('node:crypto');
  const preset = await resolveChain(top, [], context);
  const sha256 = createHash('sha256').update(top.bytes).digest('hex');
  const source = top.place.kind === 'file' ? resolve(cwd, given) : given;
  return { preset, given, record: { source, ...(top.version ? { version: top.version } : {}), sha256 } };
}

/**
 * The record as the project keeps it: a file given by a relative path is recorded relative to the
 * project directory (so it still resolves when the repository moves along with its presets); an
 * absolute path, a package or a URL as given.
 */
export function recordIn({ record, given }: Pick<PresetChoice, 'record' | 'given'>, projectDir: string): PresetRecord | undefined {
  if (!record || !given || !isAbsolute(record.source) || isAbsolute(given)) return record;
  const path = relative(projectDir, record.source).split(sep).join('/');
  return { ...record, source: path.startsWith('../') ? path : `./${path}` };
}

/** Parse `fetched`, then merge the presets it extends under it (bases first, in the order listed). */
async function resolveChain(fetched: Fetched, chain: Fetched[], context: Context): Promise<Preset> {
  const path = [...chain, fetched];
  const names = () => path.map((entry) => showName(entry.label)).join(' -> ');
  if (chain.some((entry) => entry.id === fetched.id)) throw new UsageError(`preset ${names()}: extends itself (a cycle); remove one of these "extends"`, '--preset');
  if (path.length > MAX_PRESET_CHAIN) throw new UsageError(`preset ${names()}: more than ${MAX_PRESET_CHAIN} presets extend one another; flatten the chain`, '--preset');
  const layer = parsePresetText(fetched.bytes.toString('utf8'), fetched.label);
  const bases: Preset[] = [];
  for (const base of layer.extends) {
    const next = await fetchPreset(base, fetched.place, { ...context, flag: `preset ${showName(fetched.label)}: "extends"` });
    bases.push(await resolveChain(next, path, context));
  }
  return bases.length === 0 ? layer.preset : mergePresets([...bases, layer.preset], fetched.label);
}

const relativeSpec = (spec: string) => /^\.{1,2}\//.test(spec);

/** One preset document, from wherever `spec` points, relative to the preset that named it. */
async function fetchPreset(spec: string, from: Place, context: Context): Promise<Fetched> {
  if (from.kind === 'package' && relativeSpec(spec)) return packageFile(from, posix.join(from.dir, spec), context.flag);
  if (from.kind === 'url' && relativeSpec(spec)) return fetchUrl({ kind: 'url', ...urlParts(new URL(spec, from.url), context.flag) }, context);
  const base = from.kind === 'file' ? from.dir : context.cwd;
  const source: PresetSource = presetSource(spec, context.flag, (path) => from.kind === 'file' && existsSync(resolve(base, path)));
  if (source.kind === 'file') {
    // A package or a URL names only its own files (relative) or other packages and URLs: never a path on this machine.
    if (from.kind !== 'file') throw new UsageError(`${context.flag}: ${quoteValue(spec)} is a local path; a package or URL preset may extend only its own files (./...), npm packages and https URLs`, '--preset');
    const file = resolve(base, source.path);
    return { id: `file:${file}`, label: file, bytes: Buffer.from(readPresetFile(file, context.flag)), place: { kind: 'file', dir: dirname(file) } };
  }
  if (source.kind === 'url') return fetchUrl(source, context);
  return fetchPackage(source, context);
}

function urlParts(url: URL, flag: string): { url: URL; integrity: Integrity | undefined } {
  // The same checks as a --preset URL: https, no credentials, a well-formed integrity fragment.
  const checked = presetSource(url.href, flag, () => false);
  if (checked.kind !== 'url') throw new Error('unreachable: a URL classified as something else');
  return checked;
}

async function fetchUrl(source: Extract<PresetSource, { kind: 'url' }>, context: Context): Promise<Fetched> {
  const url = new URL(source.url.href);
  url.hash = '';
  const label = url.href;
  const fail = (why: string): never => {
    throw new UsageError(`${context.flag}: cannot fetch the preset ${label}: ${why}. Examples: ${PRESET_EXAMPLES}`, '--preset');
  };
  const [{ RegistryError }, { header, send }, { trustedCertificates }, { createHash }] = await Promise.all([
    import('../registry/errors.ts'),
    import('../registry/http.ts'),
    import('../registry/trust.ts'),
    import('node:crypto'),
  ]);
  let body: Buffer = Buffer.alloc(0);
  try {
    const ca = trustedCertificates(context.env);
    const timeout = AbortSignal.timeout(URL_TIMEOUT_MS);
    const signal = context.signal ? AbortSignal.any([context.signal, timeout]) : timeout;
    const response = await send(
      { method: 'GET', url, headers: { accept: 'application/json', 'user-agent': 'create-hardened-service' }, maxBytes: PRESET_MAX_BYTES },
      { ca, signal, timeoutMs: URL_TIMEOUT_MS },
    );
    if (response.status !== 200) fail(`the server answered ${response.status}${header(response, 'content-type') ? ` (${header(response, 'content-type')})` : ''}`);
    body = response.body;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    if (context.signal?.aborted) throw error;
    if (error instanceof RegistryError) fail(error.message.replace(/registries are only spoken to over https/, 'presets are fetched over https only'));
    throw error;
  }
  if (source.integrity) {
    const actual = createHash(source.integrity.algorithm).update(body).digest('base64');
    if (actual !== source.integrity.digest) {
      throw new UsageError(
        `${context.flag}: the preset ${label} does not match its integrity: expected ${source.integrity.algorithm}-${source.integrity.digest}, got ${source.integrity.algorithm}-${actual}. It changed since the digest was taken: check it, then update the digest.`,
        '--preset',
      );
    }
  }
  return { id: `url:${label}`, label, bytes: body, place: { kind: 'url', url } };
}

async function fetchPackage(source: Extract<PresetSource, { kind: 'package' }>, context: Context): Promise<Fetched> {
  const [{ BadArchive, readTarball }, { npmPack, PackFailed }] = await Promise.all([import('../fs/tar.ts'), import('../tasks/npm-pack.ts')]);
  let files: Map<string, Buffer>;
  let packed;
  try {
    packed = await npmPack(source.spec, { cwd: context.cwd, env: context.env, signal: context.signal, maxBytes: PACKAGE_MAX_BYTES });
    files = readTarball(packed.tarball, { maxBytes: PACKAGE_MAX_BYTES, maxUnpackedBytes: PACKAGE_MAX_UNPACKED_BYTES });
  } catch (error) {
    if (context.signal?.aborted) throw error;
    if (error instanceof PackFailed || error instanceof BadArchive) {
      const bare = !source.spec.startsWith('@') && source.range === undefined ? ` (and there is no file ${showName(resolve(context.cwd, source.spec))})` : '';
      throw new UsageError(`${context.flag}: cannot get the preset package ${source.spec}${bare}: ${error.message}. Examples: ${PRESET_EXAMPLES}`, '--preset');
    }
    throw error;
  }
  const label = `${packed.name}@${packed.version}`;
  // npm packs every file under package/.
  const inPackage = new Map([...files].filter(([path]) => path.startsWith('package/')).map(([path, content]) => [path.slice('package/'.length), content]));
  const place = { kind: 'package' as const, id: `npm:${label}`, label, files: inPackage, dir: '.' };
  let entry = PACKAGE_PRESET_FILE;
  const manifest = inPackage.get('package.json');
  if (manifest) {
    let named: unknown;
    try {
      named = (JSON.parse(manifest.toString('utf8')) as Record<string, unknown>)[PACKAGE_PRESET_KEY];
    } catch {
      named = undefined;
    }
    if (named !== undefined && typeof named !== 'string') throw new UsageError(`preset package ${label}: package.json "${PACKAGE_PRESET_KEY}" must be the path of the preset file, e.g. "presets/team.json"`, '--preset');
    if (typeof named === 'string') entry = named;
  }
  return { ...packageFile(place, posix.normalize(entry), context.flag), version: packed.version };
}

/** A file inside a package, by a path relative to its root; never outside it. */
function packageFile(place: Extract<Place, { kind: 'package' }>, path: string, flag: string): Fetched {
  const normalized = posix.normalize(path).replace(/^\.\//, '');
  if (normalized.startsWith('../') || normalized === '..' || posix.isAbsolute(normalized)) {
    throw new UsageError(`${flag}: ${quoteValue(path)} leaves the package ${place.label}; a package's presets extend its own files, other packages or https URLs`, '--preset');
  }
  const content = place.files.get(normalized);
  if (!content) throw new UsageError(`${flag}: the package ${place.label} has no ${normalized} (a preset package holds ${PACKAGE_PRESET_FILE}, or names its file in package.json "${PACKAGE_PRESET_KEY}")`, '--preset');
  if (content.length > PRESET_MAX_BYTES) throw new UsageError(`preset ${place.label}/${normalized} is larger than ${PRESET_MAX_BYTES} bytes`, '--preset');
  const label = normalized === PACKAGE_PRESET_FILE && place.dir === '.' ? place.label : `${place.label}/${normalized}`;
  return { id: `${place.id}/${normalized}`, label, bytes: content, place: { ...place, dir: posix.dirname(normalized) } };
}
