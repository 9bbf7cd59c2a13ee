import { pinned, type Tool } from '../../kit/pins.ts';
import type { Gate } from '../../options/types.ts';


/** The keys of the versions table the Node.js templates pin besides a manager's (@types/node once per runtime major). */
export const NODE_TOOLS = ['typescript', '@types/node@22', '@types/node@24', '@types/node@26', 'prettier', 'eslint', '@eslint/js', 'typescript-eslint'] as const;

/** typescript compiles the service whatever the gates; @types/node matches the runtime's major. */
const TOOLS_BY_GATE: Partial<Record<Gate, readonly string[]>> = {
  format: ['prettier'],
  lint: ['eslint', '@eslint/js', 'typescript-eslint'],
};

/** The devDependencies for the chosen gates, sorted by name as npm writes them. */
export function devTools(gates: readonly Gate[], versions: Record<string, string>, major: string): Tool[] {
  const names = ['typescript', '@types/node', ...gates.flatMap((gate) => TOOLS_BY_GATE[gate] ?? [])];
  return [...new Set(names)].sort().map((name) => {
    // @types/node is pinned per Node.js major: its types must describe the node that runs the code.
    return { name, version: pinned(versions, name === '@types/node' ? `@types/node@${major}` : name) };
  });
}

/** One command of the gate RUN and the absolute cache directory it keeps between builds. */
export interface GateStep {
  gate: Gate;
  command: string;
  cache: string | null;
}

/**
 * The test stage's gate commands, cheapest first (D7), called from node_modules/.bin directly;
 * the tests through the package.json "test" script, so `npm test` on a laptop runs the same.
 * Each tool keeps its cache in an absolute cache mount (D16), keyed by content, not mtimes.
 */
export function gateSteps(gates: readonly Gate[], testCommand: string): GateStep[] {
  const steps: GateStep[] = [];
  if (gates.includes('typecheck')) {
    steps.push({ gate: 'typecheck', command: 'tsc --noEmit --incremental --tsBuildInfoFile /root/.cache/tsc/typecheck.tsbuildinfo', cache: '/root/.cache/tsc' });
  }
  if (gates.includes('format')) {
    steps.push({ gate: 'format', command: 'prettier --check --cache --cache-location /root/.cache/prettier/cache.json .', cache: '/root/.cache/prettier' });
  }
  if (gates.includes('lint')) {
    steps.push({ gate: 'lint', command: 'eslint --cache --cache-strategy content --cache-location /root/.cache/eslint/ .', cache: '/root/.cache/eslint' });
  }
  if (gates.includes('test')) steps.push({ gate: 'test', command: testCommand, cache: null });
  return steps;
}

/** package.json scripts: what a developer runs, and what the test stage's `npm test` runs. */
export function scripts(gates: readonly Gate[]): Array<[string, string]> {
  const all: Array<[string, string]> = [];
  if (gates.includes('typecheck')) all.push(['typecheck', 'tsc --noEmit']);
  if (gates.includes('format')) all.push(['format', 'prettier --check .']);
  if (gates.includes('lint')) all.push(['lint', 'eslint .']);
  // Tests are compiled without a second type check, then run by test/run.ts (fails on 0 tests).
  if (gates.includes('test')) all.push(['test', 'tsc --noCheck && node build/test/run.js']);
  all.push(['build', 'tsc -p tsconfig.build.json'], ['start', 'node dist/main.js']);
  return all;
}
