import type { Hook, Onboarding } from '../../kit/onboarding.ts';
import { gateSteps } from './gates.ts';

const HOOKS = { format: { id: 'black', name: 'black (format gate)' }, lint: { id: 'ruff', name: 'ruff (lint gate)' } } as const;

/**
 * Python's dev container and hooks. The hooks run the test stage's own commands with the
 * environment's locked tools (on PATH in the dev container; elsewhere the project's venv active).
 */
export const pythonOnboarding: Onboarding = {
  remoteUser: 'root',
  rootWhy: 'the python slim images have no other user, and the builder installs as root (its caches and the build secret are under /root)',
  toolsPath: '/app/.venv/bin',
  extensions: {
    always: ['ms-python.python'],
    gates: { typecheck: ['ms-python.mypy-type-checker'], format: ['ms-python.black-formatter'], lint: ['charliermarsh.ruff'] },
  },
  secretFile: { home: '.netrc', target: '/root/.netrc' },
  hooksNote: "the tools are the project environment's (`/app/.venv/bin` is first on PATH in the dev container; elsewhere, commit with the environment active)",
  hooks: (gates) =>
    gateSteps(gates).flatMap((step): Hook[] => {
      if (step.gate !== 'format' && step.gate !== 'lint') return [];
      return [{ ...HOOKS[step.gate], gate: step.gate, entry: step.command, types: ['python'], passFilenames: false }];
    }),
};
