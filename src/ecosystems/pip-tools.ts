import { envOn, type Cmd, type Ecosystem } from './types.ts';

/** pip's general options that take a value (they may come before the subcommand). */
const PIP_GENERAL_VALUED = new Set(['--python', '--cache-dir', '--log', '--proxy', '--retries', '--timeout', '--cert', '--client-cert', '--exists-action', '--trusted-host', '--keyring-provider', '--use-feature', '--use-deprecated', '--log-file', '--src']);

/** pip options that take a value, so the value is not read as a requirement. */
const PIP_VALUED = new Set([
  '-r', '--requirement', '-c', '--constraint', '-i', '--index-url', '--extra-index-url', '-f', '--find-links',
  '-t', '--target', '--prefix', '--root', '--python-version', '--platform', '--implementation', '--abi',
  '--only-binary', '--no-binary', '--progress-bar', '--cache-dir', '--src', '--upgrade-strategy', '--log',
  '--cert', '--client-cert', '--proxy', '--retries', '--timeout', '--exists-action', '--root-user-action',
  '--report', '--config-settings', '-C', '--global-option', '--python', '-p', '--trusted-host', '-e', '--editable',
  '--index-strategy', '--keyring-provider', '--group', '--extra', '--allow-insecure-host',
]);

/** `pip`, `pip3`, `pip3.13` (after `python -m` was unwrapped). */
export const isPipTool = (tool: string): boolean => /^pip(\d+(\.\d+)?)?$/.test(tool);

/** pip's arguments: `pip …` or `uv pip …`; null for other commands. */
function pipArgs(c: Cmd): readonly string[] | null {
  if (c.tool === 'uv' && c.args[0] === 'pip') return c.args.slice(1);
  return isPipTool(c.tool) ? c.args : null;
}

/** Index of the subcommand, skipping general options (`pip --python X install …`). */
function subcommandIndex(args: readonly string[]): number {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('-')) return i;
    if (!arg.includes('=') && PIP_GENERAL_VALUED.has(arg)) i++;
  }
  return -1;
}

/** Arguments of `pip install` / `uv pip install` after `install` (general options kept), or null. */
export function pipInstallArgs(c: Cmd): string[] | null {
  const args = pipArgs(c);
  if (!args) return null;
  const at = subcommandIndex(args);
  if (at === -1 || args[at] !== 'install') return null;
  return [...args.slice(0, at), ...args.slice(at + 1)];
}

export interface PipInstall {
  /** Requirement specifiers named on the command line (not paths, files or URLs). */
  requirements: string[];
  /** `-r FILE` arguments. */
  files: string[];
  /** `-c FILE` arguments. */
  constraints: string[];
  /** Installs the project itself (`.`, `-e .`, a path). */
  project: boolean;
  options: string[];
}

export function readPipInstall(args: readonly string[]): PipInstall {
  const result: PipInstall = { requirements: [], files: [], constraints: [], project: false, options: [] };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg.startsWith('-')) {
      result.options.push(arg);
      const eq = arg.indexOf('=');
      const name = eq === -1 ? arg : arg.slice(0, eq);
      const value = eq === -1 ? args[i + 1] : arg.slice(eq + 1);
      if (['-r', '--requirement'].includes(name) && value !== undefined) result.files.push(value);
      if (['-c', '--constraint'].includes(name) && value !== undefined) result.constraints.push(value);
      if (['-e', '--editable'].includes(name)) result.project = true;
      if (eq === -1 && PIP_VALUED.has(arg)) i++;
      continue;
    }
    if (/^(\.|\/|\$|[a-z+]+:\/\/|file:)/.test(arg) || /\.(whl|tar\.gz|zip)$/.test(arg)) result.project = true;
    else result.requirements.push(arg);
  }
  return result;
}

const hashes = (read: PipInstall, env: ReadonlyMap<string, string>) => read.options.some((o) => o.startsWith('--require-hashes')) || envOn(env, 'PIP_REQUIRE_HASHES');

/** pip with a lock compiled by pip-compile (`requirements.txt` with hashes). */
/** pip's locked install with the dev requirements: the test stage and a dev container run the same. */
const INSTALL_DEV = 'install --no-deps --require-hashes -r requirements.txt -r requirements-dev.txt';

export const pipTools: Ecosystem = {
  id: 'pip-tools',
  language: 'python',
  label: 'pip-tools',
  tools: ['pip', 'pip3', 'pip-sync', 'pip-compile'],
  manifests: ['requirements.in', 'requirements-dev.in', 'pyproject.toml'],
  lockFiles: ['requirements.txt', 'requirements-dev.txt'],
  examples: {
    install: 'python3 -m pip install --no-deps --require-hashes -r requirements.txt',
    installDev: `python3 -m pip ${INSTALL_DEV}`,
    lock: 'pip-compile --generate-hashes',
    test: 'python -m pytest',
  },
  // The venv is made without pip (PIP_PYTHON points pip at it), and a dev container puts its bin/
  // first on PATH: there `python3` is the venv's, which has no pip. The base interpreter runs pip.
  devSetup: `base="$(python3 -c 'import sys; print(sys.base_prefix)')/bin/python3" && "$base" -m venv --without-pip .venv && "$base" -m pip ${INSTALL_DEV}`,
  lock: {
    // Production first: requirements-dev.in is constrained by requirements.txt.
    commands: (mirror) =>
      ['requirements', 'requirements-dev'].map((name) => ({
        command: 'pip-compile',
        args: ['--generate-hashes', '--allow-unsafe', '--strip-extras', '--quiet', ...(mirror ? ['--index-url', mirror] : []), '--output-file', `${name}.txt`, `${name}.in`],
      })),
    writes: ['requirements.txt', 'requirements-dev.txt'],
    check: '--require-hashes: every package must match a hash pip-compile wrote.',
  },
  installs(c) {
    if (c.tool === 'pip-sync' || (c.tool === 'uv' && c.args[0] === 'pip' && c.args[1] === 'sync')) return true;
    const pip = pipInstallArgs(c);
    if (!pip) return false;
    const read = readPipInstall(pip);
    return read.files.length > 0 || read.project;
  },
  installsDev(c) {
    const pip = pipInstallArgs(c);
    return pip !== null && readPipInstall(pip).files.some((f) => /dev|test/.test(f));
  },
  skipsProject: (c) => {
    const pip = pipInstallArgs(c);
    return pip !== null && !readPipInstall(pip).project;
  },
  lockUse(c, env) {
    if (c.tool === 'pip-sync') return { kind: 'weak', why: '`pip-sync` does not require hashes: install with `pip install --require-hashes -r requirements.txt`' };
    const pip = pipInstallArgs(c);
    if (!pip) return null;
    const read = readPipInstall(pip);
    if (read.files.length === 0) return null;
    if (hashes(read, env)) return { kind: 'enforced' };
    return { kind: 'unenforced', why: `\`pip install -r ${read.files.join(' -r ')}\` does not enforce the lock: add \`--require-hashes\` (with a hashed, pip-compile --generate-hashes lock)` };
  },
  locksAnew: (c) => (c.tool === 'pip-compile' || (c.tool === 'uv' && c.args[0] === 'pip' && c.args[1] === 'compile') ? 'resolves a new lock' : null),
  runsTests: () => false,
};
