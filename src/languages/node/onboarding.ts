import type { Onboarding } from '../../kit/onboarding.ts';
import { scripts } from './gates.ts';

const HOOKS: Record<string, { id: string; name: string; gate: 'format' | 'lint' }> = {
  format: { id: 'prettier', name: 'prettier (format gate)', gate: 'format' },
  lint: { id: 'eslint', name: 'eslint (lint gate)', gate: 'lint' },
};

/** Node.js's dev container (as the image's `node` user) and hooks: package.json's format and lint scripts, from node_modules/.bin. */
export const nodeOnboarding: Onboarding = {
  remoteUser: 'node',
  toolsPath: '/app/node_modules/.bin',
  extensions: { always: [], gates: { format: ['esbenp.prettier-vscode'], lint: ['dbaeumer.vscode-eslint'] } },
  secretFile: { home: '.npmrc', target: '/home/node/.npmrc' },
  hooksNote: 'the tools are called from `node_modules/.bin`, so install the dev dependencies first (the dev container does)',
  hooks: (gates) =>
    scripts(gates).flatMap(([script, command]) => {
      const hook = HOOKS[script];
      return hook ? [{ ...hook, entry: `node_modules/.bin/${command}`, types: ['javascript', 'ts', 'json', 'yaml', 'markdown'], passFilenames: false }] : [];
    }),
};
