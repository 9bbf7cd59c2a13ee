import { isIPv6 } from 'node:net';
import { escapeControls, quoteValue, showName } from '../text/show.ts';
import { CI_KINDS, GATES, type CiKind, type Gate } from './kinds.ts';

// Where messages quote outside text; kept importable from here, where the checks that use them live.
export { escapeControls, quoteValue, showName };

/** A rejected value: which flag/key, what was wrong, and a valid example. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly flag?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

export type Check<T> = (raw: string) => T;

// Anything that could end a line, quote, substitute or escape in a Dockerfile, TOML, YAML or shell.
const HOSTILE = /[\u0000-\u001f\u007f"'`$\\]|\$\(/;

/** A valid value as the user would write it where this one came from: after the flag, or as the preset's JSON member. */
function exampleFor(flag: string, example: string): string {
  const key = /: defaults\.([\w$]+)$/.exec(flag)?.[1];
  if (!key) return `${flag} ${example}`;
  return `"${key}": ${example.startsWith('"') ? example : JSON.stringify(example)}`;
}

function fail(flag: string, value: string, what: string, example: string): never {
  const shown = quoteValue(value);
  throw new UsageError(`${flag}: ${shown} ${what}. Example: ${exampleFor(flag, example)}`, flag);
}

/** An over-long value is blamed on its length (and shown shortened) before any pattern judges its characters. */
function checkLength(flag: string, raw: string, max: number, example: string): void {
  const length = [...raw].length;
  if (length <= max) return;
  const shown = `${quoteValue([...raw].slice(0, 40).join(''))}…`;
  throw new UsageError(`${flag}: ${shown} is ${length} characters long, more than the ${max} allowed. Example: ${exampleFor(flag, example)}`, flag);
}

const NAME = /^[a-z][a-z0-9-]{0,62}$/;
export function checkName(raw: string, flag = '--name'): string {
  checkLength(flag, raw, 63, 'billing-api');
  if (!NAME.test(raw) || raw.endsWith('-')) {
    fail(flag, raw, 'is not a lowercase DNS label ([a-z][a-z0-9-]{0,62}, not ending in "-")', 'billing-api');
  }
  return raw;
}

const DIRECTORY = /^[A-Za-z0-9._@+/-]+$/;
export function checkDirectory(raw: string, flag = '[directory]'): string {
  checkLength(flag, raw, 200, 'services/billing-api');
  if (raw.length === 0 || HOSTILE.test(raw) || !DIRECTORY.test(raw)) {
    fail(flag, raw, 'is not a plain path (letters, digits, . _ - @ + /)', 'services/billing-api');
  }
  if (raw.split('/').some((segment) => segment === '..')) {
    fail(flag, raw, 'escapes the current directory with ".."', 'services/billing-api');
  }
  // The printed next steps say `cd <directory>`: a leading "-" would be read as an option there.
  if (raw.startsWith('-')) fail(flag, raw, 'starts with "-", which commands read as an option', 'services/billing-api');
  return raw;
}

const HOST_LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
export const HOST = `(?:${HOST_LABEL}(?:\\.${HOST_LABEL})*|\\[[0-9a-fA-F:]+\\])`;
const PORT = '(?::(?:[1-9][0-9]{0,4}))';
export const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const REGISTRY = new RegExp(`^${HOST}${PORT}?(?:/${PATH_COMPONENT})*$`);

/** A host[:port] authority has a port of 1-65535 (or none), and a bracketed host is a real IPv6 address. */
function portInRange(authority: string): boolean {
  const ipv6 = /^\[([^\]]*)\]/.exec(authority);
  if (ipv6 && !isIPv6(ipv6[1]!)) return false;
  const port = /:(\d+)$/.exec(authority.replace(/^\[[^\]]*\]/, ''));
  return !port || Number(port[1]) <= 65535;
}

// Docker's limit on a repository name, registry host included (distribution/reference NameTotalLengthMax).
export const NAME_MAX = 255;

/** `host[:port][/path]` or `none` (null). */
export function checkRegistry(raw: string, flag = '--registry'): string | null {
  if (raw === 'none') return null;
  checkLength(flag, raw, NAME_MAX, 'registry.example.com:5000/base');
  const value = raw.replace(/\/+$/, '');
  if (HOSTILE.test(raw) || !REGISTRY.test(value) || !portInRange(value.split('/')[0]!)) {
    fail(flag, raw, 'is not a registry prefix host[:port][/path] (or "none")', 'registry.example.com:5000/base');
  }
  if (value.length > NAME_MAX) {
    fail(flag, raw, `is longer than ${NAME_MAX} characters, Docker's limit for an image name`, 'registry.example.com:5000/base');
  }
  return value;
}

export const TAG = '[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}';
export const DIGEST = 'sha256:[a-f0-9]{64}';
const IMAGE = new RegExp(
  `^(?:${HOST}${PORT}?/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*(?::(${TAG}))?(?:@(${DIGEST}))?$`,
);

/** A full image reference with an explicit tag (not `latest`) and an optional digest. */
export function checkImage(raw: string, flag: string, example: string): string {
  // The longest valid reference: a name, a 128-character tag and a sha256 digest.
  checkLength(flag, raw, NAME_MAX + 1 + 128 + 1 + 71, example);
  const tag = /:([^/:@]*)(?:@|$)/.exec(raw.slice(raw.lastIndexOf('/') + 1))?.[1];
  if (tag !== undefined && tag.length > 128) fail(flag, raw, `has a tag of ${tag.length} characters, more than the 128 allowed`, example);
  const match = HOSTILE.test(raw) ? null : IMAGE.exec(raw);
  if (!match || (raw.includes('/') && !portInRange(raw.split('/')[0]!))) {
    fail(flag, raw, 'is not an image reference [host[:port]/]path:tag[@sha256:digest]', example);
  }
  const [, parsedTag, digest] = match;
  if (!parsedTag && !digest) fail(flag, raw, 'has no tag: pin an explicit tag (and a digest where you can)', example);
  if (parsedTag === 'latest') fail(flag, raw, 'uses the "latest" tag, which drifts: pin a version tag', example);
  if (splitImage(raw).repository.length > NAME_MAX) fail(flag, raw, `has a name longer than ${NAME_MAX} characters, Docker's limit`, example);
  return raw;
}

/** Split `ref:tag@digest` into its parts (the input must already be a valid reference). */
export function splitImage(ref: string): { repository: string; tag: string | null; digest: string | null } {
  const at = ref.indexOf('@');
  const digest = at === -1 ? null : ref.slice(at + 1);
  const named = at === -1 ? ref : ref.slice(0, at);
  const colon = named.lastIndexOf(':');
  const hasTag = colon > named.lastIndexOf('/');
  return {
    repository: hasTag ? named.slice(0, colon) : named,
    tag: hasTag ? named.slice(colon + 1) : null,
    digest,
  };
}

export function checkCertBundle(raw: string, flag = '--cert-bundle'): string | null {
  if (raw === 'none') return null;
  return checkImage(raw, flag, 'registry.example.com/base/ca-bundle:20220405');
}

/** The `# syntax=` frontend image (D1), or `none` (null): no line, the builder's built-in frontend. */
export function checkSyntax(raw: string, flag = '--syntax'): string | null {
  if (raw === 'none') return null;
  return checkImage(raw, flag, 'registry.example.com/base/docker/dockerfile:1');
}

// Segments joined by single slashes; written so that no input can make the regex backtrack exponentially.
const CERT_PATH = /^\/(?:[A-Za-z0-9._-]+\/)*[A-Za-z0-9._-]*$/;
/** An absolute directory inside the CA bundle image; always returned with a trailing slash. */
export function checkCertPath(raw: string, flag = '--cert-path'): string {
  checkLength(flag, raw, 200, '/certs/');
  if (HOSTILE.test(raw) || !CERT_PATH.test(raw)) {
    fail(flag, raw, 'is not an absolute directory path', '/certs/');
  }
  if (raw.split('/').some((segment) => segment === '..' || segment === '.')) {
    fail(flag, raw, 'contains "." or ".." segments', '/certs/');
  }
  return raw.endsWith('/') ? raw : `${raw}/`;
}

const URL_PATH = /^[A-Za-z0-9._~\/+-]*$/;
/** An https URL without credentials, query or fragment; `none`/`public` mean the public index. */
export function checkIndexUrl(raw: string, flag = '--index-url', example = 'https://nexus.example.com/repository/pypi/simple'): string | null {
  if (raw === 'none' || raw === 'public') return null;
  checkLength(flag, raw, 2048, example);
  if (HOSTILE.test(raw) || /\s/.test(raw)) fail(flag, raw, 'contains quotes, spaces or control characters', example);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    fail(flag, raw, 'is not a URL', example);
  }
  // The URL parser also takes "https:host/path"; the checks below read the raw text, so insist on the plain form.
  if (url.protocol !== 'https:' || !raw.startsWith('https://')) fail(flag, raw, 'must start with https:// (TLS is verified with the CA bundle)', example);
  if (url.username || url.password || raw.slice(8).split('/')[0]!.includes('@')) {
    fail(flag, raw, 'contains credentials: pass them as a build secret, never in the URL', example);
  }
  if (url.search || url.hash || raw.includes('?') || raw.includes('#')) {
    fail(flag, raw, 'has a query or fragment', example);
  }
  const authority = raw.slice('https://'.length).split('/')[0]!;
  if (!new RegExp(`^${HOST}${PORT}?$`).test(authority) || !portInRange(authority)) {
    fail(flag, raw, 'has an invalid host or port', example);
  }
  const path = raw.slice('https://'.length + authority.length);
  if (!URL_PATH.test(path) || path.split('/').some((segment) => segment === '..' || segment === '.')) {
    fail(flag, raw, 'has an invalid path', example);
  }
  return raw;
}

// A letter may carry combining marks (decomposed accents, Devanagari vowel signs); a mark stands on a letter.
const MAINTAINER = /^(?:\p{L}\p{M}*|[\p{N} ._@<>()+,:/-])+$/u;
/** Normalized to NFC, so a name typed with decomposed accents is stored as it is usually written. */
export function checkMaintainer(raw: string, flag = '--maintainer'): string | null {
  if (raw === '' || raw === 'none') return null;
  const value = raw.normalize('NFC');
  checkLength(flag, value, 200, '"Team Foo <foo@example.com>"');
  if (HOSTILE.test(value) || !MAINTAINER.test(value) || value.trim() !== value) {
    fail(flag, raw, 'may hold letters (with their marks), digits, spaces and . _ @ < > ( ) + , : / - only', '"Team Foo <foo@example.com>"');
  }
  return value;
}

/** `offered`: the gates of the chosen language (all of GATES when it is not known yet). */
export function checkGates(raw: string | readonly string[], flag = '--gates', offered: readonly Gate[] = GATES, language = ''): Gate[] {
  // Only spaces around commas are forgiven (trim() would also drop newlines and U+2028).
  const list = typeof raw === 'string' ? raw.split(',').map((gate) => gate.replace(/^ +| +$/g, '')) : [...raw];
  const example = offered.filter((gate) => gate !== 'lint' && gate !== 'security').join(',');
  const text = typeof raw === 'string' ? raw : list.join(',');
  if (list.length === 0 || list.every((gate) => gate === '')) fail(flag, text, 'names no gate', example);
  for (const gate of list) {
    if (!(GATES as readonly string[]).includes(gate)) {
      fail(flag, text, `has an unknown gate ${quoteValue(gate)} (choose from ${offered.join(', ')})`, example);
    }
    if (!(offered as readonly string[]).includes(gate)) {
      fail(flag, text, `has the gate ${quoteValue(gate)}, which ${language} does not offer (choose from ${offered.join(', ')})`, example);
    }
  }
  // Keep the canonical order (cheapest first) and drop repeats.
  return GATES.filter((gate) => list.includes(gate));
}

export function checkCi(raw: string, flag = '--ci'): CiKind {
  if (!(CI_KINDS as readonly string[]).includes(raw)) fail(flag, raw, `is not one of ${CI_KINDS.join(', ')}`, 'gitlab');
  return raw as CiKind;
}

/** An on/off answer: `true` or `false` (a preset's JSON boolean arrives as that text). */
export function checkSwitch(raw: string, flag: string): boolean {
  if (raw === 'true' || raw === 'false') return raw === 'true';
  const key = /: defaults\.([\w$]+)$/.exec(flag)?.[1];
  const example = key ? `"${key}": false` : `${flag.replace(/^--(no-)?/, '--no-')}`;
  throw new UsageError(`${flag}: ${quoteValue(raw)} is not true or false. Example: ${example}`, flag);
}

export function checkChoice<T extends string>(raw: string, flag: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(raw)) fail(flag, raw, `is not one of ${choices.join(', ')}`, choices[0] ?? '');
  return raw as T;
}

/** A runtime version as its language names them: a minor X.Y (Python, Go) or a major (Node, Java). */
export function checkRuntimeVersion(raw: string, flag: string, supported: readonly string[]): string {
  const minor = supported.some((version) => version.includes('.'));
  const shape = minor ? /^[1-9][0-9]?\.[0-9]{1,2}$/ : /^[1-9][0-9]?$/;
  if (!shape.test(raw)) fail(flag, raw, minor ? 'is not a minor version X.Y' : 'is not a major version', supported[0] ?? '3.13');
  if (!supported.includes(raw)) fail(flag, raw, `is not supported (choose from ${supported.join(', ')})`, supported[0] ?? '');
  return raw;
}

export const TOOL_VERSION = /^[0-9][0-9A-Za-z.+-]{0,40}$/;
export function checkToolVersion(raw: string, key: string): string {
  checkLength(key, raw, 41, '2024.0.1');
  if (!TOOL_VERSION.test(raw)) fail(key, raw, 'is not a plain version number', '2024.0.1');
  return raw;
}
