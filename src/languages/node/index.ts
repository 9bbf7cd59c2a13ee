import { MANAGER_FILES } from '../../kit/files.ts';
import { defineLanguage } from '../../kit/language.ts';
import { onboardingFiles } from '../../kit/onboarding.ts';
import { nodeOnboarding } from './onboarding.ts';
import { nodeContext } from './context.ts';
import { NODE_TOOLS } from './gates.ts';
import { nodeImages, nodeWarnings } from './images.ts';
import { NODE_MANAGERS } from './managers/index.ts';

/** Node.js with TypeScript: type-checked, linted and tested in the build, compiled after the gates. */
export const node = defineLanguage({
  value: 'node',
  label: 'Node.js (TypeScript)',
  hint: 'node:http service, tsc, node:test',
  managers: NODE_MANAGERS,
  runtimeVersions: [
    { value: '24', label: 'Node.js 24', hint: 'distroless nodejs24-debian13 (LTS)' },
    { value: '22', label: 'Node.js 22', hint: 'distroless nodejs22-debian13 (maintenance LTS)' },
    { value: '26', label: 'Node.js 26', hint: 'distroless nodejs26-debian13' },
  ],
  gates: [
    { value: 'typecheck', label: 'typecheck', hint: 'tsc --noEmit (strict)' },
    { value: 'format', label: 'format', hint: 'prettier --check' },
    { value: 'lint', label: 'lint', hint: 'eslint with typescript-eslint strict' },
    { value: 'test', label: 'test', hint: "node's test runner (fails when no test ran)" },
  ],
  mirror: { label: 'npm registry mirror', example: 'https://nexus.example.com/repository/npm/' },
  buildSecret: { id: 'npmrc', variable: 'INDEX_NPMRC', format: 'npmrc' },
  tools: NODE_TOOLS,
  examples: {
    builderImage: 'registry.example.com/base/node:24-trixie-slim',
    runtimeImage: 'registry.example.com/base/distroless/nodejs24-debian13:nonroot',
  },
  images: nodeImages,
  warnings: nodeWarnings,
  // The npm the image carries installs a pinned manager; the CA bundle as npm's cafile and node's
  // extra CAs (pnpm reads those).
  tooling: {
    installTool: (name, version, mirror) => ({ command: 'npm', args: ['install', '--global', `${name}@${version}`, ...(mirror ? [`--registry=${mirror}`] : [])] }),
    mirrorEnv: () => ({}),
    caVariables: ['npm_config_cafile', 'NODE_EXTRA_CA_CERTS'],
  },
  context: nodeContext,
  onboarding: nodeOnboarding,
  files: [
    // Not `_prettierignore`: npm packs this dotfile as it is, and only the project of a format gate has it.
    { path: '.prettierignore', template: 'prettierignore', when: (c) => c.gates.format },
    { path: 'package.json', template: 'package.json.ejs' },
    MANAGER_FILES,
    { path: 'tsconfig.json', template: 'tsconfig.json' },
    { path: 'tsconfig.build.json', template: 'tsconfig.build.json' },
    { path: 'eslint.config.js', template: 'eslint.config.js', when: (c) => c.gates.lint },
    // TypeScript sources are stored as .ts.ejs: the published package holds no .ts file.
    { path: 'src/app.ts', template: 'src/app.ts.ejs' },
    { path: 'src/main.ts', template: 'src/main.ts.ejs' },
    { path: 'test/reporter.ts', template: 'test/reporter.ts.ejs', when: (c) => c.gates.test },
    { path: 'test/app.test.ts', template: 'test/app.test.ts.ejs', when: (c) => c.gates.test },
    { path: 'test/main.test.ts', template: 'test/main.test.ts.ejs', when: (c) => c.gates.test },
    ...onboardingFiles(),
  ],
});
