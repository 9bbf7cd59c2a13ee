// Pieces every language's e2e suite needs in the same form: the provision log read into report
// timings, a checked subtest that lands in the report, a PATH with node only, the printed lock
// command, an HTTP probe, and the cleanup of a run's images. (test/e2e/images.test.ts has its own copies from before.)
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';
import { run, tail } from './exec.ts';
import { podman, type Env } from './containers.ts';
import type { Column, Report } from './report.ts';

/** The timed `provision: STEP` / `done in N s` lines of a provision script, as report timings. */
export function provisionTimings(output: string, ms: number): string[] {
  const timings: string[] = [];
  for (const line of output.split('\n')) {
    const step = line.match(/^provision: (?!ready|cache key)(\S.*)$/)?.[1];
    const done = line.match(/^provision:\s+done in (\d+) s/)?.[1];
    if (done && timings.length) timings.push(`${timings.pop()} — ${done} s`);
    else if (step) timings.push(step);
  }
  timings.push(`provisioning total ${Math.round(ms / 1000)} s${timings.length ? '' : ' (everything cached)'}`);
  return timings;
}

/**
 * A subtest whose outcome also lands in the report row; a thrown error fails both. When a check
 * it `requires` did not pass, it fails at once instead of building for nothing. `{ limit }`: the
 * check held what the builder can hold, and the rule itself is out of its reach (report status `limit`).
 */
export async function check(t: TestContext, report: Report, row: string, column: Column, name: string, fn: () => Promise<string | { limit: string }>, requires: Column[]) {
  await t.test(name, async () => {
    try {
      const failed = requires.filter((needed) => report.rows.get(row)?.[needed]?.status !== 'pass');
      if (failed.length) throw new Error(`not run: needs ${failed.join(', ')}, which did not pass`);
      const result = await fn();
      if (typeof result === 'string') report.pass(row, column, result);
      else report.limit(row, column, result.limit);
    } catch (error) {
      report.fail(row, column, (error as Error).message.split('\n', 1)[0]!.slice(0, 200));
      throw error;
    }
  });
}

/** A directory holding only a `node` link: the CLI then finds no lock tool and prints its fallbacks. */
export function nodeOnlyPath(work: string): string {
  const dir = join(work, 'node-only-bin');
  if (!existsSync(dir)) {
    mkdirSync(dir, { recursive: true });
    symlinkSync(process.execPath, join(dir, 'node'));
  }
  return dir;
}

/** The generator's printed "inside the builder image" command, without its leading `cd DIR && `. */
export function inImageCommand(output: string): string {
  const lines = output.split('\n');
  const at = lines.findIndex((line) => line.includes('inside the builder image'));
  assert.ok(at !== -1, `the CLI printed no "inside the builder image" command:\n${tail(output, 20)}`);
  const line = (lines[at + 1] ?? '').trim();
  const command = line.match(/^cd \S+ && (docker run .*)$/)?.[1];
  assert.ok(command, `unexpected lock command line: ${line}`);
  return command;
}

/** HTTP status of GET 127.0.0.1:port/path (rejects when nothing answers within 2 s). */
export function httpStatus(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = get({ host: '127.0.0.1', port, path, timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

/**
 * Leave the suite's own storage as provisioning made it: drop this run's pulls (their names carry
 * the registry's port, new each run) and the untagged layers the builds cached.
 */
export async function pruneImages(registryHost: string, ctx: Env): Promise<void> {
  await run('buildah rm --all', 'buildah', ['rm', '--all'], { timeout: 2 * 60_000, env: ctx.env, allowFail: true });
  const names = (await podman('images', ['images', '--format', '{{.Repository}}:{{.Tag}}'], ctx)).stdout.split('\n');
  const pulled = names.filter((name) => name.startsWith(`${registryHost}/`));
  if (pulled.length) await podman('rmi pulled', ['rmi', '-f', ...pulled], ctx, { allowFail: true });
  await podman('prune', ['image', 'prune', '-f'], ctx, { timeout: 5 * 60_000, allowFail: true });
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
export const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
