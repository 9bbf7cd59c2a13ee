// What a --preset value (or an `extends` entry) names: a file, an npm package or an https URL.
// Pure: the caller says whether a path exists; fetching is the preset step's.
import { UsageError, quoteValue } from './validate.ts';

export type IntegrityAlgorithm = 'sha256' | 'sha384' | 'sha512';

/** An SRI-style digest, `sha256-<base64>`, from a URL's fragment. */
export interface Integrity {
  algorithm: IntegrityAlgorithm;
  /** base64, as written */
  digest: string;
}

export type PresetSource =
  | { kind: 'file'; path: string }
  | { kind: 'package'; name: string; range: string | undefined; spec: string }
  | { kind: 'url'; url: URL; integrity: Integrity | undefined };

export const PRESET_EXAMPLES = '--preset ./team-preset.json, --preset @acme/hardened-preset@^1 or --preset https://presets.example.com/team.json#sha256-<base64>';

const DIGEST_BYTES: Record<IntegrityAlgorithm, number> = { sha256: 32, sha384: 48, sha512: 64 };
// npm's rules for new package names: lowercase, URL-safe, at most 214 characters with the scope.
const PACKAGE = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;
// A version, a range or a dist-tag: never a git URL, a path, a tarball or an alias (npm:, file:, github:).
const RANGE = /^[\w.^~<>=*|+ -]{1,100}$/;

/** A path as people write one: relative with ./ or ../, absolute, or a .json file name. */
export function looksLikePath(spec: string): boolean {
  return /^(\.{1,2}[\\/]|\/|~)/.test(spec) || /\.json$/i.test(spec);
}

/**
 * Classify `spec` (given through `flag`). A path-like value is a file; a bare name is a file when
 * one exists there (`exists`), else an npm package; `scheme://` must be https. Errors are usage
 * errors with examples.
 */
export function presetSource(spec: string, flag: string, exists: (path: string) => boolean): PresetSource {
  const fail = (what: string): never => {
    throw new UsageError(`${flag}: ${quoteValue(spec.slice(0, 200))} ${what}. Examples: ${PRESET_EXAMPLES}`, flag);
  };
  if (spec.trim() === '') fail('is empty');
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(spec)?.[1]?.toLowerCase();
  // A file may have any name (the reader escapes it in messages); a URL parser would drop a newline silently.
  const control = /[\0-\x1f\x7f]/.test(spec);
  // One letter is a Windows drive (C:\presets\team.json), not a scheme.
  if (scheme && scheme.length > 1) return control ? fail('holds a control character') : { kind: 'url', ...httpsUrl(spec, flag) };
  if (looksLikePath(spec) || exists(spec)) return { kind: 'file', path: spec };
  if (control) fail('holds a control character: not a file here, an npm package nor an https URL');
  const at = spec.indexOf('@', 1);
  const name = at === -1 ? spec : spec.slice(0, at);
  const range = at === -1 ? undefined : spec.slice(at + 1);
  if (!PACKAGE.test(name) || name.length > 214) fail('is neither a file here, an npm package name nor an https URL');
  if (range !== undefined && !RANGE.test(range)) fail(`names the package ${name} at ${quoteValue(range.slice(0, 100))}, which is not a version, range or tag (git, file and alias specs are not taken)`);
  return { kind: 'package', name, range, spec };
}

/** An https URL without credentials, and its optional integrity fragment. */
function httpsUrl(spec: string, flag: string): { url: URL; integrity: Integrity | undefined } {
  const example = 'Example: --preset https://presets.example.com/team.json#sha256-<base64>';
  const fail = (what: string): never => {
    throw new UsageError(`${flag}: ${what}. ${example}`, flag);
  };
  let url: URL;
  try {
    url = new URL(spec);
  } catch {
    return fail(`${quoteValue(spec.slice(0, 200))} is not a valid URL`);
  }
  const shown = `${url.protocol}//${url.host}${url.pathname}`;
  if (url.protocol === 'http:') fail(`${quoteValue(shown)} is plain http: presets are fetched over https only, so nobody on the way can change them`);
  if (url.protocol !== 'https:') fail(`${quoteValue(shown)}: a preset URL must be https`);
  // The source is recorded in the project: a token in it would be committed.
  if (url.username || url.password) fail(`${quoteValue(`https://${url.host}${url.pathname}`)} holds credentials; they are never taken in a preset URL (it is recorded in the project)`);
  if (!url.hash) return { url, integrity: undefined };
  const match = /^#(sha256|sha384|sha512)-([A-Za-z0-9+/]+={0,2})$/.exec(url.hash);
  const algorithm = match?.[1] as IntegrityAlgorithm | undefined;
  if (!match || !algorithm || Buffer.from(match[2]!, 'base64').length !== DIGEST_BYTES[algorithm] || Buffer.from(match[2]!, 'base64').toString('base64') !== match[2]) {
    fail(`the fragment of ${quoteValue(shown)} is not an integrity digest (sha256-, sha384- or sha512- and the base64 digest, as in SRI)`);
  }
  return { url, integrity: { algorithm: algorithm!, digest: match![2]! } };
}
