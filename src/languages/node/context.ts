import type { Gate, Options } from '../../options/types.ts';
import { devTools, gateSteps, scripts, type GateStep, type Tool } from './gates.ts';
import { showCommand } from '../../kit/command.ts';
import { nodeManager, type NodeManager } from './managers.ts';

/** Where the builder gathers the organisation's CAs into one PEM file for NODE_EXTRA_CA_CERTS. */
const ORG_CA = '/etc/ssl/certs/org-ca.pem';
/** node's own roots plus those CAs, for npm's cafile (which replaces the roots npm trusts). */
const NPM_CA = '/etc/ssl/certs/npm-ca.pem';

/** Everything the Node.js templates read: derived once from the options, never from the environment. */
export interface NodeContext {
  name: string;
  nodeMajor: string;
  manager: NodeManager;
  managerVersion: string | null;
  images: { builder: string; runtime: string };
  certBundle: string | null;
  certPath: string;
  orgCa: string;
  npmCa: string;
  indexUrl: string | null;
  maintainer: string | null;
  ci: Options['ci'];
  gates: Record<Gate, boolean>;
  gateList: readonly Gate[];
  devTools: Tool[];
  scripts: Array<[string, string]>;
  steps: GateStep[];
  /** Cache and secret mounts of the install RUNs, joined as the Dockerfile writes them. */
  installMounts: string;
  lockFiles: readonly string[];
  /** package.json and the lock: copied into the builder before any source (D5). */
  manifestFiles: string[];
  /** The gates' configuration, copied into the test stage before the tests and the source. */
  configFiles: string[];
  lockCommands: string[];
  lockInImageCommand: string;
  /** The CI pipelines' build secret for the registry credentials: an npmrc file, not a netrc. */
  generatorVersion: string;
}

export function nodeContext(options: Options): NodeContext {
  const manager = nodeManager(options.manager);
  const major = options.runtimeVersion;
  const gates = Object.fromEntries(
    (['typecheck', 'format', 'lint', 'security', 'test', 'bdd'] as const).map((gate) => [gate, options.gates.includes(gate)]),
  ) as Record<Gate, boolean>;
  const mounts = [
    ...manager.caches.map((target) => `--mount=type=cache,target=${target}`),
    '--mount=type=secret,id=npmrc,target=/root/.npmrc,required=false',
  ];
  return {
    name: options.name,
    nodeMajor: major,
    manager,
    managerVersion: manager.value === 'pnpm' ? (options.versions.pnpm ?? null) : null,
    images: options.images,
    certBundle: options.certBundle,
    certPath: options.certPath,
    orgCa: ORG_CA,
    npmCa: NPM_CA,
    indexUrl: options.indexUrl,
    maintainer: options.maintainer,
    ci: options.ci,
    gates,
    gateList: options.gates,
    devTools: devTools(options.gates, options.versions, major),
    scripts: scripts(options.gates),
    steps: gateSteps(options.gates, manager.testCommand),
    installMounts: mounts.join(' \\\n    '),
    lockFiles: manager.lockFiles,
    manifestFiles: ['package.json', ...manager.lockFiles],
    configFiles: [
      'tsconfig.json',
      'tsconfig.build.json',
      ...(gates.lint ? ['eslint.config.js'] : []),
      ...(gates.format ? ['.prettierignore'] : []),
    ],
    lockCommands: manager.lockCommands(options).map(showCommand),
    lockInImageCommand: manager.lockInImageCommand(options),
    generatorVersion: options.generatorVersion,
  };
}
