import type { Options } from '../../../options/types.ts';
import { showCommands } from '../../../kit/command.ts';
import type { Command } from '../../types.ts';
import type { PythonManager } from './types.ts';
import { inImage, pinned } from './types.ts';

/** The two pip-compile runs: production first, since requirements-dev.in is constrained by it. */
function compileArgs(options: Pick<Options, 'indexUrl'>): string[][] {
  const index = options.indexUrl ? ['--index-url', options.indexUrl] : [];
  const common = ['--generate-hashes', '--allow-unsafe', '--strip-extras', '--quiet', ...index];
  return [
    [...common, '--output-file', 'requirements.txt', 'requirements.in'],
    [...common, '--output-file', 'requirements-dev.txt', 'requirements-dev.in'],
  ];
}

/** pip-tools: requirements*.in compiled with hashes; pip `--require-hashes` enforces the lock. */
export const pipTools: PythonManager<'pip-tools'> = {
  value: 'pip-tools',
  label: 'pip-tools',
  hint: 'requirements.in -> hashed requirements.txt',
  lockFiles: ['requirements.txt', 'requirements-dev.txt'],
  manifests: [
    { path: 'requirements.in', template: 'python/managers/pip-tools/requirements.in.ejs' },
    { path: 'requirements-dev.in', template: 'python/managers/pip-tools/requirements-dev.in.ejs' },
  ],
  usesPyproject: false,
  installCommand: 'python3 -m pip install --no-deps --require-hashes -r requirements.txt',
  lockCommands: (options): Command[] => compileArgs(options).map((args) => ({ command: 'pip-compile', args })),
  lockInImageCommand: (options) => {
    const compile = showCommands(pipTools.lockCommands(options));
    return inImage(
      options,
      `python3 -m pip install pip-tools==${pinned(options.versions, 'pip-tools')} && ${compile}`,
      pipTools.lockFiles,
    );
  },
};
