import type { Hook, Onboarding } from '../../kit/onboarding.ts';
import { goGateSteps, linters } from './gates.ts';

/**
 * Go's dev container and hooks: go vet and gofmt as the test stage runs them, staticcheck at its
 * pinned version through `go run` (the test stage installs it; the builder has no copy).
 */
export const goOnboarding: Onboarding = {
  remoteUser: 'root',
  rootWhy: 'the golang images have no other user, and the module cache and the build secret are under /root',
  extensions: { always: ['golang.go'], gates: {} },
  secretFile: { home: '.netrc', target: '/root/.netrc' },
  hooksNote: 'the tools come with Go, but for a linter, which `go run` fetches at its pinned version through the same GOPROXY',
  hooks(gates, versions) {
    const staticcheck = linters(gates, { ...versions }).find((linter) => linter.name === 'staticcheck');
    return goGateSteps(gates, '').flatMap((step): Hook[] => {
      if (step.gate === 'typecheck') return [{ id: 'go-vet', name: 'go vet (typecheck gate)', gate: step.gate, entry: step.command, types: ['go'], passFilenames: false }];
      // gofmt -l exits 0 whatever it lists: the gate's own command fails on a listing, through sh.
      if (step.gate === 'format') return [{ id: 'gofmt', name: 'gofmt (format gate)', gate: step.gate, entry: `sh -c '${step.command}'`, types: ['go'], passFilenames: false }];
      if (step.gate === 'lint' && staticcheck) {
        const entry = `go run ${staticcheck.package}@v${staticcheck.version} ./...`;
        return [{ id: 'staticcheck', name: 'staticcheck (lint gate)', gate: step.gate, entry, types: ['go'], passFilenames: false }];
      }
      return [];
    });
  },
};
