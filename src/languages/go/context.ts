import { showCommand } from '../../kit/command.ts';
import type { Gate, Options } from '../../options/types.ts';
import { goGateSteps, linters, type GoGateStep, type Linter } from './gates.ts';
import { modules } from './modules.ts';

/** Everything the Go templates read: derived once from the options, never from the environment. */
export interface GoContext {
  name: string;
  /** The `go` directive of go.mod (X.Y: Go 1.21+ and older tools alike read it). */
  goVersion: string;
  images: { builder: string; runtime: string };
  certBundle: string | null;
  certPath: string;
  indexUrl: string | null;
  maintainer: string | null;
  ci: Options['ci'];
  gates: Record<Gate, boolean>;
  gateList: readonly Gate[];
  linters: Linter[];
  steps: GoGateStep[];
  lockFiles: readonly string[];
  lockCommands: string[];
  lockInImageCommand: string;
  generatorVersion: string;
}

const minor = (version: string) => Number(version.split('.')[1] ?? 0);

/**
 * The go directive: the chosen Go version, or the versions table's `go` when that is older (a
 * team preset pins it to the oldest toolchain it still builds with). GOTOOLCHAIN=local makes a
 * builder older than the directive fail, so the directive must never exceed the builder's Go.
 */
export function goDirective(options: Pick<Options, 'runtimeVersion' | 'versions'>): string {
  const pinned = options.versions.go;
  return pinned && minor(pinned) < minor(options.runtimeVersion) ? pinned : options.runtimeVersion;
}

export function goContext(options: Options): GoContext {
  const gates = Object.fromEntries(
    (['typecheck', 'format', 'lint', 'security', 'test', 'bdd'] as const).map((gate) => [gate, options.gates.includes(gate)]),
  ) as Record<Gate, boolean>;
  return {
    name: options.name,
    goVersion: goDirective(options),
    images: options.images,
    certBundle: options.certBundle,
    certPath: options.certPath,
    indexUrl: options.indexUrl,
    maintainer: options.maintainer,
    ci: options.ci,
    gates,
    gateList: options.gates,
    linters: linters(options.gates, options.versions),
    steps: goGateSteps(options.gates),
    lockFiles: modules.lockFiles,
    lockCommands: modules.lockCommands(options).map(showCommand),
    lockInImageCommand: modules.lockInImageCommand(options),
    generatorVersion: options.generatorVersion,
  };
}
