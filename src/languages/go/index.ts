import { MANAGER_FILES } from '../../kit/files.ts';
import { defineLanguage } from '../../kit/language.ts';
import { onboardingFiles } from '../../kit/onboarding.ts';
import { goOnboarding } from './onboarding.ts';
import { goContext, goDirective } from './context.ts';
import { GO_GATE_CHOICES } from './gates.ts';
import { goImages, goWarnings } from './images.ts';
import { modules } from './modules.ts';

/** Go: a static standard-library service, gated, compiled after the gates, on distroless static. */
export const go = defineLanguage({
  value: 'go',
  label: 'Go',
  hint: 'static binary on distroless static',
  managers: [modules],
  // The two supported Go releases (go1.27.3 and go1.26.8 were current on VERSIONS_CHECKED).
  runtimeVersions: [
    { value: '1.27', label: 'Go 1.27', hint: 'golang:1.27-trixie, distroless static-debian13' },
    { value: '1.26', label: 'Go 1.26', hint: 'golang:1.26-trixie, distroless static-debian13' },
  ],
  gates: GO_GATE_CHOICES,
  mirror: { label: 'Go module proxy (GOPROXY)', example: 'https://nexus.example.com/repository/go-proxy/' },
  buildSecret: { id: 'netrc', variable: 'INDEX_NETRC', format: 'netrc' },
  // `go` is the newest go directive written (a preset lowers it); the linters are installed by version.
  tools: ['go', 'staticcheck', 'gosec'],
  examples: {
    builderImage: 'registry.example.com/base/golang:1.27-trixie',
    runtimeImage: 'registry.example.com/base/distroless/static-debian13:nonroot',
  },
  images: goImages,
  warnings: (options) => goWarnings({ ...options, goVersion: goDirective(options) }),
  // The in-image tidy: the proxy through the environment, the CA named by SSL_CERT_FILE (never GOINSECURE).
  tooling: { mirrorEnv: () => ({}), caVariables: ['SSL_CERT_FILE'] },
  context: goContext,
  onboarding: goOnboarding,
  files: [
    { path: 'go.mod', template: 'go.mod.ejs' },
    // Standard library only: no module to list yet. `go mod tidy` keeps the empty file.
    { path: 'go.sum', template: null },
    MANAGER_FILES,
    { path: (c) => `cmd/${c.name}/main.go`, template: 'cmd/main.go.ejs' },
    { path: 'internal/server/server.go', template: 'internal/server/server.go' },
    { path: 'internal/server/server_test.go', template: 'internal/server/server_test.go', when: (c) => c.gates.test },
    ...onboardingFiles(),
  ],
});
