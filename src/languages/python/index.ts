import type { Files, LanguageModule, ManagerModule } from '../types.ts';
import type { Options } from '../../options/types.ts';

// Placeholder until the Python templates land (issue 3): a minimal project through the full pipeline.
const manager = (value: string, label: string, lockFiles: string[]): ManagerModule => ({
  value,
  label,
  hint: '',
  lockFiles,
  lockCommands: () => [{ command: value, args: ['lock'] }],
  lockInImageCommand: () => `${value} lock`,
});

export const python: LanguageModule = {
  value: 'python',
  label: 'Python',
  hint: 'the article\'s hardened build',
  managers: [
    manager('pipenv', 'pipenv', ['Pipfile.lock']),
    manager('poetry', 'Poetry', ['poetry.lock']),
    manager('uv', 'uv', ['uv.lock']),
    manager('pip-tools', 'pip-tools', ['requirements.txt']),
  ],
  defaultManager: 'pipenv',
  runtimeVersions: [
    { value: '3.13', label: 'Python 3.13', hint: 'distroless python3-debian13' },
    { value: '3.11', label: 'Python 3.11', hint: 'distroless python3-debian12' },
  ],
  images(registry, version) {
    const debian = version === '3.11' ? { release: 'bookworm', distroless: 'debian12' } : { release: 'trixie', distroless: 'debian13' };
    const builder = `python:${version}-slim-${debian.release}`;
    const runtime = `distroless/python3-${debian.distroless}:nonroot`;
    return registry
      ? { builder: `${registry}/${builder}`, runtime: `${registry}/${runtime}` }
      : { builder, runtime: `gcr.io/${runtime}` };
  },
  warnings: () => [],
  render(options: Options): Files {
    return new Map([
      ['README.md', `# ${options.name}\n`],
      ['src/main.py', 'print("hello")\n'],
    ]);
  },
};
