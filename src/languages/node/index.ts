import type { LanguageModule } from '../types.ts';
import { nodeImages, nodeWarnings } from './images.ts';
import { NODE_MANAGERS } from './managers.ts';
import { renderNode } from './render.ts';

/** Node.js with TypeScript: type-checked, linted and tested in the build, compiled after the gates. */
export const node: LanguageModule = {
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
  images: nodeImages,
  warnings: nodeWarnings,
  render: renderNode,
};
