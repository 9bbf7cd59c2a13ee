import type { GateStep } from '../../kit/gates.ts';
import { pinned } from '../../kit/pins.ts';
import type { Gate } from '../../options/types.ts';
import type { GateChoice } from '../types.ts';

/** The gates a Go service offers, cheapest first: no `bdd` (Go's BDD runners are third-party modules). */
export const GO_GATE_CHOICES: readonly GateChoice[] = [
  { value: 'typecheck', label: 'typecheck', hint: 'go vet' },
  { value: 'format', label: 'format', hint: 'gofmt -l (fails on any listed file)' },
  { value: 'lint', label: 'lint', hint: 'staticcheck, pinned' },
  { value: 'security', label: 'security', hint: 'gosec, pinned' },
  { value: 'test', label: 'test', hint: 'go test (fails when no test exists)' },
];

export const GO_GATES: readonly Gate[] = GO_GATE_CHOICES.map((gate) => gate.value);

/** A linter installed in the test stage with `go install package@version`. */
export interface Linter {
  /** The versions-table key. */
  name: string;
  package: string;
  version: string;
}

const LINTERS: Partial<Record<Gate, { name: string; package: string }>> = {
  lint: { name: 'staticcheck', package: 'honnef.co/go/tools/cmd/staticcheck' },
  security: { name: 'gosec', package: 'github.com/securego/gosec/v2/cmd/gosec' },
};

/** The pinned linters the chosen gates need, in gate order. */
export function linters(gates: readonly Gate[], versions: Record<string, string>): Linter[] {
  return gates.flatMap((gate) => {
    const linter = LINTERS[gate];
    if (!linter) return [];
    return [{ ...linter, version: pinned(versions, linter.name) }];
  });
}

/**
 * The test stage's gate commands, cheapest first (D7: type check, format, lint, security, tests);
 * the tests as Go modules run them (src/ecosystems/go.ts).
 * gofmt -l exits 0 whatever it lists, so its listing (printed) fails the gate; go test passes when
 * there is no test at all, so a second command fails when no Test function was found.
 * One `&&` chain, no background job (kit/gates.ts): go vet, staticcheck, gosec and go test share the
 * build cache and the same cores; running the tests beside them is not measured to gain here.
 */
export function goGateSteps(gates: readonly Gate[], testCommand: string): Array<GateStep<Gate | 'test-ran'>> {
  const steps: Array<GateStep<Gate | 'test-ran'>> = [];
  if (gates.includes('typecheck')) steps.push({ gate: 'typecheck', command: 'go vet ./...', cache: null });
  if (gates.includes('format')) {
    // grep prints the listing, and gofmt's own errors (a syntax error), and finds a line exactly when
    // there is one: `!` fails the gate then. No file for the listing (a fixed /tmp one is shared by
    // two clones or two users' hooks), nor /dev/stderr (a socket there cannot be opened).
    steps.push({ gate: 'format', command: '! gofmt -l . 2>&1 | grep .', cache: null });
  }
  if (gates.includes('lint')) steps.push({ gate: 'lint', command: 'staticcheck ./...', cache: '/root/.cache/staticcheck' });
  if (gates.includes('security')) steps.push({ gate: 'security', command: 'gosec -quiet ./...', cache: null });
  if (gates.includes('test')) {
    steps.push({ gate: 'test', command: testCommand, cache: null });
    steps.push({ gate: 'test-ran', command: `test -n "$(go test -list '^Test' ./... | grep '^Test')"`, cache: null });
  }
  return steps;
}
