import type { BaseContext } from '../../kit/context.ts';
import { ORG_CA } from '../../kit/lock-in-image.ts';
import type { KitManager } from '../../kit/manager.ts';
import type { Options } from '../../options/types.ts';
import type { Tool } from '../../kit/pins.ts';
import type { GateStep } from '../../kit/gates.ts';
import { devTools, gateSteps, scripts } from './gates.ts';
import type { NodeManagerSpec } from './managers/types.ts';

export type NodeManager = KitManager<NodeManagerSpec>;

/** node's own roots plus the organisation's CAs, for npm's cafile (which replaces the roots npm trusts). */
const NPM_CA = '/etc/ssl/certs/npm-ca.pem';

/** What the Node.js templates read besides the base context (kit/context.ts). */
export interface NodeContext {
  nodeMajor: string;
  /** Where the builder gathers the organisation's CAs into one PEM file for NODE_EXTRA_CA_CERTS. */
  orgCa: string;
  npmCa: string;
  devTools: Tool[];
  scripts: Array<[string, string]>;
  steps: GateStep[];
  /** The command that compiles build/ for the tests, whose build/src the runtime ships; null without tests. */
  testCompile: string | null;
  /** Cache and secret mounts of the install RUNs, joined as the Dockerfile writes them. */
  installMounts: string;
  /** package.json, the manager's own settings and the lock: copied into the builder before any source (D5). */
  manifestFiles: string[];
  /** The gates' configuration, copied into the test stage before the tests and the source. */
  configFiles: string[];
}

export function nodeContext(options: Options, { manager, gates, lockFiles }: BaseContext<NodeManager>): NodeContext {
  const major = options.runtimeVersion;
  const mounts = [
    ...manager.caches.map((target) => `--mount=type=cache,target=${target}`),
    '--mount=type=secret,id=npmrc,target=/root/.npmrc,required=false',
  ];
  const steps = gateSteps(options.gates);
  return {
    nodeMajor: major,
    orgCa: ORG_CA,
    npmCa: NPM_CA,
    devTools: devTools(options.gates, options.versions, major),
    scripts: scripts(options.gates),
    steps,
    testCompile: gates.test ? steps[0]!.command : null,
    installMounts: mounts.join(' \\\n    '),
    manifestFiles: ['package.json', ...(manager.files ?? []).map((file) => file.path), ...lockFiles],
    configFiles: [
      'tsconfig.json',
      'tsconfig.build.json',
      ...(gates.lint ? ['eslint.config.js'] : []),
      ...(gates.format ? ['.prettierignore'] : []),
    ],
  };
}
