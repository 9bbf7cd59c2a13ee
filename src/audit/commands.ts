/**
 * What the commands of a RUN do, as far as the rules care: which quality gate a command is, and
 * which commands install dependencies or tools. Pure lookups over parsed shell commands.
 */
import type { Instruction } from './dockerfile.ts';
import { execCommands, shellCommands, type ShellCommand } from './shell.ts';

/** Gates in the order the test stage should run them: cheapest first. */
export const GATE_ORDER = ['typecheck', 'format', 'lint', 'security', 'test'] as const;
export type GateKind = (typeof GATE_ORDER)[number];

/** The shell commands a RUN executes (exec form, shell form, and here-document scripts). */
export function runCommands(instruction: Instruction): ShellCommand[] {
  if (instruction.keyword !== 'RUN') return [];
  if (instruction.json) return execCommands(instruction.json);
  if (instruction.heredocs.length === 0) return shellCommands(instruction.args);
  // `RUN <<EOF`: the body is the script (line numbers inside it are not tracked).
  const first = shellCommands(instruction.args.replace(/^\d*<<-?["']?[A-Za-z_][\w.-]*["']?/, ''), -1);
  return [...first, ...instruction.heredocs.flatMap((heredoc) => shellCommands(heredoc.body, -1))];
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
  // `test -z "$(gofmt -l .)"`: gofmt exits 0 whatever it lists, so its output fails the gate.
  if ((tool === 'test' || tool === '[') && c.args.some((a) => /^\$\(\s*gofmt\s/.test(a))) return 'format';
  return null;
}

/** Commands that run the test suite (what makes a stage the gate stage for D8). */
export function isTestCommand(c: ShellCommand): boolean {
  const { tool } = c;
  const first = sub(c);
  if (['pytest', 'py.test', 'unittest', 'behave', 'jest', 'vitest', 'mocha', 'tox', 'nox'].includes(tool)) return true;
  if (tool === 'go' && first === 'test') return true;
  if (['mvn', 'mvnw', 'gradle', 'gradlew'].includes(tool.replace(/^\.\//, '')) && c.args.some((a) => ['test', 'verify', 'check', 'build'].includes(a))) return true;
  if (['npm', 'yarn', 'pnpm'].includes(tool) && (first === 'test' || (first === 'run' && c.args.some((a) => /^test/.test(a))))) return true;
  if (tool === 'cargo' && first === 'test') return true;
  return false;
}

export const isPip = (c: ShellCommand) => /^pip(\d+(\.\d+)?)?$/.test(c.tool) || (c.tool === 'uv' && c.args[0] === 'pip');

/** pip's general options that take a value (they may come before the subcommand). */
const PIP_GENERAL_VALUED = new Set(['--python', '--cache-dir', '--log', '--proxy', '--retries', '--timeout', '--cert', '--client-cert', '--exists-action', '--trusted-host', '--keyring-provider', '--use-feature', '--use-deprecated', '--log-file', '--src']);

/** Index of the subcommand in `args`, skipping general options (`pip --python X install …`). */
function subcommandIndex(args: string[]): number {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('-')) return i;
    if (!arg.includes('=') && PIP_GENERAL_VALUED.has(arg)) i++;
  }
  return -1;
}

/** Arguments of `pip install` / `uv pip install` after `install` (general options kept). */
export function pipInstallArgs(c: ShellCommand): string[] | null {
  const args = c.tool === 'uv' && c.args[0] === 'pip' ? c.args.slice(1) : /^pip(\d+(\.\d+)?)?$/.test(c.tool) ? c.args : null;
  if (!args) return null;
  const at = subcommandIndex(args);
  if (at === -1 || args[at] !== 'install') return null;
  return [...args.slice(0, at), ...args.slice(at + 1)];
}

/** pip options that take a value, so the value is not read as a requirement. */
const PIP_VALUED = new Set([
  '-r', '--requirement', '-c', '--constraint', '-i', '--index-url', '--extra-index-url', '-f', '--find-links',
  '-t', '--target', '--prefix', '--root', '--python-version', '--platform', '--implementation', '--abi',
  '--only-binary', '--no-binary', '--progress-bar', '--cache-dir', '--src', '--upgrade-strategy', '--log',
  '--cert', '--client-cert', '--proxy', '--retries', '--timeout', '--exists-action', '--root-user-action',
  '--report', '--config-settings', '-C', '--global-option', '--python', '-p', '--trusted-host', '-e', '--editable',
  '--index-strategy', '--keyring-provider', '--group', '--extra', '--allow-insecure-host',
]);

export interface PipInstall {
  /** Requirement specifiers named on the command line (not paths, files or URLs). */
  requirements: string[];
  /** `-r FILE` arguments. */
  files: string[];
  /** Installs the project itself (`.`, `-e .`, a path). */
  project: boolean;
  options: string[];
}

export function readPipInstall(args: string[]): PipInstall {
  const result: PipInstall = { requirements: [], files: [], project: false, options: [] };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg.startsWith('-')) {
      result.options.push(arg);
      const name = arg.includes('=') ? arg.slice(0, arg.indexOf('=')) : arg;
      const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args[i + 1];
      if (['-r', '--requirement'].includes(name) && value !== undefined) result.files.push(value);
      if (['-e', '--editable'].includes(name)) result.project = true;
      if (!arg.includes('=') && PIP_VALUED.has(arg)) i++;
      continue;
    }
    if (/^(\.|\/|\$|[a-z+]+:\/\/|file:)/.test(arg) || /\.(whl|tar\.gz|zip)$/.test(arg)) result.project = true;
    else result.requirements.push(arg);
  }
  return result;
}

/** `name==1.2.3` (or `===`), extras allowed, no wildcard: pinned to one version. */
export function isPinnedRequirement(spec: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._-]*(\[[^\]]*\])?\s*===?\s*[^\s,;*<>=!~]+$/.test(spec);
}

/** A command that installs the project's dependencies (as opposed to a pinned tool). */
export function installsDependencies(c: ShellCommand): boolean {
  const first = sub(c);
  if (c.tool === 'pipenv') return (first === 'install' && !c.args.slice(1).some((a) => !a.startsWith('-'))) || first === 'sync';
  if (c.tool === 'poetry') return first === 'install' || first === 'sync';
  if (c.tool === 'uv' && first === 'sync') return true;
  if (c.tool === 'uv' && c.args[0] === 'pip' && c.args[1] === 'sync') return true;
  if (c.tool === 'pip-sync') return true;
  const pip = pipInstallArgs(c);
  if (pip) {
    const read = readPipInstall(pip);
    return read.files.length > 0 || read.project;
  }
  if (['npm', 'pnpm', 'yarn'].includes(c.tool)) {
    return first === undefined || first === 'ci' || ((first === 'install' || first === 'i') && !c.args.slice(1).some((a) => !a.startsWith('-')));
  }
  if (c.tool === 'go' && first === 'mod' && c.args.includes('download')) return true;
  if (['mvn', 'mvnw'].includes(c.tool) && c.args.some((a) => a.startsWith('dependency:'))) return true;
  if (c.tool === 'bundle' && (first === 'install' || first === undefined)) return true;
  if (c.tool === 'cargo' && first === 'fetch') return true;
  return false;
}

/** A command that installs dev/test dependencies too (pipenv --dev, poetry without --without dev, …). */
export function installsDevDependencies(c: ShellCommand): boolean {
  const first = sub(c);
  const has = (...options: string[]) => c.args.some((a) => options.includes(a.split('=')[0]!));
  switch (c.tool) {
    case 'pipenv':
      return (first === 'install' || first === 'sync') && has('--dev', '-d', '--categories');
    case 'poetry':
      return (first === 'install' || first === 'sync') && !has('--only', '--without', '--no-dev', '--only-root');
    case 'uv':
      return first === 'sync' && !has('--no-dev', '--only-group', '--no-default-groups');
    case 'npm':
    case 'pnpm':
    case 'yarn':
      return installsDependencies(c) && !has('--omit', '--production', '--prod', '--only');
    case 'go':
      // Go modules have no dev split: test-only modules are in the same go.sum.
      return installsDependencies(c);
    default: {
      const pip = pipInstallArgs(c);
      return pip !== null && readPipInstall(pip).files.some((f) => /dev|test/.test(f));
    }
  }
}

/** Files that declare or lock dependencies (D5: copied before the source). */
export const DEPENDENCY_FILE =
  /(^|\/)(Pipfile(\.lock)?|pyproject\.toml|poetry\.lock|uv\.lock|pdm\.lock|requirements[^/]*\.(txt|in)|constraints[^/]*\.txt|setup\.cfg|package(-lock)?\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|\.npmrc|go\.(mod|sum)|pom\.xml|Gemfile(\.lock)?|Cargo\.(toml|lock)|build\.gradle(\.kts)?|settings\.gradle(\.kts)?|gradle\.lockfile|\.python-version)$/;

/** Files that are neither source nor dependencies (copying them early costs no cache). */
const NEUTRAL_FILE = /(^|\/)(README[^/]*|LICEN[CS]E[^/]*|NOTICE[^/]*|[^/]*\.md)$/i;

export type CopyKind = 'dependencies' | 'neutral' | 'source';

export function classifySource(path: string): CopyKind {
  const clean = path.replace(/^\.\//, '');
  if (DEPENDENCY_FILE.test(clean)) return 'dependencies';
  if (NEUTRAL_FILE.test(clean)) return 'neutral';
  return 'source';
}

/** Sources and destination of a COPY/ADD (exec or shell form); empty for a here-document. */
export function copyPaths(instruction: Instruction): { sources: string[]; dest: string } {
  const words = instruction.json ?? instruction.words;
  if (instruction.heredocs.length || words.length < 2) return { sources: [], dest: words[words.length - 1] ?? '' };
  return { sources: words.slice(0, -1), dest: words[words.length - 1]! };
}
