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

/** Expand `$NAME`, `${NAME}`, `${NAME:-default}`, `${NAME:+alt}` from `vars`; unknown names stay. */
export function expandVariables(text: string, vars: Map<string, string>): string {
  return text.replace(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g, (whole, braced, op, word, bare) => {
    const value = vars.get((braced ?? bare) as string);
    const set = value !== undefined && (value !== '' || !String(op ?? '').startsWith(':'));
    if (op === undefined) return value ?? whole;
    if (String(op).endsWith('-')) return set ? value! : (word as string);
    return set ? (word as string) : '';
  });
}
