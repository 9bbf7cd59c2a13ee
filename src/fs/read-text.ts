import { isUtf8 } from 'node:buffer';
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';

/** A file that cannot be read as text: which path, and why in a few words. */
export class UnreadableFile extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path} ${reason}`);
    this.name = 'UnreadableFile';
  }
}

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'is a directory';
  if (stats.isFIFO()) return 'is a FIFO (named pipe)';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'is a device';
  if (stats.isSocket()) return 'is a socket';
  return 'is not a regular file';
}

const REASONS: Record<string, string> = {
  ENOENT: 'does not exist',
  EACCES: 'is not readable (permission denied)',
  EPERM: 'is not readable (permission denied)',
  ENOTDIR: 'is inside a file, not a directory',
  ELOOP: 'is a symbolic link loop',
  ENAMETOOLONG: 'is too long a path',
};

export interface ReadTextOptions {
  /** Refuse files larger than this many bytes. */
  maxBytes: number;
}

/**
 * Read a regular file as UTF-8 text, without ever blocking or reading without bound: the file is
 * opened non-blocking (a FIFO does not wait for a writer), anything but a regular file is refused,
 * at most `maxBytes` are read, and text that is not UTF-8 or holds NUL bytes is refused as binary.
 * A leading byte-order mark is dropped. Throws UnreadableFile naming the path and the reason.
 */
export function readTextFile(path: string, options: ReadTextOptions): string {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new UnreadableFile(path, REASONS[code] ?? `cannot be read (${code})`);
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new UnreadableFile(path, kindOf(stats));
    if (stats.size > options.maxBytes) throw new UnreadableFile(path, `is larger than ${options.maxBytes} bytes (${stats.size})`);
    // The size can change under us: read one byte past the limit to notice a file that grew.
    const buffer = Buffer.alloc(Math.min(stats.size, options.maxBytes) + 1);
    let length = 0;
    for (;;) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
      if (length === buffer.length) break;
    }
    if (length > options.maxBytes) throw new UnreadableFile(path, `is larger than ${options.maxBytes} bytes`);
    const bytes = buffer.subarray(0, length);
    if (bytes.includes(0)) throw new UnreadableFile(path, 'is binary, not text');
    // Validate, then decode: several times cheaper than a fatal TextDecoder on a large file, with
    // the same refusal. The byte-order mark is skipped as TextDecoder skips it.
    if (!isUtf8(bytes)) throw new UnreadableFile(path, 'is not UTF-8 text');
    const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
    const text = bytes.toString('utf8', bom);
    return text.startsWith('\uFEFF') ? text.slice(1) : text;
  } catch (error) {
    if (error instanceof UnreadableFile) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new UnreadableFile(path, REASONS[code] ?? `cannot be read (${code})`);
  } finally {
    closeSync(fd);
  }
}
