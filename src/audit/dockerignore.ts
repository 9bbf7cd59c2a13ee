/**
 * `.dockerignore` evaluation as BuildKit does it: patterns relative to the context root (a leading
 * `/` is dropped), Go filepath.Match globs plus `**`, `!` re-includes, and the last matching
 * pattern wins. A pattern that matches a directory excludes everything under it.
 *
 * Globs are matched by stepping a set of states through the path (an NFA), never by backtracking,
 * so time is at most pattern length x path length whatever the pattern (`**` repeated included).
 */

type Token =
  | { kind: 'char'; char: string }
  | { kind: 'one' } // ?
  | { kind: 'star' } // * (within one path segment)
  | { kind: 'any' } // ** not followed by / (anything, slashes included)
  | { kind: 'dirs' } // **/ (zero or more whole directories)
  | { kind: 'class'; negate: boolean; items: Array<[string, string]> };

export interface Pattern {
  tokens: Token[];
  negate: boolean;
}

function tokenize(glob: string): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      let j = i;
      while (glob[j] === '*') j++;
      if (glob[j] === '/') {
        // `**/**/` is the same as `**/`: collapse so repeated stars add no states.
        if (tokens[tokens.length - 1]?.kind !== 'dirs') tokens.push({ kind: 'dirs' });
        i = j;
      } else {
        if (tokens[tokens.length - 1]?.kind !== 'any') tokens.push({ kind: 'any' });
        i = j - 1;
      }
    } else if (c === '*') {
      if (tokens[tokens.length - 1]?.kind !== 'star') tokens.push({ kind: 'star' });
    } else if (c === '?') tokens.push({ kind: 'one' });
    else if (c === '[' && glob.indexOf(']', i + 2) !== -1) {
      let j = i + 1;
      const negate = glob[j] === '!' || glob[j] === '^';
      if (negate) j++;
      const items: Array<[string, string]> = [];
      let first = true;
      while (j < glob.length && (glob[j] !== ']' || first)) {
        first = false;
        let low = glob[j]!;
        if (low === '\\' && j + 1 < glob.length) low = glob[++j]!;
        let high = low;
        if (glob[j + 1] === '-' && glob[j + 2] !== undefined && glob[j + 2] !== ']') {
          high = glob[j + 2]!;
          if (high === '\\' && j + 3 < glob.length) high = glob[++j + 2]!;
          j += 2;
        }
        items.push([low, high]);
        j++;
      }
      tokens.push({ kind: 'class', negate, items });
      i = j;
    } else if (c === '\\' && i + 1 < glob.length) tokens.push({ kind: 'char', char: glob[++i]! });
    else tokens.push({ kind: 'char', char: c });
  }
  return tokens;
}

/** True when the whole of `path` matches the pattern's tokens. */
export function globMatch(tokens: readonly Token[], path: string): boolean {
  const n = tokens.length;
  // State i: before token i (n: matched). State n + 1 + i: inside the `**/` at token i.
  let current = new Uint8Array(2 * n + 2);
  let next = new Uint8Array(2 * n + 2);
  const close = (set: Uint8Array) => {
    // Tokens that can match nothing let the state move on without a character.
    for (let i = 0; i < n; i++) {
      const kind = tokens[i]!.kind;
      if (set[i] && (kind === 'star' || kind === 'any' || kind === 'dirs')) set[i + 1] = 1;
    }
  };
  current[0] = 1;
  close(current);
  for (const c of path) {
    next.fill(0);
    let alive = false;
    for (let i = 0; i < n; i++) {
      const token = tokens[i]!;
      const inside = token.kind === 'dirs' && current[n + 1 + i] === 1;
      if (!current[i] && !inside) continue;
      switch (token.kind) {
        case 'char':
          if (c === token.char) next[i + 1] = 1;
          break;
        case 'one':
          if (c !== '/') next[i + 1] = 1;
          break;
        case 'star':
          if (c !== '/') next[i] = 1;
          break;
        case 'any':
          next[i] = 1;
          break;
        case 'dirs':
          next[n + 1 + i] = 1;
          if (c === '/') next[i + 1] = 1;
          break;
        case 'class': {
          const hit = c !== '/' && token.items.some(([low, high]) => c >= low && c <= high);
          if (hit !== token.negate && c !== '/') next[i + 1] = 1;
          break;
        }
      }
    }
    close(next);
    for (let i = 0; i < next.length; i++) if (next[i]) alive = true;
    if (!alive) return false;
    [current, next] = [next, current];
  }
  return current[n] === 1;
}

function clean(path: string): string {
  return path
    .split('/')
    .filter((part) => part !== '' && part !== '.')
    .join('/');
}

export function parseDockerignore(text: string): Pattern[] {
  const patterns: Pattern[] = [];
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const negate = line.startsWith('!');
    if (negate) line = line.slice(1).trim();
    const cleaned = clean(line);
    if (cleaned === '') continue;
    patterns.push({ tokens: tokenize(cleaned), negate });
  }
  return patterns;
}

/** True when `path` (relative to the build context) is left out of the context. */
export function isIgnored(patterns: readonly Pattern[], path: string): boolean {
  const parts = clean(path).split('/');
  const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
  let ignored = false;
  for (const pattern of patterns) {
    // The pattern matches the path itself or one of its parent directories.
    if (prefixes.some((prefix) => globMatch(pattern.tokens, prefix))) ignored = !pattern.negate;
  }
  return ignored;
}
