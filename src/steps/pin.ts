import { withPinned } from '../options/resolve.ts';
import type { Options } from '../options/types.ts';
import type { Stop } from '../tasks/interrupted.ts';
import { Cancelled } from './exit.ts';

/** What a registry said about a reference: its pinned form, or why it could not be pinned. Kept for the run, so a changed answer does not ask again. */
export type PinCache = Map<string, { pinned: string } | { error: string }>;

/**
 * Pin base, CA-bundle and frontend images to digests where their registry answers (fix 6): new
 * options, the given ones untouched; warnings say which could only keep their tag.
 */
export async function pinImages(options: Options, env: NodeJS.ProcessEnv, stop: Stop, cache: PinCache): Promise<{ options: Options; warnings: string[] }> {
  const refs = [options.images.builder, options.images.runtime, options.certBundle, options.syntax].filter((ref): ref is string => ref !== null);
  const asking = [...new Set(refs)].filter((ref) => !cache.has(ref));
  if (asking.length > 0) {
    const { pinDigests } = await import('../tasks/pin.ts');
    // A signal while a registry is slow to answer is a cancel like any other.
    const { pinned, unpinned } = await pinDigests(asking, env, 2500, stop.signal);
    if (stop.signal.aborted) throw new Cancelled();
    for (const [ref, to] of Object.entries(pinned)) cache.set(ref, { pinned: to });
    for (const { ref, error } of unpinned) cache.set(ref, { error });
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
            'Rerun where the registry is reachable, or add @sha256:… to the FROM (and # syntax=) lines, so the base cannot drift.',
        ];
  return { options: withPinned(options, pinned), warnings };
}
