// The base of the three-way merge: what the recorded release rendered for the recorded answers.
// Tried in order: (1) this package, when the record's version is ours; (2) that release from the
// npm registry, run through the user's npm configuration; (3) the generation commit in git
// history whose record matches. Each failure says why, so a run without any can say all three.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, lstatSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { AnswerRules } from '../options/resolve.ts';
import { withPinned } from '../options/resolve.ts';
import { run } from '../tasks/spawn.ts';
import { RECORD_FILE } from '../render/render.ts';
import { unpackTarball } from './tar.ts';
import { blob, generationCommits, generationMessage, showFile, treeFiles } from './git.ts';
import { parseRecord, recordedAnswers, type ProjectRecord } from './record.ts';

export type FileTexts = Map<string, string>;

export type BaseResult = { found: true; files: FileTexts; from: string } | { found: false; why: string[] };

export interface BaseInput {
  rules: AnswerRules;
  record: ProjectRecord;
  shown: string;
  directory: string;
  cwd: string;
  /** The project directory, its work tree's top and its path there. */
  target: string;
  top: string;
  prefix: string;
  version: string;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
}

/** The images a record pinned, by the reference they pinned (`python:3.13-slim` -> `python:3.13-slim@sha256:…`). */
export function recordedPins(record: ProjectRecord): Record<string, string> {
  const refs = [record.images.builder, record.images.runtime, record.answers.syntax, record.answers.certBundle];
  const pins: Record<string, string> = {};
  for (const ref of refs) {
    if (typeof ref !== 'string') continue;
    const at = ref.indexOf('@sha256:');
    if (at > 0) pins[ref.slice(0, at)] = ref;
  }
  return pins;
}

/**
 * The release's rendering pinned its images to what the registry said on the day it ran, not on
 * the day of the record: put the recorded digests back so only the templates differ.
 */
export function restorePins(text: string, pins: Readonly<Record<string, string>>): string {
  let out = text;
  for (const [ref, pinned] of Object.entries(pins)) {
    const escaped = ref.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    out = out.replace(new RegExp(`${escaped}@sha256:[0-9a-f]{64}`, 'g'), pinned);
  }
  return out;
}

/** (1) This package's own rendering of the record, when the record is of this version. */
export async function baseInProcess(input: BaseInput): Promise<FileTexts> {
  const { rules, record } = input;
  const answers = recordedAnswers(input);
  const { renderProject } = await import('../render/render.ts');
  const options = withPinned(rules.build(answers, record.versions, record.version), recordedPins(record));
  return new Map(renderProject(options));
}

/** Every regular file under `dir`, relative path -> text. */
function readTree(dir: string): FileTexts {
  const files: FileTexts = new Map();
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) files.set(relative(dir, path).split('\\').join('/'), readFileSync(path, 'utf8'));
    }
  };
  walk(dir);
  return files;
}

const PACK_TIMEOUT_MS = 120_000;
const RUN_TIMEOUT_MS = 180_000;

/** The failure of a spawned tool in one line or a few, its own words last. */
const why = (error: unknown): string => {
  const failed = error as { stderr?: string; output?: string; message?: string };
  const text = (failed.stderr || failed.output || failed.message || String(error)).trim();
  return text.split('\n').slice(-3).join(' / ');
};

/**
 * (2) The recorded release from the npm registry: `npm pack create-hardened-service@X` through the
 * user's npm configuration, unpacked and run with the recorded answers (a preset file of them, the
 * one input every release reads the same way), --yes --no-git --no-lock, into a temporary directory.
 */
export async function baseFromRegistry(input: BaseInput): Promise<FileTexts> {
  const { record, env, signal, target } = input;
  const dir = mkdtempSync(join(tmpdir(), 'chs-update-'));
  try {
    const spec = `create-hardened-service@${record.version}`;
    let packed: string;
    try {
      const result = await run('npm', ['pack', spec, '--json', '--pack-destination', dir, '--ignore-scripts'], { cwd: target, env, signal, timeoutMs: PACK_TIMEOUT_MS });
      const list = JSON.parse(result.stdout) as { filename: string }[];
      packed = join(dir, list[0]!.filename.replace(/^.*\//, ''));
    } catch (error) {
      throw new Error(`npm pack ${spec}: ${why(error)}`);
    }
    try {
      unpackTarball(readFileSync(packed), dir);
    } catch (error) {
      throw new Error(`unpacking ${spec}: ${(error as Error).message}`);
    }
    const defaults = Object.fromEntries(Object.entries(record.answers).filter(([key]) => key !== 'name' && key !== 'directory'));
    const presetFile = join(dir, 'answers.json');
    writeFileSync(presetFile, JSON.stringify({ defaults, versions: record.versions }));
    const name = typeof record.answers.name === 'string' ? ['--name', record.answers.name] : [];
    const bin = join(dir, 'package', 'bin', 'create-hardened-service.js');

    try {
      lstatSync(bin);
    } catch {
      throw new Error(`${spec} has no bin/create-hardened-service.js`);
    }
    const project = join(dir, 'project');
    // The release's own lookups (image digests) use the user's environment; its project is its own.
    const childEnv = { ...env, HARDENED_SERVICE_PRESET: '' };
    try {
      await run(process.execPath, [bin, project, '--yes', '--no-git', '--no-lock', '--preset', presetFile, ...name], { cwd: dir, env: childEnv, signal, timeoutMs: RUN_TIMEOUT_MS });
    } catch (error) {
      throw new Error(`running ${spec} with the recorded answers: ${why(error)}`);
    }
    const files = readTree(project);
    const pins = recordedPins(record);
    for (const [path, text] of files) files.set(path, restorePins(text, pins));
    return files;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** (3) The generation commit of the recorded version whose record has the same answers, its tree under the project's path. */
export function baseFromHistory(input: BaseInput): { files: FileTexts; commit: string } {
  const { record, top, prefix, env } = input;
  const commits = generationCommits(top, record.version, env);
  if (commits.length === 0) throw new Error(`no commit "${generationMessage(record.version)}" in this repository's history`);
  const same = (other: ProjectRecord) => JSON.stringify(other.answers) === JSON.stringify(record.answers);
  for (const commit of commits) {
    const text = showFile(top, commit, `${prefix}${RECORD_FILE}`, env);
    if (!text) continue;
    let other: ProjectRecord;
    try {
      other = parseRecord(JSON.parse(text.toString('utf8')), RECORD_FILE);
    } catch {
      continue;
    }
    if (other.version !== record.version || !same(other)) continue;
    const files: FileTexts = new Map();
    for (const [path, id] of treeFiles(top, commit, prefix, env)) files.set(path, blob(top, id, env).toString('utf8'));
    return { files, commit };
  }
  throw new Error(`${commits.length} commit${commits.length === 1 ? '' : 's'} "${generationMessage(record.version)}" found, none with the recorded answers in ${prefix}${RECORD_FILE}`);
}

/** The first base that can be had, or why none could. */
export async function findBase(input: BaseInput): Promise<BaseResult> {
  const why: string[] = [];
  if (input.record.version === input.version) {
    try {
      return { found: true, files: await baseInProcess(input), from: `create-hardened-service ${input.version} (this one)` };
    } catch (error) {
      why.push(`this package (${input.version}) could not render the record: ${(error as Error).message}`);
    }
  } else why.push(`this package is ${input.version}, the record says ${input.record.version}`);
  if (input.signal.aborted) return { found: false, why };
  try {
    return { found: true, files: await baseFromRegistry(input), from: `create-hardened-service ${input.record.version} from the npm registry` };
  } catch (error) {
    if (input.signal.aborted) return { found: false, why };
    why.push(`the npm registry: ${(error as Error).message}`);
  }
  try {
    const { files, commit } = baseFromHistory(input);
    return { found: true, files, from: `the generation commit ${commit.slice(0, 12)}` };
  } catch (error) {
    why.push(`git history: ${(error as Error).message}`);
  }
  return { found: false, why };
}
