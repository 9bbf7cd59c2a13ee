// The package's size: the tarball `npm pack` makes (after `npm run build`), by part, each part's
// files unpacked and gzipped alone (what it adds to the tarball, roughly: the tarball compresses
// across files). `npm run bench` prints the same rows beside its goal.
// Usage: node scripts/size.mjs [--top N]   (--top: also the N largest files)
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const npmEnv = { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };

/** npm's own report for a `npm pack --dry-run` of `args` (nothing written), run in `cwd`. */
export function packed(args = [], cwd = ROOT) {
  const result = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts', ...args], { cwd, encoding: 'utf8', env: npmEnv });
  if (result.status !== 0) throw new Error(`npm pack ${args.join(' ')} failed: ${result.stderr}`);
  return JSON.parse(result.stdout.slice(result.stdout.indexOf('[')))[0];
}

/** The part a packed file belongs to: each dist/ file alone, templates/ by language, else the top folder or file. */
function partOf(path) {
  const parts = path.split('/');
  if (parts.length === 1) return path;
  if (parts[0] === 'dist') return path;
  if (parts[0] === 'templates') return `templates/${parts[1]}/`;
  return `${parts[0]}/`;
}

/** Our tarball: its size, and every file with its unpacked and gzipped-alone size, grouped by part (largest first). */
export function tarballParts(root = ROOT) {
  const report = packed([], root);
  const files = report.files.map((file) => ({ path: file.path, size: file.size, gzip: gzipSync(readFileSync(join(root, file.path)), { level: 9 }).length }));
  const parts = new Map();
  for (const file of files) {
    const part = parts.get(partOf(file.path)) ?? { part: partOf(file.path), files: 0, size: 0, gzip: 0 };
    part.files += 1;
    part.size += file.size;
    part.gzip += file.gzip;
    parts.set(part.part, part);
  }
  return { report, files: files.sort((a, b) => b.gzip - a.gzip), parts: [...parts.values()].sort((a, b) => b.gzip - a.gzip) };
}

export const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

/** The table of parts, one line each, `indent` before. */
export function partLines({ parts }, indent = '') {
  return parts.map(({ part, files, size, gzip }) => `${indent}${part.padEnd(34)}${`${files} file${files === 1 ? '' : 's'}`.padStart(9)} ${kb(size).padStart(10)} unpacked ${kb(gzip).padStart(9)} gzipped alone`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const topIndex = process.argv.indexOf('--top');
  const top = topIndex === -1 ? 0 : Number(process.argv[topIndex + 1]);
  if (topIndex !== -1 && !(Number.isInteger(top) && top > 0)) {
    console.error('error --top needs a whole number of files, e.g. --top 10');
    process.exit(2);
  }
  const size = tarballParts();
  const { report } = size;
  console.log(`${report.name}@${report.version}: tarball ${kb(report.size)}, ${report.entryCount} files, ${kb(report.unpackedSize)} unpacked`);
  for (const line of partLines(size, '  ')) console.log(line);
  if (top > 0) {
    console.log(`largest ${Math.min(top, size.files.length)} files (by gzipped size):`);
    for (const file of size.files.slice(0, top)) console.log(`  ${file.path.padEnd(50)}${kb(file.size).padStart(10)} unpacked ${kb(file.gzip).padStart(9)} gzipped`);
  }
}
