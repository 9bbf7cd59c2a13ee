import { withPinned } from '../options/resolve.ts';
import { locateImage } from '../registry/reference.ts';
import { resolveHosts } from '../registry/resolve.ts';
import type { Options } from '../options/types.ts';
import type { Stop } from '../tasks/interrupted.ts';
import { showName } from '../text/show.ts';
import { Cancelled } from './exit.ts';

/** What a registry said about a reference: its pinned form, or why it could not be pinned. Kept for the run, so a changed answer does not ask again. */
export type PinCache = Map<string, { pinned: string } | { error: string }>;

/** The command that pins the project in `directory` once its registries answer (docs/pin.md). */
export function pinCommand(directory: string): string {
  return `create-hardened-service pin${directory === '.' ? '' : ` ${showName(directory)}`}`;
}

/** The whole time the lookups may take, name lookups included. */
const DEADLINE_MS = 2500;

/**
 * Pin base, CA-bundle and frontend images to digests where their registry answers (fix 6): new
 * options, the given ones untouched; warnings say which could only keep their tag. The registry
 * hosts are looked up first; the registry client (HTTPS, the CAs, credentials) is loaded only when
 * one of them resolves, and asks only those, in what is left of the same deadline.
 */
export async function pinImages(options: Options, env: NodeJS.ProcessEnv, stop: Stop, cache: PinCache): Promise<{ options: Options; warnings: string[] }> {
  const refs = [options.images.builder, options.images.runtime, options.certBundle, options.syntax].filter((ref): ref is string => ref !== null);
  const asking = [...new Set(refs)].filter((ref) => !cache.has(ref));
  if (asking.length > 0) {
    const started = Date.now();
    const deadline = AbortSignal.any([AbortSignal.timeout(DEADLINE_MS), stop.signal]);
    // An invalid reference has no host: the client says why (references were checked already).
    const hostOf = (ref: string) => {
      const location = locateImage(ref);
      return 'invalid' in location ? undefined : location.host;
    };
    const hosts = asking.filter((ref) => !ref.includes('@')).map(hostOf).filter((host): host is string => host !== undefined);
    const unresolved = await resolveHosts(hosts, deadline);
    if (stop.signal.aborted) throw new Cancelled();
    const reachable: string[] = [];
    for (const ref of asking) {
      // A reference that names a digest is pinned already (references were checked: '@' only comes before one).
      if (ref.includes('@')) {
        cache.set(ref, { pinned: ref });
        continue;
      }
      const host = hostOf(ref);
      const error = host === undefined ? undefined : unresolved.get(host);
      if (error === undefined) reachable.push(ref);
      else cache.set(ref, { error });
    }
    if (reachable.length > 0) {
      const { pinDigests } = await import('../tasks/pin.ts');
      // A signal while a registry is slow to answer is a cancel like any other.
      const { pinned, unpinned } = await pinDigests(reachable, env, Math.max(1, DEADLINE_MS - (Date.now() - started)), stop.signal);
      if (stop.signal.aborted) throw new Cancelled();
      for (const [ref, to] of Object.entries(pinned)) cache.set(ref, { pinned: to });
      for (const { ref, error } of unpinned) cache.set(ref, { error });
    }
  }
  const pinned: Record<string, string> = {};
  const unpinned: string[] = [];
  for (const ref of new Set(refs)) {
    const known = cache.get(ref)!;
    if ('pinned' in known) pinned[ref] = known.pinned;
    else unpinned.push(`${ref} [${known.error}]`);
  }
  const warnings =
    unpinned.length === 0
      ? []
      : [
          `only tags could be pinned (no digest) for: ${unpinned.join(', ')}. ` +
            `Once the registry can be reached, run: ${pinCommand(options.directory)} (or add @sha256:… to the FROM and # syntax= lines), so the base cannot drift.`,
        ];
  return { options: withPinned(options, pinned), warnings };
}
