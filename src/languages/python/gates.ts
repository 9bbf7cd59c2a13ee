import type { GateStep } from '../../kit/gates.ts';
import { pinned, type Tool } from '../../kit/pins.ts';
import type { Gate } from '../../options/types.ts';


/** Which pinned tools each gate needs (pytest serves both `test` and `bdd`). */
const TOOLS_BY_GATE: Record<Gate, readonly string[]> = {
  typecheck: ['mypy'],
  format: ['black'],
  lint: ['ruff'],
  security: ['bandit'],
  test: ['pytest', 'pytest-mock'],
  bdd: ['pytest', 'pytest-bdd'],
};

/** The dev dependencies for the chosen gates, deduplicated and sorted by name. */
export function devTools(gates: readonly Gate[], versions: Record<string, string>): Tool[] {
  const names = [...new Set(gates.flatMap((gate) => TOOLS_BY_GATE[gate]))].sort();
  return names.map((name) => ({ name, version: pinned(versions, name) }));
}

/**
 * The test stage's gate commands, cheapest first (D7). Tools are called from the venv directly:
 * each `pipenv run x` would pay ~0.4 s of start-up. pytest runs once for both `test` and `bdd`.
 * Cache targets are absolute because buildah 1.28 rejects relative mount targets (D16).
 * pytest, the slowest, runs in the background beside the others (templates/shared/dockerfile/gate-run.ejs).
 */
export function gateSteps(gates: readonly Gate[]): Array<GateStep<Gate | 'pytest'>> {
  const steps: Array<GateStep<Gate | 'pytest'>> = [];
  if (gates.includes('typecheck')) steps.push({ gate: 'typecheck', command: 'mypy', cache: '/app/.mypy_cache' });
  if (gates.includes('format')) steps.push({ gate: 'format', command: 'black --check .', cache: '/root/.cache/black' });
  if (gates.includes('lint')) steps.push({ gate: 'lint', command: 'ruff check .', cache: '/app/.ruff_cache' });
  if (gates.includes('security')) {
    steps.push({ gate: 'security', command: 'bandit -c pyproject.toml -r src', cache: null });
  }
  if (gates.includes('test') || gates.includes('bdd')) {
    steps.push({ gate: 'pytest', command: 'pytest', cache: '/app/.pytest_cache', background: true });
  }
  return steps;
}
