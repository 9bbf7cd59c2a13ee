// Just enough of tar to unpack an npm tarball (gzip, ustar, pax and GNU long names) into a
// directory: regular files and directories only, no path outside it, sizes bounded. No tar or
// gzip program is needed on the user's machine.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize, sep } from 'node:path';
import { gunzipSync } from 'node:zlib';

/** An npm package of this tool is a few hundred KiB; this stops a runaway archive. */
export const MAX_UNPACKED_BYTES = 64 * 1024 * 1024;

const text = (block: Buffer, start: number, length: number) => {
  const field = block.subarray(start, start + length);
  const end = field.indexOf(0);
  return field.subarray(0, end < 0 ? length : end).toString('utf8');
};

/** The pax header's `path`, if it has one. */
function paxPath(data: Buffer): string | undefined {
  let rest = data.toString('utf8');
  while (rest.length > 0) {
    const space = rest.indexOf(' ');
    const length = Number(rest.slice(0, space));
    if (!Number.isInteger(length) || length <= 0) return undefined;
    const record = rest.slice(space + 1, length - 1);
    if (record.startsWith('path=')) return record.slice(5);
    rest = rest.slice(length);
  }
  return undefined;
}

/** Unpack a .tgz into `dir`; returns the files written (relative paths). */
export function unpackTarball(gzipped: Buffer, dir: string): string[] {
  const tar = gunzipSync(gzipped, { maxOutputLength: MAX_UNPACKED_BYTES });
  const written: string[] = [];
  let offset = 0;
  let longName: string | undefined;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break;
    const size = parseInt(text(header, 124, 12).trim() || '0', 8);
    if (!Number.isSafeInteger(size) || size < 0) throw new Error('tarball: a bad size field');
    const type = String.fromCharCode(header[156]!);
    const body = tar.subarray(offset + 512, offset + 512 + size);
    offset += 512 + Math.ceil(size / 512) * 512;
    if (type === 'x' || type === 'L') {
      longName = type === 'L' ? text(body, 0, body.length) : paxPath(body);
      continue;
    }
    if (type === 'g') continue;
    const prefix = text(header, 345, 155);
    const name = longName ?? (prefix ? `${prefix}/${text(header, 0, 100)}` : text(header, 0, 100));
    longName = undefined;
    if (type !== '0' && type !== '\0' && type !== '5') continue; // links, devices: never unpacked
    const path = normalize(name);
    if (path.startsWith(sep) || path === '..' || path.startsWith(`..${sep}`)) throw new Error(`tarball: ${JSON.stringify(name)} is outside the package`);
    if (type === '5') {
      mkdirSync(join(dir, path), { recursive: true });
      continue;
    }
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), body, { mode: 0o644, flag: 'wx' });
    written.push(path);
  }
  return written;
}
