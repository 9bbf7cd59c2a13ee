// The regular files of a gzipped tarball (an npm package), read in memory: nothing is written, so
// no entry can land outside a directory, and an archive with a name that would (absolute, ..) is
// refused as a whole. Sizes are bounded before and after decompression.
import { gunzipSync } from 'node:zlib';

export class BadArchive extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BadArchive';
  }
}

export interface TarLimits {
  /** The largest archive taken, compressed. */
  maxBytes: number;
  /** The largest it may grow to once decompressed (a gzip bomb stops there). */
  maxUnpackedBytes: number;
}

const BLOCK = 512;

function field(header: Buffer, start: number, length: number): string {
  const raw = header.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end === -1 ? length : end).toString('utf8');
}

function octal(header: Buffer, start: number, length: number): number {
  const text = field(header, start, length).trim();
  if (!/^[0-7]*$/.test(text)) throw new BadArchive('an entry size is not an octal number');
  return text === '' ? 0 : parseInt(text, 8);
}

/** `path` in a PAX extended header's records (`<len> path=<value>\n`), if any. */
function paxPath(body: Buffer): string | undefined {
  let rest = body.toString('utf8');
  let path: string | undefined;
  while (rest.length > 0) {
    const space = rest.indexOf(' ');
    const length = Number(rest.slice(0, space));
    if (space <= 0 || !Number.isInteger(length) || length <= space) break;
    const record = rest.slice(space + 1, length - 1);
    if (record.startsWith('path=')) path = record.slice(5);
    rest = rest.slice(length);
  }
  return path;
}

/** A relative, normalized entry name, or an error: nothing absolute, no `..`, no backslash. */
function safeName(name: string): string {
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name) || name.includes('\\') || name.includes('\0')) throw new BadArchive(`unsafe entry name ${JSON.stringify(name.slice(0, 100))}`);
  const parts = name.split('/').filter((part) => part !== '' && part !== '.');
  if (parts.includes('..')) throw new BadArchive(`unsafe entry name ${JSON.stringify(name.slice(0, 100))}`);
  return parts.join('/');
}

/** Every regular file of a .tgz, by its normalized path; links, devices and directories are skipped. */
export function readTarball(archive: Buffer, limits: TarLimits): Map<string, Buffer> {
  if (archive.length > limits.maxBytes) throw new BadArchive(`the archive is larger than ${limits.maxBytes} bytes`);
  let tar: Buffer;
  try {
    tar = gunzipSync(archive, { maxOutputLength: limits.maxUnpackedBytes });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new BadArchive(code === 'ERR_BUFFER_TOO_LARGE' ? `the archive unpacks to more than ${limits.maxUnpackedBytes} bytes` : 'the archive is not gzip-compressed');
  }
  const files = new Map<string, Buffer>();
  let longName: string | undefined;
  for (let offset = 0; offset + BLOCK <= tar.length; ) {
    const header = tar.subarray(offset, offset + BLOCK);
    if (header.every((byte) => byte === 0)) break;
    const size = octal(header, 124, 12);
    const type = String.fromCharCode(header[156]!);
    const start = offset + BLOCK;
    if (start + size > tar.length) throw new BadArchive('an entry runs past the end of the archive');
    const body = tar.subarray(start, start + size);
    offset = start + Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'x') {
      longName = paxPath(body);
      continue;
    }
    if (type === 'L') {
      longName = field(body, 0, body.length);
      continue;
    }
    if (type === 'g') continue;
    const prefix = field(header, 345, 155);
    const name = longName ?? (prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100));
    longName = undefined;
    const path = safeName(name);
    if (type === '0' || type === '\0' || type === '7') files.set(path, Buffer.from(body));
  }
  return files;
}
