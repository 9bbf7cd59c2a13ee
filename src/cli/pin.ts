/**
 * `create-hardened-service pin [directory|Dockerfile] [--check]`: every image a Dockerfile pulls
 * (`# syntax=`, `FROM`, `COPY --from=`, `RUN --mount=from=`) pinned to `tag@sha256:…` as its
 * registry reports it, rewriting only those characters. `--check` changes nothing and exits 1 on
 * drift or an unpinned image, for CI.
 */
import { chownSync, closeSync, lstatSync, openSync, readSync, readlinkSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import pc from 'picocolors';
import { readTextFile, UnreadableFile } from '../fs/read-text.ts';
import { UsageError } from '../options/validate.ts';
import { RegistryClient } from '../registry/client.ts';
import { findImageReferences, replaceReferences, type ImageOccurrence } from '../registry/dockerfile-refs.ts';
import { RegistryError } from '../registry/errors.ts';
import { locateImage } from '../registry/reference.ts';
import { trustedCertificates } from '../registry/trust.ts';
import type { Io } from './main.ts';

const OPTIONS = {
  check: { type: 'boolean' },
  refresh: { type: 'boolean' },
  'ca-bundle': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const EXAMPLE = 'create-hardened-service pin services/billing-api --check';
const MAX_DOCKERFILE_BYTES = 1024 * 1024;

export function pinHelpText(): string {
  const h = pc.bold;
  return `${h('create-hardened-service pin')} [directory | Dockerfile] [options]
Pin every image a Dockerfile pulls to tag@sha256:digest, as its registry reports it now: the
# syntax= frontend, FROM bases, and COPY --from= / RUN --mount=from= images (not stages). Only
those references change; comments, spacing and line breaks stay as they are.

${h('Options')}
  [directory | Dockerfile]  the Dockerfile, or a directory holding one      (.)
  --check                   change nothing; exit 1 when an image is not pinned or its tag
                            now points at another digest (drift): for CI
  --refresh                 also move pins whose tag now points elsewhere to the new digest
  --ca-bundle FILE          PEM CAs for internal registries, added to Node's (NODE_EXTRA_CA_CERTS
                            and SSL_CERT_FILE are read too); TLS is always verified
  -h, --help                show this help

Credentials come from the Docker config file ($DOCKER_CONFIG/config.json or ~/.docker/config.json:
auths, credHelpers, credsStore), as docker login leaves them; public images need none.
References built from ARG values are left alone with a note.

${h('Exit codes')}
  0 pinned (or, with --check, up to date)   1 drift, unpinned images, or a registry failure
  2 bad usage or unreadable Dockerfile      130 cancelled

${h('Examples')}
  create-hardened-service pin
  create-hardened-service pin services/billing-api --ca-bundle /etc/ssl/certs/company-ca.pem
  create-hardened-service pin services/billing-api/Dockerfile --check
`;
}

/** node's parseArgs errors said the way the rest of the CLI says them. */
function parseError(error: Error & { code?: string }): UsageError {
  const flag = /'(?:-\w, )?(--?[\w-]+)/.exec(error.message)?.[1] ?? 'option';
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    return new UsageError(`pin ${flag}: is not an option of pin. Example: ${EXAMPLE}. Run create-hardened-service pin --help.`, flag);
  }
  if (flag === '--ca-bundle') return new UsageError('pin --ca-bundle: needs a file. Example: --ca-bundle /etc/ssl/certs/company-ca.pem', flag);
  return new UsageError(`pin ${flag}: takes no value. Example: ${EXAMPLE}`, flag);
}

// References come from a file anyone may have written: no control character reaches the terminal.
const printable = (text: string): string => text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** The Dockerfile a path names: the file itself, or `Dockerfile` (else `Containerfile`) in a directory. */
function dockerfileAt(path: string): string {
  let isDirectory = false;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch {
    // readTextFile says why below.
  }
  if (!isDirectory) return path;
  const dockerfile = join(path, 'Dockerfile');
  const containerfile = join(path, 'Containerfile');
  const exists = (candidate: string) => {
    try {
      return Boolean(lstatSync(candidate));
    } catch {
      return false;
    }
  };
  if (!exists(dockerfile) && exists(containerfile)) return containerfile;
  return dockerfile;
}

function hasBom(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(3);
    return readSync(fd, head, 0, 3, 0) === 3 && head.equals(Buffer.from([0xef, 0xbb, 0xbf]));
  } finally {
    closeSync(fd);
  }
}

/** Replace `path` with `text` in one rename, keeping its mode (and owner, as root), unless it changed meanwhile. */
function writeInPlace(path: string, original: string, text: string): void {
  const stats = statSync(path);
  const temp = join(dirname(path), `.${basename(path)}.pin-${process.pid}-${Date.now()}`);
  writeFileSync(temp, (hasBom(path) ? '\uFEFF' : '') + text, { mode: stats.mode & 0o7777, flag: 'wx' });
  try {
    if (process.getuid?.() === 0) chownSync(temp, stats.uid, stats.gid);
    if (readTextFile(path, { maxBytes: MAX_DOCKERFILE_BYTES }) !== original) {
      throw new Error(`${path} changed while its images were being resolved; run pin again`);
    }
    renameSync(temp, path);
  } catch (error) {
    unlinkSync(temp);
    throw error;
  }
}

interface Problem {
  where: string;
  message: string;
}

/** One line per problem; one that several references share (a host that cannot be reached) is said once, with each reference under it. */
function formatProblems(problems: readonly Problem[], marker: string): string[] {
  const byMessage = new Map<string, string[]>();
  for (const { where, message } of problems) byMessage.set(message, [...(byMessage.get(message) ?? []), where]);
  return [...byMessage].flatMap(([message, wheres]) =>
    wheres.length === 1 ? [`${marker} ${wheres[0]}: ${message}`] : [`${marker} ${message}:`, ...wheres.map((where) => `    ${where}`)],
  );
}

interface Job {
  occurrence: ImageOccurrence;
  /** What to ask the registry for: the reference without its digest. */
  tagged: string;
  /** The digest written now, if any. */
  current: string | null;
}

export async function runPin(argv: readonly string[], io: Io): Promise<number> {
  const out = (text = '') => io.stdout.write(`${text}\n`);
  const err = (text: string) => io.stderr.write(`${text}\n`);
  const cwd = io.cwd ?? process.cwd();
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw parseError(error as Error & { code?: string });
  }
  const { values, positionals } = parsed;
  if (values.help) return out(pinHelpText()), 0;
  if (positionals.length > 1) throw new UsageError(`pin: takes one directory or Dockerfile, got ${positionals.length}: ${positionals.join(' ')}. Example: ${EXAMPLE}`, '[directory]');
  if (values.check && values.refresh) throw new UsageError('pin --check: changes nothing, so it does not take --refresh. Example: create-hardened-service pin --refresh', '--refresh');
  if (values['ca-bundle'] === '') throw new UsageError('pin --ca-bundle: needs a file. Example: --ca-bundle /etc/ssl/certs/company-ca.pem', '--ca-bundle');

  // 1. The Dockerfile, read whole and bounded
  const file = dockerfileAt(resolve(cwd, positionals[0] ?? '.'));
  const fromCwd = relative(cwd, file);
  const shown = fromCwd && !fromCwd.startsWith('..') ? fromCwd : file;
  let text: string;
  try {
    text = readTextFile(file, { maxBytes: MAX_DOCKERFILE_BYTES });
  } catch (error) {
    if (!(error instanceof UnreadableFile)) throw error;
    throw new UsageError(`pin: ${printable(shown)} ${error.reason}. Example: ${EXAMPLE}`, '[directory]');
  }
  if (!values.check && lstatSync(file).isSymbolicLink()) {
    const target = resolve(dirname(file), readlinkSync(file));
    throw new UsageError(`pin: ${shown} is a symbolic link; pin the file it points to: create-hardened-service pin ${relative(cwd, target) || target}`, '[directory]');
  }

  // 2. Which references to ask about
  const { images, skipped } = findImageReferences(text);
  const notes = skipped.map((s) => `${shown}:${s.line} ${s.kind} ${printable(s.reference)} ${s.reason}`);
  const problems: Problem[] = [];
  const jobs: Job[] = [];
  let alreadyPinned = 0;
  for (const occurrence of images) {
    const where = `${shown}:${occurrence.line} ${occurrence.kind} ${printable(occurrence.reference)}`;
    const location = locateImage(occurrence.reference);
    if ('invalid' in location) {
      problems.push({ where, message: `not a valid image reference (${location.invalid})` });
      continue;
    }
    const at = occurrence.reference.indexOf('@');
    const tagged = at === -1 ? occurrence.reference : occurrence.reference.slice(0, at);
    if (location.digest && !location.tag) {
      notes.push(`${where} names a digest without a tag: nothing to compare it with`);
      continue;
    }
    if (location.digest) alreadyPinned++;
    if (!location.tag) notes.push(`${where} has no tag, which means latest: name a version tag`);
    if (location.digest && !values.check && !values.refresh) continue;
    if (!location.digest && values.check) {
      problems.push({ where, message: 'not pinned to a digest' });
      continue;
    }
    jobs.push({ occurrence, tagged, current: location.digest });
  }
  for (const note of notes) err(`${pc.dim('note')} ${note}`);

  // 3. Ask the registries (Ctrl-C cancels; nothing is written then)
  let ca: string[] | undefined;
  try {
    ca = trustedCertificates(io.env, values['ca-bundle'] === undefined ? undefined : resolve(cwd, values['ca-bundle']));
  } catch (error) {
    if (error instanceof RegistryError) throw new UsageError(`pin ${error.message}. Example: --ca-bundle /etc/ssl/certs/company-ca.pem`, '--ca-bundle');
    throw error;
  }
  const interrupt = new AbortController();
  const onSigint = () => interrupt.abort();
  process.once('SIGINT', onSigint);
  const client = new RegistryClient({ env: io.env, ca, signal: interrupt.signal });
  const lookups = new Map<string, Promise<string | RegistryError>>();
  const lookup = (reference: string) => {
    if (!lookups.has(reference)) {
      lookups.set(reference, client.digest(reference).catch((error: unknown) => (error instanceof RegistryError ? error : new RegistryError('protocol', String(error)))));
    }
    return lookups.get(reference)!;
  };
  const answers = await Promise.all(jobs.map((job) => lookup(job.tagged))).finally(() => process.off('SIGINT', onSigint));
  if (interrupt.signal.aborted) {
    err('Cancelled. Nothing was written.');
    return 130;
  }

  // 4. Report; in --check that is all
  const replacements: Array<{ start: number; end: number; value: string }> = [];
  const changes: string[] = [];
  const upToDate: string[] = [];
  let drifted = false;
  jobs.forEach((job, i) => {
    const answer = answers[i]!;
    const { occurrence } = job;
    const where = `${shown}:${occurrence.line} ${occurrence.kind} ${printable(occurrence.reference)}`;
    if (answer instanceof RegistryError) {
      const stage = occurrence.kind !== 'FROM' && occurrence.kind !== '# syntax' && !/[/:.]/.test(job.tagged) ? ' (if it names a stage: no stage has that name)' : '';
      problems.push({ where, message: `${answer.message}${stage}` });
    } else if (job.current === answer) {
      upToDate.push(`${where}: up to date`);
    } else if (values.check) {
      drifted = true;
      problems.push({ where, message: `drifted: ${printable(job.tagged)} now points at ${answer}` });
    } else {
      const tag = locateImage(job.tagged);
      const value = `${job.tagged}${'tag' in tag && tag.tag === null ? ':latest' : ''}@${answer}`;
      replacements.push({ start: occurrence.start, end: occurrence.end, value });
      changes.push(`${where} -> ${printable(value)}`);
    }
  });

  if (values.check) {
    for (const line of upToDate) out(line);
    for (const line of formatProblems(problems, pc.red('✗'))) out(line);
    if (problems.length > 0) {
      out(`${problems.length} of ${images.length} image references in ${shown} need attention: run create-hardened-service pin${drifted ? ' --refresh' : ''} ${shown === 'Dockerfile' ? '' : shown}`.trimEnd());
      return 1;
    }
    out(`${shown}: ${images.length} image references, all pinned, none drifted.`);
    return 0;
  }
  if (problems.length > 0) {
    for (const line of formatProblems(problems, pc.red('error'))) err(line);
    err(`Nothing was written: ${shown} is as it was.`);
    return 1;
  }

  // 5. Rewrite only the references, last
  for (const change of changes) out(change);
  if (replacements.length === 0) {
    out(images.length === 0 ? `${shown}: no image to pin (only stages, scratch or ARG-based references).` : `${shown}: all ${alreadyPinned} image references are pinned already; nothing to do.`);
    return 0;
  }
  writeInPlace(file, text, replaceReferences(text, replacements));
  out(`Pinned ${replacements.length} image reference${replacements.length === 1 ? '' : 's'} in ${shown}.`);
  return 0;
}
