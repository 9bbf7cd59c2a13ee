/**
 * `.dockerignore` evaluation as BuildKit does it: patterns relative to the context root (a leading
 * `/` is dropped), Go filepath.Match globs plus `**`, `!` re-includes, and the last matching
 * pattern wins. A pattern that matches a directory excludes everything under it.
 */

interface Pattern {
  regex: RegExp;
  negate: boolean;
}

function globToRegex(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      // `**/` matches any number of directories, including none.
      if (glob[i + 2] === '/') {
        source += '(?:.*/)?';
        i += 2;
      } else {
        source += '.*';
        i += 1;
      }
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i);
      if (end === -1) source += '\\[';
      else {
        source += `[${glob.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else if (c === '\\' && i + 1 < glob.length) source += `\\${glob[++i]}`;
    else source += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
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
    patterns.push({ regex: globToRegex(cleaned), negate });
  }
  return patterns;
}

/** True when `path` (relative to the build context) is left out of the context. */
export function isIgnored(patterns: Pattern[], path: string): boolean {
  const parts = clean(path).split('/');
  let ignored = false;
  for (const pattern of patterns) {
    // The pattern matches the path itself or one of its parent directories.
    const matches = parts.some((_, i) => pattern.regex.test(parts.slice(0, i + 1).join('/')));
    if (matches) ignored = !pattern.negate;
  }
  return ignored;
}
