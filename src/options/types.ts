import type { CiKind, Gate } from './kinds.ts';

export { CI_KINDS, GATES, type CiKind, type Gate } from './kinds.ts';
// The order lives in the answers table; kept importable from here.
export { ANSWER_ORDER } from './answers.ts';

// The ids are unions derived from the language registry (types only: the registry itself is handed in).
export type { LanguageId, ManagerId } from '../languages/index.ts';
import type { LanguageId, ManagerId } from '../languages/index.ts';

/**
 * Every answer the wizard settles before it touches the disk.
 * Resolution order: flag > preset > prompt > default (see ../shared design/cli.md).
 */
export interface Answers {
  /** Where to create the service. @default "my-service" without a TTY */
  directory: string;
  /** Lowercase DNS label used for the image and package name. @default basename(directory) */
  name: string;
  /** @default "python" */
  language: LanguageId;
  /** Dependency manager of the language. @default the language's default ("pipenv" for python) */
  manager: ManagerId;
  /** Language runtime version ("3.13" for python). @default the language's first (its runtime image's) */
  runtimeVersion: string;
  /** Internal registry prefix `host[:port][/path]`, or null for public images. @default null */
  registry: string | null;
  /** Full builder image reference; null = computed from registry and version. */
  builderImage: string | null;
  /** Full runtime image reference; null = computed from registry and version. */
  runtimeImage: string | null;
  /**
   * The Dockerfile frontend image on the `# syntax=` line, or null for no line (the builder's
   * built-in frontend). @default "docker/dockerfile:1", or "REGISTRY/docker/dockerfile:1" with a registry
   */
  syntax: string | null;
  /** CA bundle image reference, or null to skip the cert-bundle stage. @default null */
  certBundle: string | null;
  /** Directory inside the CA bundle image holding the `.crt` files. @default "/certs/" */
  certPath: string;
  /** Package index mirror (https, no credentials), or null for the public index. @default null */
  indexUrl: string | null;
  /** @default all gates */
  gates: Gate[];
  /** @default "github" */
  ci: CiKind;
  /** Maintainer label text, e.g. `Team Foo <foo@example.com>`. @default null */
  maintainer: string | null;
  /** Write `.devcontainer/devcontainer.json` (the builder stage as the dev environment). @default true */
  devcontainer: boolean;
  /** Write `.pre-commit-config.yaml` (the format and lint gates as local hooks). @default true */
  preCommit: boolean;
}

export type AnswerKey = keyof Answers;

/** Behaviour switches that are not answers recorded in the project. */
export interface Switches {
  yes: boolean;
  dryRun: boolean;
  force: boolean;
  git: boolean;
  lock: boolean;
}

/** The settled, validated options handed to rendering and the tasks after it. */
export interface Options extends Answers {
  /** Base images after applying registry, version and overrides. */
  images: { builder: string; runtime: string };
  /** Pinned tool versions (the table in src/versions.ts, after preset overrides). */
  versions: Record<string, string>;
  /** Version of this generator, recorded in .hardened-service.json. */
  generatorVersion: string;
  /** The team preset the answers came from, recorded so `update` can use the same one. @default none */
  preset?: PresetRecord;
}

/**
 * Where a preset came from, as `.hardened-service.json` records it: `source` as --preset takes it
 * (a file relative to the project directory unless given absolute, an npm package spec, an https
 * URL with its integrity fragment), the npm version it resolved to, and the sha256 (hex) of the preset document read.
 */
export interface PresetRecord {
  source: string;
  version?: string;
  sha256?: string;
}
