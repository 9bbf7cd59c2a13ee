/** An image reference split the way registries read it: `[host[:port]/]path[:tag][@digest]`. */
export interface ImageRef {
  /** Everything before the tag and digest, e.g. `registry.example.com:5000/base/python`. */
  name: string;
  tag: string | null;
  digest: string | null;
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;

export function parseImageRef(reference: string): ImageRef {
  let rest = reference;
  let digest: string | null = null;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  // A colon after the last slash starts the tag; one before it is a registry port.
  const colon = rest.lastIndexOf(':');
  const tag = colon > rest.lastIndexOf('/') ? rest.slice(colon + 1) : null;
  const name = tag === null ? rest : rest.slice(0, colon);
  return { name, tag, digest };
}

/** True for a well-formed `sha256:` digest (64 lower-case hex digits). */
export function isDigest(digest: string): boolean {
  return DIGEST.test(digest);
}

/** BuildKit's automatic platform ARGs: usable in FROM without a declaration, known only at build time. */
export const PLATFORM_ARGS = ['BUILDPLATFORM', 'BUILDOS', 'BUILDARCH', 'BUILDVARIANT', 'TARGETPLATFORM', 'TARGETOS', 'TARGETARCH', 'TARGETVARIANT'] as const;

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;

/**
 * Expand `$NAME`, `${NAME}`, `${NAME:-default}`, `${NAME-default}`, `${NAME:+alt}`, `${NAME+alt}` from
 * `vars`, defaults nested (`${A:-${B}}`); unknown names stay as written. One pass over the text.
 */
export function expandVariables(text: string, vars: ReadonlyMap<string, string>): string {
  return expandFrom(text, 0, vars, false).value;
}

function expandFrom(text: string, start: number, vars: ReadonlyMap<string, string>, inBraces: boolean): { value: string; end: number } {
  let out = '';
  let i = start;
  while (i < text.length) {
    const c = text[i]!;
    if (inBraces && c === '}') return { value: out, end: i };
    if (c === '\\' && text[i + 1] === '$') {
      out += '\\$';
      i += 2;
      continue;
    }
    if (c !== '$') {
      out += c;
      i++;
      continue;
    }
    if (text[i + 1] === '{') {
      let j = i + 2;
      while (j < text.length && NAME_CHAR.test(text[j]!)) j++;
      const name = text.slice(i + 2, j);
      let op = '';
      if (text[j] === ':' && '-+?'.includes(text[j + 1] ?? '')) op = text.slice(j, j + 2);
      else if ('-+?'.includes(text[j] ?? '') && text[j] !== undefined) op = text[j]!;
      const word = expandFrom(text, j + op.length, vars, true);
      if (name === '' || word.end >= text.length) {
        // Not a well-formed reference: keep it as written.
        out += text.slice(i, word.end + 1);
        i = word.end + 1;
        continue;
      }
      const value = vars.get(name);
      const set = value !== undefined && (value !== '' || !op.startsWith(':'));
      if (op === '' || op.endsWith('?')) out += value ?? text.slice(i, word.end + 1);
      else if (op.endsWith('-')) out += set ? value! : word.value;
      else out += set ? word.value : '';
      i = word.end + 1;
      continue;
    }
    if (NAME_START.test(text[i + 1] ?? '')) {
      let j = i + 1;
      while (j < text.length && NAME_CHAR.test(text[j]!)) j++;
      const name = text.slice(i + 1, j);
      out += vars.get(name) ?? text.slice(i, j);
      i = j;
      continue;
    }
    out += c;
    i++;
  }
  return { value: out, end: i };
}
