/**
 * Before any registry is asked: which registry hosts have an address at all. A name lookup is
 * cheap, while the registry client, the HTTPS stack and the trusted CAs cost far more to load;
 * offline, or where a registry's name does not resolve, none of them is loaded (steps/pin.ts).
 */
import { lookup } from 'node:dns/promises';
import { networkError } from './errors.ts';

/** `registry-1.docker.io`, `localhost:5000`, `[::1]:5000` -> the name (or address) to look up. */
function hostname(host: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(host);
  if (bracketed) return bracketed[1]!;
  return host.replace(/:\d+$/, '');
}

/**
 * Look every host up at once, until `signal` ends it (one deadline for all): host -> why it cannot
 * be reached (the message the registry client would give), or undefined when it resolved.
 */
export async function resolveHosts(hosts: readonly string[], signal: AbortSignal): Promise<Map<string, string | undefined>> {
  const ended = new Promise<never>((_, reject) => {
    const stop = () => reject(signal.reason);
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop, { once: true });
  });
  ended.catch(() => {});
  const answers = await Promise.all(
    [...new Set(hosts)].map(async (host): Promise<[string, string | undefined]> => {
      try {
        await Promise.race([lookup(hostname(host)), ended]);
        return [host, undefined];
      } catch (error) {
        return [host, networkError(host, error, signal).message];
      }
    }),
  );
  return new Map(answers);
}
