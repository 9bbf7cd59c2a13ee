import type { LanguageModule } from '../types.ts';
import { goImages, goWarnings } from './images.ts';
import { goDirective } from './context.ts';
import { GO_GATE_CHOICES } from './gates.ts';
import { modules } from './modules.ts';
import { renderGo } from './render.ts';

/** Go: a static standard-library service, gated, compiled after the gates, on distroless static. */
export const go: LanguageModule<'go', 'modules'> = {
  value: 'go',
  label: 'Go',
  hint: 'static binary on distroless static',
  managers: [modules],
  defaultManager: 'modules',
  // The two supported Go releases (go1.27.3 and go1.26.8 were current on VERSIONS_CHECKED).
  runtimeVersions: [
    { value: '1.27', label: 'Go 1.27', hint: 'golang:1.27-trixie, distroless static-debian13' },
    { value: '1.26', label: 'Go 1.26', hint: 'golang:1.26-trixie, distroless static-debian13' },
  ],
  gates: GO_GATE_CHOICES,
  mirror: { label: 'Go module proxy (GOPROXY)', example: 'https://nexus.example.com/repository/go-proxy/' },
  // `go` is the newest go directive written (a preset lowers it); the linters are installed by version.
  buildSecret: { id: 'netrc', variable: 'INDEX_NETRC', format: 'netrc' },
  tools: ['go', 'staticcheck', 'gosec'],
  examples: {
    builderImage: 'registry.example.com/base/golang:1.27-trixie',
    runtimeImage: 'registry.example.com/base/distroless/static-debian13:nonroot',
  },
  images: goImages,
  warnings: (options) => goWarnings({ ...options, goVersion: goDirective(options) }),
  render: renderGo,
};
