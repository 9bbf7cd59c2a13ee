import type { BaseContext } from '../../kit/context.ts';
import type { Gate, Options } from '../../options/types.ts';
import type { GateStep } from '../../kit/gates.ts';
import { goGateSteps, linters, type Linter } from './gates.ts';

/** What the Go templates read besides the base context (kit/context.ts). */
export interface GoContext {
  /** The `go` directive of go.mod (X.Y: Go 1.21+ and older tools alike read it). */
  goVersion: string;
  linters: Linter[];
  steps: Array<GateStep<Gate | 'test-ran'>>;
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

export function goContext(options: Options, base: BaseContext): GoContext {
  return {
    goVersion: goDirective(options),
    linters: linters(options.gates, options.versions),
    steps: goGateSteps(options.gates, base.manager.testCommand),
  };
}
