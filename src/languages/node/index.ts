import type { LanguageModule } from '../types.ts';
import { nodeImages, nodeWarnings } from './images.ts';
import { NODE_MANAGERS } from './managers.ts';
import { renderNode } from './render.ts';
import { NODE_TOOLS } from './gates.ts';

/** Node.js with TypeScript: type-checked, linted and tested in the build, compiled after the gates. */
export const node: LanguageModule<'node', (typeof NODE_MANAGERS)[number]['value']> = {
  value: 'node',
  label: 'Node.js (TypeScript)',
  hint: 'node:http service, tsc, node:test',
  managers: NODE_MANAGERS,
  defaultManager: 'npm',
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
  render: renderNode,
};
