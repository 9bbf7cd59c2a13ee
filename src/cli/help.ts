import pc from 'picocolors';

/** --help; `answers` is the answers part (help-answers.ts), which the build also makes for the fast path. */
export function helpText(version: string, answers: string): string {
  const h = pc.bold;
  return `${h('create-hardened-service')} ${version}
Scaffold a containerized service with a hardened, reproducible, gated multi-stage Dockerfile.

${h('Usage')}
  npm create hardened-service@latest [directory] -- [options]
  create-hardened-service [directory] [options]
  create-hardened-service audit [PATH...]        lint Dockerfiles, generated or not (audit --help)
  create-hardened-service pin [directory] [--check]  pin FROM and # syntax images to tag@digest
  create-hardened-service update [directory] [--check]  bring a project up to today's templates (update --help)

${h('Answers')} (flag > preset > prompt > default)
${answers}

${h('Behaviour')}
  --preset SOURCE           team preset: a JSON file, an npm package (@acme/preset@^1)
                            or an https URL[#sha256-...]; also HARDENED_SERVICE_PRESET
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
