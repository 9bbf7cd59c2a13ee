import { MANAGER_FILES } from '../../kit/files.ts';
import { defineLanguage } from '../../kit/language.ts';
import { onboardingFiles } from '../../kit/onboarding.ts';
import { pythonOnboarding } from './onboarding.ts';
import { pythonContext } from './context.ts';
import { pythonImages, pythonWarnings } from './images.ts';
import { PYTHON_MANAGERS } from './managers/index.ts';

/** Python: the article's hardened build, with pipenv, Poetry, uv or pip-tools. */
export const python = defineLanguage({
  value: 'python',
  label: 'Python',
  hint: 'gated, hashed locks, distroless python3',
  managers: PYTHON_MANAGERS,
  runtimeVersions: [
    { value: '3.13', label: 'Python 3.13', hint: 'distroless python3-debian13' },
    { value: '3.11', label: 'Python 3.11', hint: 'distroless python3-debian12' },
  ],
  gates: [
    { value: 'typecheck', label: 'typecheck', hint: 'mypy' },
    { value: 'format', label: 'format', hint: 'black --check' },
    { value: 'lint', label: 'lint', hint: 'ruff check' },
    { value: 'security', label: 'security', hint: 'bandit over the whole tree' },
    { value: 'test', label: 'test', hint: 'pytest unit tests' },
    { value: 'bdd', label: 'bdd', hint: 'pytest-bdd feature scenarios' },
  ],
  mirror: { label: 'Package index mirror', example: 'https://nexus.example.com/repository/pypi/simple' },
  buildSecret: { id: 'netrc', variable: 'INDEX_NETRC', format: 'netrc' },
  // The gates' tools, after the managers' own.
  tools: ['black', 'ruff', 'mypy', 'bandit', 'pytest', 'pytest-bdd', 'pytest-mock'],
  examples: {
    builderImage: 'registry.example.com/base/python:3.13-slim-trixie',
    runtimeImage: 'registry.example.com/base/distroless/python3-debian13:nonroot',
  },
  images: pythonImages,
  warnings: pythonWarnings,
  // The builder's Python installs the pinned manager and locks with it; the index through the
  // environment, the CA for pip, requests and uv.
  tooling: {
    installTool: (name, version) => ({ command: 'python3', args: ['-m', 'pip', 'install', `${name}==${version}`] }),
    mirrorEnv: (mirror) => ({ PIP_INDEX_URL: mirror }),
    caVariables: ['PIP_CERT', 'REQUESTS_CA_BUNDLE', 'SSL_CERT_FILE'],
  },
  context: pythonContext,
  onboarding: pythonOnboarding,
  files: [
    { path: 'pyproject.toml', template: 'pyproject.toml.ejs' },
    MANAGER_FILES,
    { path: 'src/main.py', template: 'src/main.py.ejs' },
    // Which test files exist depends on the gates: a gate left out leaves no trace.
    { path: 'tests/__init__.py', template: 'tests/__init__.py', when: (c) => c.pytest },
    { path: 'tests/conftest.py', template: 'tests/conftest.py', when: (c) => c.pytest },
    { path: 'tests/support.py', template: 'tests/support.py', when: (c) => c.pytest },
    { path: 'tests/test_main.py', template: 'tests/test_main.py', when: (c) => c.gates.test },
    { path: 'assets/test-environment.json', template: 'assets/test-environment.json', when: (c) => c.gates.test },
    { path: 'tests/test_health_steps.py', template: 'tests/test_health_steps.py', when: (c) => c.gates.bdd },
    { path: 'features/health.feature', template: 'features/health.feature', when: (c) => c.gates.bdd },
    ...onboardingFiles(),
  ],
});
