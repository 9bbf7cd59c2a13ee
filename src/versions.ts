/**
 * Every tool version the templates pin, in one table (create-t3-app's dependencyVersionMap).
 * Checked against the package index on VERSIONS_CHECKED. A preset's `versions` overrides entries.
 */
export const VERSIONS_CHECKED = '2026-11-26';

export const VERSIONS = {
  // Python dependency managers, installed in the builder stage.
  pipenv: '2026.10.3',
  poetry: '2.5.1',
  'poetry-plugin-export': '1.10.1',
  uv: '0.13.8',
  'pip-tools': '7.6.2',
  // Python quality gates (dev dependencies of the generated service).
  black: '26.10.1',
  ruff: '0.17.5',
  mypy: '2.4.1',
  bandit: '1.9.4',
  pytest: '9.2.0',
  'pytest-bdd': '9.0.1',
  'pytest-mock': '3.17.0',
  // Go: the newest go directive the templates write (a preset may lower it to an older toolchain),
  // and the extra linters the test stage installs with `go install …@version`.
  go: '1.27',
  staticcheck: '0.8.2',
  gosec: '2.30.0',
  // Node.js: pnpm (installed in the builder) and the generated service's devDependencies.
  // typescript stays below 6.1: typescript-eslint 8.73 supports ">=4.8.4 <6.1.0".
  pnpm: '12.4.2',
  typescript: '6.0.3',
  '@types/node@22': '22.20.5',
  '@types/node@24': '24.19.2',
  '@types/node@26': '26.6.6',
  prettier: '3.10.1',
  eslint: '10.15.0',
  '@eslint/js': '10.0.1',
  'typescript-eslint': '8.73.0',
  // Java (Maven): plugins and test dependencies pinned in the generated pom.xml.
  'maven-clean-plugin': '3.5.0',
  'maven-resources-plugin': '3.5.0',
  'maven-compiler-plugin': '3.16.0',
  'maven-surefire-plugin': '3.6.1',
  'maven-jar-plugin': '3.5.1',
  'maven-install-plugin': '3.2.0',
  'maven-deploy-plugin': '3.2.0',
  'maven-site-plugin': '3.22.0',
  'maven-enforcer-plugin': '3.7.0',
  'maven-dependency-plugin': '3.11.0',
  'junit-jupiter': '6.1.3',
  'junit-platform-launcher': '6.1.3',
} as const satisfies Record<string, string>;

export type ToolName = keyof typeof VERSIONS;

/**
 * What the generated CI pipelines run, checked on CI_CHECKED. GitHub Actions are pinned by commit,
 * the release tag shown beside it: each commit read from the action repository's own tags.
 * GitLab's docker CLI and dind images by tag and digest (the digest of the public image: a mirror
 * in an internal registry keeps only the tag, since its digest is the mirror's own).
 */
export const CI_CHECKED = '2026-11-30';

export const CI_PINS = {
  actions: {
    checkout: { repo: 'actions/checkout', tag: 'v7.0.1', commit: '3d3c42e5aac5ba805825da76410c181273ba90b1' },
    setupBuildx: { repo: 'docker/setup-buildx-action', tag: 'v4.3.0', commit: '37fe631027851001ddb9b187196cc803df7f5f0e' },
    login: { repo: 'docker/login-action', tag: 'v4.1.0', commit: '4907a6ddec9925e35a0a9e82d7399ccc52663121' },
    buildPush: { repo: 'docker/build-push-action', tag: 'v7.3.0', commit: '53b7df96c91f9c12dcc8a07bcb9ccacbed38856a' },
  },
  /**
   * docker:<v>-cli and docker:<v>-dind: the newest the official image's own definitions build
   * (buildx 0.36.1, git inside), with the index digests its published record lists for them.
   */
  docker: {
    version: '29.7.2',
    cli: 'sha256:3f4743208d2338c934d7b8bcfbe1bb54c0b2355c510ad5e0f31c0c4a54bd704e',
    dind: 'sha256:3ef33f2e220b79ed3ef3b99d81746f06f306cd6340e2cb7331d17ae996e74cb6',
  },
  /** moby/buildkit for the docker-container builder, named only where it must come from an internal registry. */
  buildkit: 'v0.32.2',
} as const;

/** The Dockerfile frontend syntax every generated Dockerfile declares (D1). */
export const DOCKERFILE_SYNTAX = 'docker/dockerfile:1';
