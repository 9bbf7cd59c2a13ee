// Onboarding (issue 13): the builder stage as a dev container, and the format and lint gates as
// pre-commit hooks. A language declares its facts (LanguageSpec.onboarding); this file turns them
// into the files' contents, the same way for every language.
import type { Gate, Options } from '../options/types.ts';
import type { FileSpec } from './files.ts';

/** The port the service listens on: every language's Dockerfile says `EXPOSE 8080` (a test keeps them in line). */
export const SERVICE_PORT = 8080;

/** Where the dev container mounts the project: the builder's WORKDIR, so its ENV (venv and tool paths) holds. */
export const WORKSPACE = '/app';

/** The dev container's build stage: the locked dependencies without the gates, so a failing test never blocks opening it. */
export const DEV_TARGET = 'builder';

/** One pre-commit hook: a gate of the test stage, run with the project's own locked tool (`language: system`). */
export interface Hook {
  id: string;
  name: string;
  gate: Gate;
  entry: string;
  /** pre-commit file types it runs on (any of them). */
  types: readonly string[];
  /** Handed the staged files (true) or run over the whole tree as the gate does (false). */
  passFilenames: boolean;
}

/** What a language's dev container and hooks need, declared once in its folder. */
export interface Onboarding {
  /** The builder image's user the editor runs as; root where the image has no other, with the reason. */
  remoteUser: string;
  rootWhy?: string;
  /** The project's tools directory, first on PATH as in the test stage (`/app/.venv/bin`). */
  toolsPath?: string;
  /** Editor extensions: always, and for each chosen gate. */
  extensions: { always: readonly string[]; gates: Partial<Record<Gate, readonly string[]>> };
  /** The build secret's file: where people keep it (under $HOME), and where the container's install reads it once mounted. */
  secretFile: { home: string; target: string };
  /** Where the hooks' tools come from, for the README (they run outside the dev container too). */
  hooksNote: string;
  /** The hooks of the chosen gates, cheapest first (none: no `.pre-commit-config.yaml`). */
  hooks(gates: readonly Gate[], versions: Readonly<Record<string, string>>): Hook[];
}

/** The gates the hooks run, in words: `format gate`, `typecheck, format and lint gates`. */
export function hookGates(hooks: readonly Hook[]): string {
  const gates = [...new Set(hooks.map((hook) => hook.gate))];
  return gates.length > 1 ? `${gates.slice(0, -1).join(', ')} and ${gates.at(-1)} gates` : `${gates[0] ?? 'no'} gate`;
}

/** What the onboarding templates read. */
export interface OnboardingContext {
  /** `.devcontainer/devcontainer.json`, or null when --no-devcontainer. */
  devcontainerJson: string | null;
  /** The hooks of `.pre-commit-config.yaml` (empty: no file, for --no-pre-commit or no such gate). */
  hooks: Hook[];
  /** hookGates(hooks). */
  hookGates: string;
}

/**
 * The dev container: the project's own Dockerfile at its builder stage, the project mounted where
 * the builder works, the dev dependencies installed from the same lock with the manager's own
 * command, the service port forwarded and the editor extensions of the chosen gates. No credential:
 * the README says how the build secret's file is mounted.
 */
export function devcontainer(options: Pick<Options, 'name' | 'gates'>, onboarding: Onboarding, devSetup: string): Record<string, unknown> {
  const extensions = [...onboarding.extensions.always, ...options.gates.flatMap((gate) => onboarding.extensions.gates[gate] ?? [])];
  return {
    name: `${options.name} (builder stage)`,
    build: { dockerfile: '../Dockerfile', context: '..', target: DEV_TARGET },
    workspaceMount: `source=\${localWorkspaceFolder},target=${WORKSPACE},type=bind`,
    workspaceFolder: WORKSPACE,
    postCreateCommand: devSetup,
    ...(onboarding.toolsPath ? { remoteEnv: { PATH: `${onboarding.toolsPath}:\${containerEnv:PATH}` } } : {}),
    forwardPorts: [SERVICE_PORT],
    remoteUser: onboarding.remoteUser,
    customizations: { vscode: { extensions: [...new Set(extensions)] } },
  };
}

export function onboardingContext(options: Options, onboarding: Onboarding, devSetup: string): OnboardingContext {
  const hooks = options.preCommit ? onboarding.hooks(options.gates, options.versions) : [];
  return {
    devcontainerJson: options.devcontainer ? `${JSON.stringify(devcontainer(options, onboarding, devSetup), null, 2)}\n` : null,
    hooks,
    hookGates: hookGates(hooks),
  };
}

/** What the build context never needs of them (.dockerignore), as files are written. */
export const ONBOARDING_IGNORED: Readonly<Record<string, string>> = { '.devcontainer/devcontainer.json': '.devcontainer/', '.pre-commit-config.yaml': '.pre-commit-config.yaml' };

/** The two files in a language's file list (after its own): each written only when its answer is on and it has content. */
export function onboardingFiles<C extends OnboardingContext>(): FileSpec<C>[] {
  return [
    { path: '.devcontainer/devcontainer.json', template: '../shared/onboarding/devcontainer.json.ejs', when: (c) => c.devcontainerJson !== null },
    { path: '.pre-commit-config.yaml', template: '../shared/onboarding/pre-commit-config.yaml.ejs', when: (c) => c.hooks.length > 0 },
  ];
}
