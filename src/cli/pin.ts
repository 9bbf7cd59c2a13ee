/**
 * `create-hardened-service pin [directory|Dockerfile] [--check]`: every image a Dockerfile pulls
 * (`# syntax=`, `FROM`, `COPY --from=`, `RUN --mount=from=`) pinned to `tag@sha256:…` as its
 * registry reports it, rewriting only those characters. `--check` changes nothing and exits 1 on
 * drift or an unpinned image, for CI.
 */
import { chownSync, closeSync, lstatSync, openSync, readSync, readlinkSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import pc from 'picocolors';
import { readTextFile, UnreadableFile } from '../fs/read-text.ts';
import { UsageError } from '../options/validate.ts';
import { RegistryClient } from '../registry/client.ts';
import { findImageReferences, replaceReferences } from '../registry/dockerfile-refs.ts';
import { RegistryError } from '../registry/errors.ts';
import { planPins, settlePins, type PinMode } from '../registry/pin-plan.ts';
import { trustedCertificates } from '../registry/trust.ts';
import { parseStrict, type ArgvProblem } from './args.ts';
import type { Io } from './main.ts';

const OPTIONS = {
  check: { type: 'boolean' },
  refresh: { type: 'boolean' },
  'ca-bundle': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const EXAMPLE = 'create-hardened-service pin services/billing-api --check';
const MAX_DOCKERFILE_BYTES = 1024 * 1024;
// Each request has its own time-out; this bounds a registry that answers, but too slowly to finish.
const RUN_DEADLINE_MS = 120_000;

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

Credentials come from the files podman login and docker login write, the first that holds one:
$XDG_RUNTIME_DIR/containers/auth.json, ~/.config/containers/auth.json, ~/.docker/config.json,
~/.dockercfg ($REGISTRY_AUTH_FILE or $DOCKER_CONFIG/config.json alone when set); a note says
which file served. Public images need none.
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
function pinUsage({ flag, kind }: ArgvProblem): UsageError {
  if (kind === 'unknown') return new UsageError(`pin ${flag}: is not an option of pin. Example: ${EXAMPLE}. Run create-hardened-service pin --help.`, flag);
  if (kind === 'needs-value') return new UsageError(`pin ${flag}: needs a file. Example: ${flag} /etc/ssl/certs/company-ca.pem`, flag);
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

interface ProblemLine {
  where: string;
  message: string;
}

/** One line per problem; one that several references share (a host that cannot be reached) is said once, with each reference under it. */
function formatProblems(problems: readonly ProblemLine[], marker: string): string[] {
  const byMessage = new Map<string, string[]>();
  for (const { where, message } of problems) byMessage.set(message, [...(byMessage.get(message) ?? []), where]);
  return [...byMessage].flatMap(([message, wheres]) =>
    wheres.length === 1 ? [`${marker} ${wheres[0]}: ${message}`] : [`${marker} ${message}:`, ...wheres.map((where) => `    ${where}`)],
  );
}


/**
 * The `pin` subcommand: returns its exit code. It reports its own errors, so it behaves the same
 * whether main.ts calls it inside or outside its own error handling.
 */
export async function runPin(argv: readonly string[], io: Io): Promise<number> {
  try {
    return await pin(argv, io);
  } catch (error) {
    const detail = (error as Error)?.message ?? String(error);
    if (error instanceof UsageError) {
      io.stderr.write(`${pc.red('error')} ${detail}\nNothing was written.\n`);
      return 2;
    }
    io.stderr.write(`${pc.red('error')} unexpected failure: ${io.env.DEBUG ? ((error as Error)?.stack ?? detail) : detail}\nNothing was written.\n`);
    return 1;
  }
}

async function pin(argv: readonly string[], io: Io): Promise<number> {
  const out = (text = '') => io.stdout.write(`${text}\n`);
  const err = (text: string) => io.stderr.write(`${text}\n`);
  const cwd = io.cwd ?? process.cwd();
  const { values, positionals } = parseStrict(argv, OPTIONS, pinUsage);
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
  const mode: PinMode = values.check ? 'check' : values.refresh ? 'refresh' : 'pin';
  const { images, skipped } = findImageReferences(text);
  const plan = planPins(images, mode);
  const where = (o: { line: number; kind: string; reference: string }) => `${shown}:${o.line} ${o.kind} ${printable(o.reference)}`;
  for (const s of skipped) err(`${pc.dim('note')} ${where(s)} ${s.reason}`);
  for (const n of plan.notes) err(`${pc.dim('note')} ${where(n.occurrence)} ${n.message}`);

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
  const client = new RegistryClient({
    env: io.env,
    ca,
    signal: AbortSignal.any([interrupt.signal, AbortSignal.timeout(RUN_DEADLINE_MS)]),
    onCredentials: (repository, who) => err(`${pc.dim('note')} credentials for ${printable(repository)}: ${printable(who)}`),
  });
  const asked = new Map<string, Promise<{ digest: string } | { error: string }>>();
  const ask = (reference: string) => {
    if (!asked.has(reference)) asked.set(reference, client.digest(reference).then((digest) => ({ digest }), (error: unknown) => ({ error: (error as Error).message })));
    return asked.get(reference)!;
  };
  const answers = await Promise.all(plan.lookups.map((lookup) => ask(lookup.tagged))).finally(() => process.off('SIGINT', onSigint));
  if (interrupt.signal.aborted) {
    err('Cancelled. Nothing was written.');
    return 130;
  }

  // 4. Report; in --check that is all
  const outcome = settlePins(plan.lookups, answers, mode);
  const problems = [...plan.problems, ...outcome.problems].map((p) => ({ where: where(p.occurrence), message: printable(p.message), kind: p.kind }));
  if (mode === 'check') {
    for (const lookup of outcome.upToDate) out(`${where(lookup.occurrence)}: up to date`);
    for (const line of formatProblems(problems, pc.red('✗'))) out(line);
    if (problems.length === 0) {
      out(`${shown}: ${images.length} image references, all pinned, none drifted.`);
      return 0;
    }
    const target = shown === 'Dockerfile' ? '' : ` ${shown}`;
    const hints = [
      ...(problems.some((p) => p.kind === 'unpinned') ? [`create-hardened-service pin${target}`] : []),
      ...(problems.some((p) => p.kind === 'drifted') ? [`create-hardened-service pin --refresh${target}`] : []),
    ];
    out(`${problems.length} of ${images.length} image references in ${shown} need attention${hints.length ? `: run ${hints.join(', then ')}` : ''}`);
    return 1;
  }
  if (problems.length > 0) {
    for (const line of formatProblems(problems, pc.red('error'))) err(line);
    err(`Nothing was written: ${shown} is as it was.`);
    return 1;
  }

  // 5. Rewrite only the references, last
  const { replacements } = outcome;
  for (const r of replacements) out(`${where(images.find((i) => i.start === r.start)!)} -> ${printable(r.value)}`);
  if (replacements.length === 0) {
    out(images.length === 0 ? `${shown}: no image to pin (only stages, scratch or ARG-based references).` : `${shown}: all ${plan.pinned} image references are pinned already; nothing to do.`);
    return 0;
  }
  writeInPlace(file, text, replaceReferences(text, replacements));
  out(`Pinned ${replacements.length} image reference${replacements.length === 1 ? '' : 's'} in ${shown}.`);
  return 0;
}
