/**
 * What the commands of a RUN do, as far as the rules care: which quality gate a command is, and
 * which commands install dependencies or tools. Pure lookups over parsed shell commands.
 */
import { ECOSYSTEMS, ecosystemOf } from '../ecosystems/index.ts';
import type { Instruction } from './dockerfile.ts';
import { globMatch, parseDockerignore } from './dockerignore.ts';
import { execCommands, shellCommands, type ShellCommand } from './shell.ts';

export { pipInstallArgs, readPipInstall } from '../ecosystems/index.ts';

/** Gates in the order the test stage should run them: cheapest first. */
export const GATE_ORDER = ['typecheck', 'format', 'lint', 'security', 'test'] as const;
export type GateKind = (typeof GATE_ORDER)[number];

const NONE: ShellCommand[] = [];
/** Where an instruction keeps its commands once read (a property: every rule asks, often). */
const COMMANDS = Symbol('commands');

/** The shell commands a RUN executes (exec form, shell form, here-document scripts); read once. */
export function runCommands(instruction: Instruction): ShellCommand[] {
  if (instruction.keyword !== 'RUN') return NONE;
  const cached = instruction as Instruction & { [COMMANDS]?: ShellCommand[] };
  return (cached[COMMANDS] ??= readRun(instruction));
}

function readRun(instruction: Instruction): ShellCommand[] {
  if (instruction.json) return execCommands(instruction.json);
  if (instruction.heredocs.length === 0) return shellCommands(instruction.args);
  // `RUN <<EOF`: the body is the script. Offsets run on past the arguments into the bodies (Instruction.lineAt).
  const first = shellCommands(instruction.args.replace(/^\d*<<-?["']?[A-Za-z_][\w.-]*["']?/, (marker) => ' '.repeat(marker.length)));
  let start = instruction.args.length + 1;
  const bodies = instruction.heredocs.map((heredoc) => {
    const commands = shellCommands(heredoc.body, start);
    start += heredoc.body.length + 1;
    return commands;
  });
  return [...first, ...bodies.flat()];
}

const sub = (c: ShellCommand) => c.args.find((a) => !a.startsWith('-'));

/** The gate a command runs, or null. `bdd` runs inside pytest, so it counts as `test`. */
export function gateOf(c: ShellCommand): GateKind | null {
  const { tool } = c;
  if (['mypy', 'dmypy', 'pyright', 'pytype', 'tsc'].includes(tool)) return 'typecheck';
  if (tool === 'go' && sub(c) === 'vet') return 'typecheck';
  if (tool === 'ruff') return sub(c) === 'format' ? 'format' : 'lint';
  if (['black', 'isort', 'gofmt', 'prettier', 'autopep8', 'yapf'].includes(tool)) return 'format';
  if (['flake8', 'pylint', 'eslint', 'golangci-lint', 'staticcheck', 'pyflakes', 'pycodestyle'].includes(tool)) return 'lint';
  if (['bandit', 'pip-audit', 'safety', 'gosec', 'semgrep', 'govulncheck'].includes(tool)) return 'security';
  if (isTestCommand(c)) return 'test';
  // `test -z "$(gofmt -l .)"`, `out=$(gofmt -l .)`: gofmt exits 0 whatever it lists, so its output fails the gate.
  if (gofmtSubstitution(c) !== null) return 'format';
  return null;
}

const TESTS = new Set(['test', '[', '[[']);
const GOFMT_SUBSTITUTION = /^\$\(\s*gofmt\s+([^)|]*)/;

/**
 * gofmt's arguments when the command tests its output (`test -z "$(gofmt -l .)"`) or keeps it in a
 * variable (`out=$(gofmt -l .)`), up to a pipe inside (`$(gofmt -l . | tee …)`); null otherwise.
 */
export function gofmtSubstitution(c: ShellCommand): string[] | null {
  const inner = (word: string) => {
    const match = GOFMT_SUBSTITUTION.exec(word);
    return match ? match[1]!.trim().split(/\s+/).filter(Boolean) : null;
  };
  if (TESTS.has(c.tool)) {
    for (const a of c.args) {
      const args = inner(a);
      if (args) return args;
    }
    return null;
  }
  // An assignment alone: `out=$(gofmt -l .)` (the tool is empty once the assignment is unwrapped).
  if (c.tool === '' && c.words.length > 0) {
    const eq = /^[A-Za-z_][A-Za-z0-9_]*=/.exec(c.words[c.words.length - 1]!);
    return eq ? inner(c.words[c.words.length - 1]!.slice(eq[0].length)) : null;
  }
  return null;
}

/** Test runners that are not a dependency manager's own command. */
const TEST_RUNNERS = new Set(['pytest', 'py.test', 'unittest', 'behave', 'jest', 'vitest', 'mocha', 'ava', 'tap', 'tox', 'nox', 'gotestsum', 'ginkgo']);

/** Commands that run the test suite (what makes a stage the gate stage for D8). */
export function isTestCommand(c: ShellCommand): boolean {
  if (TEST_RUNNERS.has(c.tool)) return true;
  if (c.tool === 'node' && c.args.includes('--test')) return true;
  if (c.tool === 'cargo' && sub(c) === 'test') return true;
  return ecosystemOf(c)?.runsTests(c) ?? false;
}

/** `name==1.2.3` (or `===`), extras allowed, no wildcard: pinned to one version (a variable counts). */
export function isPinnedRequirement(spec: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._-]*(\[[^\]]*\])?\s*===?\s*[^\s,;*<>=!~]+$/.test(spec);
}

/** A command that installs the project's dependencies (as opposed to a pinned tool). */
export function installsDependencies(c: ShellCommand): boolean {
  const first = sub(c);
  if (c.tool === 'bundle' && (first === 'install' || first === undefined)) return true;
  if (c.tool === 'cargo' && first === 'fetch') return true;
  return ecosystemOf(c)?.installs(c) ?? false;
}

/** A command that installs dev/test dependencies too (pipenv --dev, poetry without --without dev, …). */
export function installsDevDependencies(c: ShellCommand): boolean {
  const ecosystem = ecosystemOf(c);
  return ecosystem !== undefined && ecosystem.installs(c) && ecosystem.installsDev(c);
}

/** Files every manager reads or locks, from the ecosystems, plus other languages' common ones. */
const DEPENDENCY_NAMES = new Set([
  ...ECOSYSTEMS.flatMap((e) => [...e.manifests, ...e.lockFiles].map((f) => f.slice(f.lastIndexOf('/') + 1))),
  'pdm.lock', 'setup.cfg', '.python-version', 'npm-shrinkwrap.json', 'Gemfile', 'Gemfile.lock', 'Cargo.toml', 'Cargo.lock', 'composer.json', 'composer.lock',
]);
/** requirements*.txt/.in/.lock, a requirements/ directory, constraints files, the Maven wrapper config. */
const DEPENDENCY_PATTERN = /(^|\/)(requirements[^/]*\.(txt|in|lock)|[^/]*constraints?[^/]*\.(txt|in)|requirements(\/.*)?|\.mvn(\/.*)?|gradle\/(libs\.versions\.toml|wrapper\/.*))$/;

/** Files that are neither source nor dependencies (copying them early costs no cache). */
const NEUTRAL_FILE = /(^|\/)(README[^/]*|LICEN[CS]E[^/]*|NOTICE[^/]*|[^/]*\.md)$/i;

export type CopyKind = 'dependencies' | 'neutral' | 'source';

export function classifySource(path: string): CopyKind {
  const clean = path.replace(/^\.\//, '').replace(/\/+$/, '');
  const name = clean.slice(clean.lastIndexOf('/') + 1);
  if (DEPENDENCY_NAMES.has(name) || DEPENDENCY_PATTERN.test(clean)) return 'dependencies';
  // `COPY go.* ./`, `COPY package*.json ./`: a glob that starts with a dependency file's name.
  if (/[*?[]/.test(name) && !/^[*?[]/.test(name)) {
    const tokens = parseDockerignore(name)[0]?.tokens;
    if (tokens && [...DEPENDENCY_NAMES].some((dependency) => globMatch(tokens, dependency))) return 'dependencies';
  }
  if (NEUTRAL_FILE.test(clean)) return 'neutral';
  return 'source';
}

/** Sources and destination of a COPY/ADD (exec or shell form); empty for a here-document. */
export function copyPaths(instruction: Instruction): { sources: string[]; dest: string } {
  const words = instruction.json ?? instruction.words;
  if (instruction.heredocs.length || words.length < 2) return { sources: [], dest: words[words.length - 1] ?? '' };
  return { sources: words.slice(0, -1), dest: words[words.length - 1]! };
}
