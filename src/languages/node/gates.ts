import type { GateStep } from '../../kit/gates.ts';
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

/**
 * node's own test runner over the compiled tests, run directly (no manager script to start): spec
 * output, and test/reporter.ts, which fails the run when no test ran (D7). The shell expands the
 * glob; a glob that matches nothing fails the run too.
 */
export const NODE_TEST = 'node --test --test-reporter=spec --test-reporter-destination=stdout --test-reporter=./build/test/reporter.js --test-reporter-destination=stderr build/test/*.test.js';

/**
 * The test stage's gate commands, cheapest first (D7), called from node_modules/.bin directly.
 * With tests, the type check is the compile: `tsc` checks and emits build/ (src/ and test/), the
 * tests run that JavaScript and the runtime ships its build/src; both run as the background job
 * (kit/gates.ts) beside prettier and eslint. Not incremental: the build info would outlive the
 * layer's build/ in a cache mount, and tsc would then emit only the changed files.
 * Without tests, `tsc --noEmit` keeps its build info in a cache mount and a build stage compiles.
 * Each tool keeps its cache in an absolute cache mount (D16), keyed by content, not mtimes.
 */
export function gateSteps(gates: readonly Gate[]): GateStep[] {
  const steps: GateStep[] = [];
  const test = gates.includes('test');
  if (gates.includes('typecheck')) {
    steps.push(test
      ? { gate: 'typecheck', command: 'tsc', cache: null, background: true }
      : { gate: 'typecheck', command: 'tsc --noEmit --incremental --tsBuildInfoFile /root/.cache/tsc/typecheck.tsbuildinfo', cache: '/root/.cache/tsc' });
  } else if (test) {
    // The tests need build/: compiled without a type check, since none was chosen.
    steps.push({ gate: 'test', command: 'tsc --noCheck', cache: null, background: true });
  }
  if (gates.includes('format')) {
    steps.push({ gate: 'format', command: 'prettier --check --cache --cache-location /root/.cache/prettier/cache.json .', cache: '/root/.cache/prettier' });
  }
  if (gates.includes('lint')) {
    steps.push({ gate: 'lint', command: 'eslint --cache --cache-strategy content --cache-location /root/.cache/eslint/ .', cache: '/root/.cache/eslint' });
  }
  if (test) steps.push({ gate: 'test', command: NODE_TEST, cache: null, background: true });
  return steps;
}

/** package.json scripts: what a developer runs, the same commands as the test stage's gate RUN. */
export function scripts(gates: readonly Gate[]): Array<[string, string]> {
  const all: Array<[string, string]> = [];
  if (gates.includes('typecheck')) all.push(['typecheck', 'tsc --noEmit']);
  if (gates.includes('format')) all.push(['format', 'prettier --check .']);
  if (gates.includes('lint')) all.push(['lint', 'eslint .']);
  // Tests are compiled without a second type check, then run as the gate RUN runs them.
  if (gates.includes('test')) all.push(['test', `tsc --noCheck && ${NODE_TEST}`]);
  all.push(['build', 'tsc -p tsconfig.build.json'], ['start', 'node dist/main.js']);
  return all;
}
