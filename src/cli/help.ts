import pc from 'picocolors';
import { GATES } from '../options/types.ts';

export function helpText(version: string): string {
  const h = pc.bold;
  return `${h('create-hardened-service')} ${version}
Scaffold a containerized service with a hardened, reproducible, gated multi-stage Dockerfile.

${h('Usage')}
  npm create hardened-service@latest [directory] -- [options]
  create-hardened-service [directory] [options]
  create-hardened-service audit [PATH...]        lint Dockerfiles, generated or not (audit --help)
  create-hardened-service pin [directory] [--check]  pin FROM and # syntax images to tag@digest

${h('Answers')} (flag > preset > prompt > default)
  [directory]               where to create the service         (prompt; my-service without a TTY)
  --name NAME               lowercase DNS label [a-z][a-z0-9-]  (basename of the directory)
  --language LANG           python, go, node, java              (python)
  --manager M               pipenv, poetry, uv, pip-tools; go: modules; node: npm, pnpm; java: maven
                            (the language's first)
  --runtime-version V       the language's runtime version; builder and runtime carry the same one
                            Go: 1.27, 1.26 (golang trixie, distroless static-debian13)  (1.27)
                            Node.js: 24, 22, 26 (node:NN-trixie-slim, distroless nodejsNN-debian13)  (24)
                            Java: 21 (distroless java21-debian13), 25, 17 (debian12)  (21)
  --python X.Y              Python's: 3.13 (distroless debian13), 3.11  (3.13)
  --registry REF            host[:port][/path] for base images; none = public images  (none)
  --builder-image REF       override the builder image (full reference with tag)
  --runtime-image REF       override the runtime image (full reference with tag)
  --syntax IMAGE            Dockerfile frontend on the # syntax= line; none = no line (the builder's
                            built-in frontend)  (docker/dockerfile:1; REGISTRY/docker/dockerfile:1
                            with --registry; pinned to a digest when the registry answers)
  --cert-bundle REF         CA bundle image, e.g. registry.example.com/base/ca-bundle:20220405; none  (none)
  --cert-path DIR           directory of .crt files inside that image   (/certs/)
  --index-url URL           package mirror (PyPI index, GOPROXY, npm registry, Maven mirror),
                            https, no credentials               (public)
  --gates LIST              comma list of ${GATES.join(',')}; each language
                            offers its own subset                (all it offers)
  --ci KIND                 github, gitlab, none                (github)
  --maintainer TEXT         maintainer label, e.g. "Team Foo <foo@example.com>"

${h('Behaviour')}
  --preset FILE             team preset (JSON; also HARDENED_SERVICE_PRESET)
  -y, --yes                 never prompt (implied without a TTY)
  --dry-run                 print the files and sizes that would be written; write nothing
  --force                   allow a non-empty directory (existing files are never overwritten)
  --no-git                  skip git init and the initial commit
  --no-lock                 skip generating the lockfile
  -h, --help                show this help
  -v, --version             show the version

${h('Exit codes')}
  0 written   1 unexpected failure (nothing half-written)   2 bad usage or answer   130 cancelled
  129 / 131 / 143 ended by SIGHUP / SIGQUIT / SIGTERM, undone like a cancel

${h('Examples')}
  npm create hardened-service@latest billing-api
  npx create-hardened-service billing-api --yes --manager poetry --registry registry.example.com/base \\
      --cert-bundle registry.example.com/base/ca-bundle:20220405 --index-url https://nexus.example.com/pypi/simple
`;
}
