import { subcommand, type Ecosystem } from './types.ts';

const MOD_MOD = (a: string) => a === '-mod=mod' || a === '--mod=mod';

/** Go modules: go.sum is the lock; there is no dev split (test-only modules are in go.sum too). */
export const goModules: Ecosystem = {
  id: 'modules',
  language: 'go',
  label: 'Go modules',
  tools: ['go'],
  manifests: ['go.mod', 'go.work'],
  lockFiles: ['go.sum', 'go.work.sum'],
  examples: { install: 'go mod download && go mod verify', installDev: 'go mod download && go mod verify', lock: 'go mod tidy', test: 'go test ./...' },
  lock: {
    // The proxy the build uses, never a direct VCS fetch.
    commands: (mirror) => [{ command: 'go', args: ['mod', 'tidy'], env: mirror ? { GOPROXY: mirror } : ({} as Record<string, string>) }],
    writes: ['go.mod', 'go.sum'],
  },
  installs: (c) => subcommand(c) === 'mod' && c.args.includes('download'),
  installsDev: (c) => goModules.installs(c),
  lockUse(c) {
    if (c.args.some(MOD_MOD)) return { kind: 'unenforced', why: '`go … -mod=mod` may rewrite go.mod and go.sum during the build: drop it (-mod=readonly is the default) so a stale go.sum fails' };
    // Downloads are checked against go.sum; `go mod verify` also checks the module cache.
    if (subcommand(c) === 'mod' && c.args.includes('verify')) return { kind: 'enforced' };
    return null;
  },
  locksAnew: (c) => {
    const sub = subcommand(c);
    if (sub === 'get') return 'changes go.mod and go.sum';
    if (sub === 'mod' && c.args.includes('tidy')) return 'rewrites go.mod and go.sum';
    return null;
  },
  runsTests: (c) => subcommand(c) === 'test',
};
