/**
 * The plug-in contract: what the wizard, the tasks and the renderer read of a language and of its
 * dependency managers. src/kit builds these from a language's declaration (kit/language.ts).
 */
import type { Command } from './command.ts';
import type { Files } from './files.ts';
import type { Onboarding } from './onboarding.ts';
import type { Gate, Options } from '../options/types.ts';

export type { Command, Files };

/** One choice in a prompt or `--help` list. */
export interface Choice {
  value: string;
  label: string;
  hint?: string;
}

/** A dependency manager of one language (pipenv, poetry, …): one module per manager. */
export interface ManagerModule<Id extends string = string> extends Choice {
  value: Id;
  /** Files the lock step writes, relative to the project. */
  lockFiles: string[];
  /** How to lock on the developer's machine, run in order in the project directory. */
  lockCommands(options: Options): Command[];
  /**
   * True when the rendered project already holds a complete lock (Go: the stdlib-only service's
   * go.sum is empty), so a lock step that cannot run is advice for later, not a missing piece.
   */
  rendersLock?: boolean;
  /** A one-line shell command that locks inside the builder image (printed for the user). */
  lockInImageCommand(options: Options): string;
}

/** A quality gate as a language runs it: the hint names its tool (`mypy`, `gofmt -l`, …). */
export interface GateChoice extends Choice {
  value: Gate;
}

/**
 * A language: its choices, base images, and pure rendering. One folder per language. The ids are
 * type parameters so the registry (src/languages/index.ts) yields the unions LanguageId and ManagerId.
 */
export interface LanguageModule<Id extends string = string, ManagerId extends string = string> extends Choice {
  value: Id;
  managers: readonly ManagerModule<ManagerId>[];
  defaultManager: NoInfer<ManagerId>;
  /** Runtime versions offered (first = default), e.g. Python 3.13 on distroless debian13. */
  runtimeVersions: readonly Choice[];
  /** The gates this language offers, cheapest first (all are on by default). */
  gates: readonly GateChoice[];
  /** The package mirror, as the prompt names it and an example URL (e.g. a Nexus PyPI proxy). */
  mirror: { label: string; example: string };
  /** The build secret that carries the mirror's credentials (id, CI variable, file format). */
  buildSecret: { id: string; variable: string; format: string };
  /** The keys of the versions table (src/versions.ts) this language pins: the project records these. */
  tools: readonly string[];
  /** Example image references for error messages and prompts. */
  examples: { builderImage: string; runtimeImage: string };
  /** Base images for a registry prefix (null = public) and runtime version. */
  images(registry: string | null, version: string): { builder: string; runtime: string };
  /** Advice about a combination of answers (e.g. an overridden image), printed before writing. */
  warnings(options: Options): string[];
  /** Its dev container and pre-commit hooks (kit/onboarding.ts). */
  onboarding: Onboarding;
  /** Pure: options -> files (the CI pipeline and the project record are added by renderProject). */
  render(options: Options): Files;
}
