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

/** The Dockerfile frontend syntax every generated Dockerfile declares (D1). */
export const DOCKERFILE_SYNTAX = 'docker/dockerfile:1';
