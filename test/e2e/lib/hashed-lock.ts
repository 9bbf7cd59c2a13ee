// pip-tools is not in Debian, so pip-compile cannot run here. Its output is plain data, though:
// every package of the resolved closure as `name==version --hash=sha256:…`. The builder image's
// own pip resolves each requirements*.in against the local index (`install --dry-run --report`),
// and this writes the hashed requirements*.txt that the Dockerfile installs with --require-hashes.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { podman, type Env } from './containers.ts';

interface PipReport {
  install: { metadata: { name: string; version: string }; download_info: { archive_info?: { hashes?: Record<string, string>; hash?: string } } }[];
}

/** Requirement lines of a requirements*.in (not comments, not options such as `-c`). */
function requirementLines(text: string): string[] {
  return text.split('\n').map((line) => line.replace(/#.*/, '').trim()).filter((line) => line && !line.startsWith('-'));
}

export function hashedRequirements(report: PipReport, source: string): string {
  const lines = [`# Written by the e2e suite from the local index (pip install --dry-run --report) for ${source};`, '# pip-compile --generate-hashes would write the same pins and hashes.'];
  const items = [...report.install].sort((a, b) => a.metadata.name.toLowerCase().localeCompare(b.metadata.name.toLowerCase()));
  for (const item of items) {
    const archive = item.download_info.archive_info ?? {};
    const sha = archive.hashes?.sha256 ?? archive.hash?.replace(/^sha256=/, '');
    if (!sha) throw new Error(`pip's report has no sha256 for ${item.metadata.name}`);
    lines.push(`${item.metadata.name.toLowerCase()}==${item.metadata.version} \\`, `    --hash=sha256:${sha}`);
  }
  return lines.join('\n') + '\n';
}

/** Runs `<engine> run ARGS…` (podman by default; the Docker suite passes Docker Engine's client). */
export type ContainerRun = (step: string, runArgs: string[]) => Promise<unknown>;

export async function writeHashedRequirements(dir: string, builderImage: string, indexUrl: string, ca: string, ctx: Env, runIn?: ContainerRun): Promise<void> {
  const engine: ContainerRun = runIn ?? ((step, runArgs) => podman(step, runArgs, ctx, { timeout: 10 * 60_000 }));
  const pairs: [string, string][] = [
    ['requirements.in', 'requirements.txt'],
    ['requirements-dev.in', 'requirements-dev.txt'],
  ];
  for (const [input, output] of pairs) {
    if (!existsSync(join(dir, input))) throw new Error(`${input} is missing from the generated project`);
    if (requirementLines(readFileSync(join(dir, input), 'utf8')).length === 0) {
      writeFileSync(join(dir, output), `# Written by the e2e suite: ${input} names no requirement.\n`);
      continue;
    }
    const reportFile = join(dir, '.e2e-pip-report.json');
    await engine(`resolve ${input} in the builder image`, [
      'run', '--rm', '--network', 'host', '-v', `${dir}:/src`, '-w', '/src', '-v', `${ca}:/e2e-ca.crt:ro`,
      '-e', 'PIP_CERT=/e2e-ca.crt', '-e', `PIP_INDEX_URL=${indexUrl}`, '-e', 'PIP_DISABLE_PIP_VERSION_CHECK=1',
      builderImage, 'python3', '-m', 'pip', 'install', '--dry-run', '--ignore-installed', '--quiet', '--report', '/src/.e2e-pip-report.json', '-r', input,
    ]);
    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as PipReport;
    rmSync(reportFile);
    writeFileSync(join(dir, output), hashedRequirements(report, input));
  }
}
