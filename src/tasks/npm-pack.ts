// Fetch a package's tarball the way the user's npm would: `npm pack SPEC` spawned with an argument
// array and the user's environment and working directory, so their .npmrc (scoped registries,
// tokens, CA) applies; scripts never run.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, CommandFailed } from './spawn.ts';
import { which } from './which.ts';

export interface Packed {
  name: string;
  version: string;
  tarball: Buffer;
}

export class PackFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PackFailed';
  }
}

/** npm's time to resolve and download: it retries on its own within this. */
const PACK_TIMEOUT_MS = 120_000;

export async function npmPack(spec: string, options: { cwd: string; env: NodeJS.ProcessEnv; signal?: AbortSignal; maxBytes: number }): Promise<Packed> {
  const npm = which('npm', options.env.PATH ?? '');
  if (!npm) throw new PackFailed('npm is not on PATH (it fetches package presets through your npm configuration)');
  const scratch = mkdtempSync(join(options.env.TMPDIR || tmpdir(), 'chs-preset-'));
  try {
    let stdout: string;
    try {
      ({ stdout } = await run(npm, ['pack', spec, '--json', '--ignore-scripts', '--pack-destination', scratch], {
        cwd: options.cwd,
        env: { ...options.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' },
        signal: options.signal,
        timeoutMs: PACK_TIMEOUT_MS,
      }));
    } catch (error) {
      if (!(error instanceof CommandFailed) || error.isCanceled) throw error;
      // npm's own words say why (E404, ENOTFOUND, E401, ETARGET...): its last error lines.
      const lines = error.stderr.split('\n').filter((line) => /npm (error|ERR!)/.test(line) && !/A complete log|log of this run/i.test(line));
      const reason = error.timedOut ? `timed out after ${PACK_TIMEOUT_MS / 1000} s` : lines.slice(0, 4).join('; ').replace(/\s+/g, ' ') || `exited ${error.exitCode}`;
      throw new PackFailed(`npm pack ${spec} failed: ${reason}`);
    }
    let info: { name?: unknown; version?: unknown; filename?: unknown };
    try {
      info = (JSON.parse(stdout) as unknown[])[0] as typeof info;
    } catch {
      throw new PackFailed(`npm pack ${spec} did not print its --json summary`);
    }
    const tarballs = readdirSync(scratch).filter((file) => file.endsWith('.tgz'));
    // The name and version come from the registry: shown and recorded, so held to npm's own forms.
    if (typeof info?.name !== 'string' || typeof info.version !== 'string' || tarballs.length !== 1 || !/^[\w.@/~-]{1,214}$/.test(info.name) || !/^[\w.+-]{1,100}$/.test(info.version)) {
      throw new PackFailed(`npm pack ${spec} did not leave one tarball with a plain name and version`);
    }
    const path = join(scratch, tarballs[0]!);
    if (statSync(path).size > options.maxBytes) throw new PackFailed(`${info.name}@${info.version} is larger than ${options.maxBytes} bytes packed: not a preset package`);
    return { name: info.name, version: info.version, tarball: readFileSync(path) };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
