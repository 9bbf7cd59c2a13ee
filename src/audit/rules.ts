/**
 * The design's Dockerfile rules D1-D16 (../shared design/generated-output.md), one function each.
 * Every finding says what is wrong and how to fix it in one sentence.
 */
import { flag, keyValues, mounts, type Dockerfile, type Instruction, type Stage } from './dockerfile.ts';
import {
  GATE_ORDER,
  classifySource,
  copyPaths,
  gateOf,
  installsDependencies,
  installsDevDependencies,
  isPinnedRequirement,
  isTestCommand,
  pipInstallArgs,
  readPipInstall,
  runCommands,
  type GateKind,
} from './commands.ts';
import { isIgnored, parseDockerignore } from './dockerignore.ts';
import { expandVariables, isDigest, parseImageRef } from './image-ref.ts';
import type { ShellCommand } from './shell.ts';
import { baseImage, fromRefs, globalArgValues, inheritedInstructions, lineage, stageByRef, stageClosure } from './stages.ts';
import type { AuditContext, Finding, RuleId, Severity } from './types.ts';

/** The context after inference: language and manager filled in from the Dockerfile when absent. */
export interface RuleContext extends Omit<AuditContext, 'language' | 'manager'> {
  language: string;
  /** The manager the caller named, or null (the rules then check whatever managers appear). */
  manager: string | null;
}

export type Rule = (dockerfile: Dockerfile, context: RuleContext) => Finding[];

const finding = (rule: RuleId, severity: Severity, line: number | undefined, message: string): Finding =>
  line === undefined ? { rule, severity, message } : { rule, severity, line, message };

/** The line of an instruction on which `needle` first appears (its first line otherwise). */
function lineOf(instruction: Instruction, needle: string): number {
  const at = instruction.args.indexOf(needle);
  return at === -1 ? instruction.line : instruction.lineAt(at);
}

/** The line of `word` in a RUN's command (the RUN's first line when unknown). */
function wordLine(instruction: Instruction, command: ShellCommand, word: string): number {
  const offset = command.offsets[command.words.lastIndexOf(word)] ?? -1;
  return offset < 0 ? instruction.line : instruction.lineAt(offset);
}

const finalStage = (d: Dockerfile): Stage | undefined => d.stages[d.stages.length - 1];

interface LocatedCommand {
  command: ShellCommand;
  instruction: Instruction;
}

function commandsIn(instructions: Instruction[]): LocatedCommand[] {
  return instructions.flatMap((instruction) => runCommands(instruction).map((command) => ({ command, instruction })));
}

/** The stage that runs the gates: the one named `test`, else the first that runs tests or gates. */
export function testStage(d: Dockerfile): Stage | undefined {
  const gates = (s: Stage) => commandsIn(s.instructions).map((c) => gateOf(c.command));
  return (
    d.stages.find((s) => s.name === 'test') ??
    d.stages.find((s) => gates(s).includes('test')) ??
    d.stages.find((s) => gates(s).some((g) => g !== null))
  );
}

/** Stages that run tests (D8: the runtime stage must depend on every one of them). */
function gateStages(d: Dockerfile): Stage[] {
  return d.stages.filter((s) => s.name === 'test' || commandsIn(s.instructions).some((c) => isTestCommand(c.command)));
}

// D1 ---------------------------------------------------------------------------------------------

const SYNTAX = /^(docker\.io\/)?docker\/dockerfile:\d+(\.\d+){0,2}(@sha256:[0-9a-f]{64})?$/;

export const d1: Rule = (d) => {
  const syntax = d.directives.find((x) => x.name === 'syntax');
  if (!syntax) {
    return [finding('D1', 'error', 1, 'the first line is not a syntax directive: add `# syntax=docker/dockerfile:1` as line 1 so every builder uses the same pinned frontend.')];
  }
  if (!SYNTAX.test(syntax.value)) {
    return [finding('D1', 'error', syntax.line, `\`# syntax=${syntax.value}\` is not a pinned official frontend: use \`docker/dockerfile:1\` (or a minor such as 1.7).`)];
  }
  if (syntax.line !== 1) {
    return [finding('D1', 'error', syntax.line, 'the syntax directive must be the very first line: move `# syntax=…` above the other directives.')];
  }
  return [];
};

// D2 ---------------------------------------------------------------------------------------------

export const d2: Rule = (d, context) => {
  const findings: Finding[] = [];
  const final = finalStage(d);
  if (!final) return [finding('D2', 'error', undefined, 'no FROM instruction: a Dockerfile needs named stages cert-bundle (optional), builder, test and a runtime stage.')];
  const at = (name: string) => d.stages.find((s) => s.name === name);
  const certBundle = at('cert-bundle');
  const builder = at('builder');
  const test = at('test');
  if (context.certBundle && !certBundle) {
    findings.push(finding('D2', 'error', d.stages[0]!.line, 'a CA bundle is expected but there is no `cert-bundle` stage: add `FROM <bundle image> AS cert-bundle` first.'));
  }
  if (!builder) findings.push(finding('D2', 'error', d.stages[0]!.line, 'no stage named `builder`: name the stage that installs the locked dependencies `AS builder`.'));
  if (!test) findings.push(finding('D2', 'error', final.line, 'no stage named `test`: run the quality gates in a stage `FROM builder AS test`.'));
  if (certBundle && builder && certBundle.index > builder.index) {
    findings.push(finding('D2', 'error', certBundle.line, '`cert-bundle` comes after `builder`: declare the CA bundle stage first, the builder copies from it.'));
  }
  if (builder && test && test.index < builder.index) {
    findings.push(finding('D2', 'error', test.line, '`test` comes before `builder`: order the stages cert-bundle, builder, test, runtime.'));
  }
  for (const named of [certBundle, builder, test]) {
    if (named && named === final && d.stages.length > 1) {
      findings.push(finding('D2', 'error', named.line, `the last stage is \`${named.name}\`: the runtime stage must come last, after test.`));
    }
  }
  for (const stage of d.stages.slice(0, -1)) {
    if (!stage.name) findings.push(finding('D2', 'warning', stage.line, `stage ${stage.index} has no name: add \`AS <name>\` so other stages refer to it by name, not by index.`));
  }
  return findings;
};

// D3 ---------------------------------------------------------------------------------------------

function checkImage(reference: string, line: number, what: string): Finding[] {
  if (reference.includes('$')) {
    return [finding('D3', 'warning', line, `${what} \`${reference}\` uses a variable without a default: give the ARG a pinned default so the base can be checked.`)];
  }
  const ref = parseImageRef(reference);
  if (ref.digest !== null) {
    if (!isDigest(ref.digest)) return [finding('D3', 'error', line, `${what} \`${reference}\` has a malformed digest: use \`@sha256:\` followed by 64 hex digits.`)];
    if (ref.tag === 'latest') return [finding('D3', 'warning', line, `${what} \`${reference}\` names the tag \`latest\`: keep the digest and name the real version tag for readers.`)];
    return [];
  }
  if (ref.tag === null) return [finding('D3', 'error', line, `${what} \`${reference}\` has no tag (it means latest): pin a version tag and a digest, e.g. \`${ref.name}:<version>@sha256:…\`.`)];
  if (ref.tag === 'latest') return [finding('D3', 'error', line, `${what} \`${reference}\` uses \`latest\`: pin a version tag and a digest, e.g. \`${ref.name}:<version>@sha256:…\`.`)];
  return [finding('D3', 'warning', line, `${what} \`${reference}\` is pinned by tag only (tags move): add the digest, \`${reference}@sha256:…\`, where the registry can be reached.`)];
}

export const d3: Rule = (d) => {
  const vars = globalArgValues(d);
  const findings: Finding[] = [];
  for (const stage of d.stages) {
    const base = expandVariables(stage.base, vars);
    if (base.toLowerCase() === 'scratch' || stageByRef(d, base, stage.index)) continue;
    findings.push(...checkImage(base, stage.line, 'base image'));
  }
  // `COPY --from=image` and `RUN --mount=from=image` pull images too.
  for (const instruction of d.instructions) {
    for (const ref of fromRefs(instruction)) {
      if (/^\d+$/.test(ref.ref) || stageByRef(d, ref.ref, instruction.stage)) continue;
      findings.push(...checkImage(expandVariables(ref.ref, vars), ref.line, 'image'));
    }
  }
  return findings;
};

// D4 ---------------------------------------------------------------------------------------------

function unpinnedTools(c: ShellCommand): { tools: string[]; severity: Severity; how: string } | null {
  const first = c.args[0];
  const pip = pipInstallArgs(c);
  if (pip) return { tools: readPipInstall(pip).requirements.filter((r) => !isPinnedRequirement(r)), severity: 'error', how: 'pin each with `==X.Y.Z`' };
  if ((c.tool === 'pipx' || (c.tool === 'uv' && first === 'tool')) && c.args.includes('install')) {
    const rest = c.args.slice(c.args.indexOf('install') + 1).filter((a) => !a.startsWith('-'));
    return { tools: rest.filter((r) => !isPinnedRequirement(r)), severity: 'error', how: 'pin each with `==X.Y.Z`' };
  }
  if (['npm', 'pnpm', 'yarn'].includes(c.tool) && ['install', 'i', 'add'].includes(first ?? '')) {
    const packages = c.args.slice(1).filter((a) => !a.startsWith('-'));
    return { tools: packages.filter((p) => !/^(@[^/]+\/)?[^@]+@\d[^\s]*$/.test(p)), severity: 'error', how: 'pin each with `@X.Y.Z`' };
  }
  if (c.tool === 'go' && first === 'install') {
    const packages = c.args.slice(1).filter((a) => !a.startsWith('-'));
    return { tools: packages.filter((p) => !/@v?\d/.test(p)), severity: 'error', how: 'pin each with `@vX.Y.Z` (not @latest)' };
  }
  if (c.tool === 'gem' && first === 'install') {
    if (c.args.some((a) => a === '-v' || a.startsWith('--version'))) return null;
    return { tools: c.args.slice(1).filter((a) => !a.startsWith('-') && !/:\d/.test(a)), severity: 'error', how: 'pin with `-v X.Y.Z`' };
  }
  // Maven: `group:artifact:goal` resolves the newest plugin; `group:artifact:version:goal` is pinned
  // (a `prefix:goal` takes its version from the POM, which the enforcer checks).
  if (['mvn', 'mvnw'].includes(c.tool.replace(/^\.\//, ''))) {
    return { tools: c.args.filter((a) => !a.startsWith('-') && a.split(':').length === 3), severity: 'error', how: 'name the version, `group:artifact:X.Y.Z:goal`, or pin the plugin in pom.xml and use its prefix' };
  }
  if (c.tool === 'cargo' && first === 'install') {
    if (c.args.includes('--version')) return null;
    return { tools: c.args.slice(1).filter((a) => !a.startsWith('-') && !a.includes('@')), severity: 'error', how: 'pin with `--version X.Y.Z` or `name@X.Y.Z`' };
  }
  // OS packages: a warning, since pinning them needs a snapshot mirror to stay buildable.
  if (['apt-get', 'apt'].includes(c.tool) && first === 'install') {
    return { tools: c.args.slice(1).filter((a) => !a.startsWith('-') && !a.includes('=')), severity: 'warning', how: 'pin each with `=VERSION` (and a snapshot mirror)' };
  }
  if (c.tool === 'apk' && first === 'add') {
    return { tools: c.args.slice(1).filter((a) => !a.startsWith('-') && !a.includes('=')), severity: 'warning', how: 'pin each with `=VERSION`' };
  }
  return null;
}

export const d4: Rule = (d) => {
  const findings: Finding[] = [];
  for (const { command, instruction } of commandsIn(d.instructions)) {
    const unpinned = unpinnedTools(command);
    if (!unpinned || unpinned.tools.length === 0) continue;
    const names = unpinned.tools.map((t) => `\`${t}\``).join(', ');
    findings.push(finding('D4', unpinned.severity, wordLine(instruction, command, unpinned.tools[0]!), `\`${command.tool}\` installs ${names} without a pinned version: ${unpinned.how}.`));
  }
  return findings;
};

// D5 ---------------------------------------------------------------------------------------------

function contextCopy(instruction: Instruction): boolean {
  return (instruction.keyword === 'COPY' || instruction.keyword === 'ADD') && !flag(instruction, 'from') && instruction.heredocs.length === 0;
}

function copyKinds(instruction: Instruction): Set<string> {
  return new Set(copyPaths(instruction).sources.map(classifySource));
}

function bindsDependencyFiles(instruction: Instruction): boolean {
  return mounts(instruction).some((m) => (m.options.type ?? 'bind') === 'bind' && !m.options.from && classifySource(m.options.source ?? m.options.src ?? '') === 'dependencies');
}

export const d5: Rule = (d) => {
  const findings: Finding[] = [];
  for (const stage of d.stages) {
    const installs = commandsIn(stage.instructions).filter((c) => installsDependencies(c.command));
    for (const { command, instruction } of installs) {
      const before = inheritedInstructions(d, stage).filter((i) => i.line < instruction.line || !stage.instructions.includes(i));
      const source = before.find((i) => contextCopy(i) && copyKinds(i).has('source'));
      if (source) {
        findings.push(finding('D5', 'error', wordLine(instruction, command, command.words[0]!), `\`${command.tool}\` installs dependencies after source was copied (line ${source.line}): copy only the dependency files, install, then copy the source so code changes reuse the dependency layer.`));
        continue;
      }
      const deps = before.some((i) => contextCopy(i) && copyKinds(i).has('dependencies')) || bindsDependencyFiles(instruction);
      if (!deps) {
        findings.push(finding('D5', 'error', wordLine(instruction, command, command.words[0]!), `\`${command.tool}\` installs dependencies but no dependency file (manifest, lock) was copied or bind-mounted before it: COPY them first.`));
      }
    }
  }
  return findings;
};

// D6 ---------------------------------------------------------------------------------------------

const has = (c: ShellCommand, ...options: string[]) => c.args.some((a) => options.includes(a.split('=')[0]!));

function envSet(instructions: Instruction[], names: string[]): boolean {
  return instructions
    .filter((i) => i.keyword === 'ENV')
    .flatMap((i) => keyValues(i))
    .some((kv) => names.includes(kv.key) && kv.value !== null && !['', '0', 'false'].includes(kv.value.toLowerCase()));
}

export const d6: Rule = (d, context) => {
  const findings: Finding[] = [];
  const enforced = new Set<string>();
  for (const stage of d.stages) {
    const inherited = inheritedInstructions(d, stage);
    const commands = commandsIn(inherited);
    commands.forEach(({ command: c, instruction }, index) => {
      if (!stage.instructions.includes(instruction)) return; // checked in its own stage
      const first = c.args.find((a) => !a.startsWith('-'));
      const at = instruction.line;
      const where = wordLine(instruction, c, c.words[0]!);
      const uvEnv = envSet(inherited.filter((i) => i.line < at), ['UV_LOCKED', 'UV_FROZEN']);
      if (c.tool === 'pipenv' && first === 'install' && !c.args.slice(1).some((a) => !a.startsWith('-'))) {
        if (has(c, '--deploy') || envSet(inherited.filter((i) => i.line < at), ['PIPENV_DEPLOY'])) enforced.add('pipenv');
        else findings.push(finding('D6', 'error', where, '`pipenv install` without `--deploy` may resolve anew when Pipfile.lock is stale: use `pipenv install --deploy`.'));
      } else if (c.tool === 'pipenv' && first === 'sync') {
        enforced.add('pipenv');
        findings.push(finding('D6', 'warning', where, '`pipenv sync` does not check Pipfile.lock against Pipfile: use `pipenv install --deploy`, which fails on a stale lock.'));
      } else if (c.tool === 'pipenv' && first === 'install') {
        findings.push(finding('D6', 'error', where, '`pipenv install <package>` changes the Pipfile during the build: add packages on the host, lock, and install with `--deploy`.'));
      } else if (c.tool === 'poetry' && (first === 'install' || first === 'sync' || first === 'export')) {
        const checked = commands.slice(0, index).some(({ command: p }) => p.tool === 'poetry' && ((p.args.includes('check') && p.args.includes('--lock')) || (p.args[0] === 'lock' && p.args.includes('--check'))));
        if (checked) enforced.add('poetry');
        else findings.push(finding('D6', 'error', where, `\`poetry ${first}\` runs without a preceding \`poetry check --lock\`: check the lock first so a stale poetry.lock fails the build.`));
      } else if (c.tool === 'uv' && ['sync', 'export'].includes(first ?? '')) {
        if (has(c, '--locked', '--frozen') || uvEnv) enforced.add('uv');
        else findings.push(finding('D6', 'error', where, `\`uv ${first}\` without \`--locked\` may update uv.lock during the build: use \`uv ${first} --locked\`.`));
      } else if (isLockingCommand(c)) {
        findings.push(finding('D6', 'error', where, `\`${c.words.join(' ')}\` resolves a new lock during the build: lock on the host, commit the lock, and only install from it here.`));
      } else if (c.tool === 'go' && c.args[0] === 'mod' && c.args[1] === 'verify') {
        enforced.add('modules');
      } else if (c.tool === 'go' && has(c, '-mod') && c.args.includes('-mod=mod')) {
        findings.push(finding('D6', 'error', where, '`go … -mod=mod` may rewrite go.mod and go.sum during the build: drop it (-mod=readonly is the default) so a stale go.sum fails.'));
      } else if (['mvn', 'mvnw'].includes(c.tool) && c.args.some((a) => /^versions:(use-|update-|resolve-ranges|set)/.test(a))) {
        findings.push(finding('D6', 'error', where, `\`${c.words.join(' ')}\` rewrites the versions pinned in pom.xml during the build: change them in pom.xml and commit it.`));
      } else if (['mvn', 'mvnw'].includes(c.tool) && installsDependencies(c)) {
        enforced.add('maven');
      } else if (c.tool === 'pip-sync') {
        findings.push(finding('D6', 'warning', where, '`pip-sync` does not require hashes: install with `pip install --require-hashes -r requirements.txt`.'));
      }
      const pip = pipInstallArgs(c);
      if (pip) {
        const read = readPipInstall(pip);
        const hashes = read.options.some((o) => o.startsWith('--require-hashes')) || envSet(inherited.filter((i) => i.line < at), ['PIP_REQUIRE_HASHES']);
        if (read.files.length && hashes) enforced.add('pip-tools');
        if (read.files.length && !hashes) {
          findings.push(finding('D6', 'error', where, `\`pip install -r ${read.files.join(' -r ')}\` does not enforce the lock: add \`--require-hashes\` (with a hashed, pip-compile --generate-hashes lock).`));
        }
      }
      if (c.wrappers.some((w) => w[0] === 'uv' && w[1] === 'run') && !c.wrappers.some((w) => w[0] === 'uv' && w.some((a) => ['--locked', '--frozen', '--no-sync'].includes(a))) && !uvEnv) {
        findings.push(finding('D6', 'error', where, '`uv run` syncs the environment and may update uv.lock: add `--locked` (or `--frozen`), or set `ENV UV_LOCKED=1`.'));
      }
      if (c.tool === 'npm' && first === 'ci') enforced.add('npm');
      if (c.tool === 'pnpm' && ['install', 'i'].includes(first ?? '') && has(c, '--frozen-lockfile') && !has(c, '--lockfile-only')) enforced.add('pnpm');
      else if (['npm', 'pnpm'].includes(c.tool) && ['install', 'i'].includes(first ?? '') && !c.args.slice(1).some((a) => !a.startsWith('-'))) {
        findings.push(finding('D6', 'error', where, `\`${c.tool} install\` may rewrite the lockfile: use \`${c.tool === 'npm' ? 'npm ci' : 'pnpm install --frozen-lockfile'}\`.`));
      }
    });
  }
  for (const kv of d.instructions.filter((i) => i.keyword === 'ENV').flatMap((i) => keyValues(i))) {
    if (kv.key === 'GOFLAGS' && kv.value && /(^|\s)-mod=mod(\s|$)/.test(kv.value)) {
      findings.push(finding('D6', 'error', kv.line, '`GOFLAGS=-mod=mod` lets every go command rewrite go.mod and go.sum during the build: use `-mod=readonly` so a stale go.sum fails.'));
    }
  }
  if (context.manager && ['pipenv', 'poetry', 'uv', 'pip-tools', 'modules', 'npm', 'pnpm', 'maven'].includes(context.manager) && !enforced.has(context.manager)) {
    const how: Record<string, string> = {
      modules: '`go mod download && go mod verify` (go.sum checked, -mod=readonly)',
      maven: '`mvn -B dependency:go-offline` after copying pom.xml (Maven has no lock file: the pins in pom.xml are the lock)',
      pipenv: '`pipenv install --deploy`',
      poetry: '`poetry check --lock` then `poetry install`',
      uv: '`uv sync --locked`',
      'pip-tools': '`pip install --require-hashes -r requirements.txt`',
      npm: '`npm ci`',
      pnpm: '`pnpm install --frozen-lockfile`',
    };
    findings.push(finding('D6', 'error', undefined, `no ${context.manager} install enforces the lock: install dependencies with ${how[context.manager]}.`));
  }
  return findings;
};

function isLockingCommand(c: ShellCommand): boolean {
  const first = c.args.find((a) => !a.startsWith('-'));
  if (c.tool === 'pipenv' && first === 'lock') return true;
  if (c.tool === 'poetry' && (first === 'lock' || first === 'add' || first === 'update') && !c.args.includes('--check')) return true;
  if (c.tool === 'uv' && (first === 'lock' || first === 'add') && !has(c, '--check', '--locked')) return true;
  if (c.tool === 'pip-compile') return true;
  if (c.tool === 'go' && (first === 'get' || (first === 'mod' && c.args.includes('tidy')))) return true;
  return false;
}

// D7 ---------------------------------------------------------------------------------------------

const CACHE_OF: Partial<Record<string, RegExp>> = { mypy: /mypy/, pytest: /pytest/, ruff: /ruff/, go: /go-build/, staticcheck: /staticcheck/ };
const GATE_NAMES: Record<string, GateKind> = { typecheck: 'typecheck', format: 'format', lint: 'lint', security: 'security', test: 'test', bdd: 'test' };

function ignoresFailure(commands: ShellCommand[], index: number): string | null {
  const c = commands[index]!;
  const before = commands.slice(0, index);
  const errexit = before.some((p) => p.tool === 'set' && p.args.some((a) => /^-[a-z]*e/.test(a) || a === 'errexit'));
  const pipefail = before.some((p) => p.tool === 'set' && p.args.includes('pipefail'));
  if (c.next === '||') {
    const handler = commands[index + 1];
    const failsAnyway = handler && (handler.tool === 'false' || (handler.tool === 'exit' && handler.args[0] !== '0'));
    return failsAnyway ? null : `\`${c.tool} … || ${handler?.words.join(' ') ?? ''}\` ignores its failure`;
  }
  if ((c.next === ';' || c.next === '\n' || c.next === '&') && !errexit && index < commands.length - 1) return `\`${c.tool} …${c.next === '&' ? ' &' : ';'}\` lets the next command decide the RUN's exit status`;
  if (c.next === '|' && !pipefail) return `\`${c.tool} … |\` hides its exit status behind the pipe`;
  return null;
}

/** `gofmt -l . > F` followed by `test ! -s F`: the listing, not the exit status, fails the RUN. */
function failsOnOutput(c: ShellCommand, later: ShellCommand[]): boolean {
  const file = c.args[c.args.indexOf('>') + 1];
  if (!c.args.includes('>') || !file) return false;
  return later.some((o) => ['test', '['].includes(o.tool) && o.args[0] === '!' && o.args[1] === '-s' && o.args[2] === file);
}

export const d7: Rule = (d, context) => {
  const stage = testStage(d);
  if (!stage) return [finding('D7', 'error', undefined, 'no test stage runs the quality gates: add `FROM builder AS test` with one RUN that type-checks, formats, lints, scans and tests.')];
  const findings: Finding[] = [];
  const runs = stage.instructions.filter((i) => runCommands(i).some((c) => gateOf(c) !== null));
  if (runs.length === 0) return [finding('D7', 'error', stage.line, `the test stage \`${stage.name ?? stage.index}\` runs no quality gate: add one RUN with the type check, format, lint, security and test commands.`)];
  if (runs.length > 1) {
    findings.push(finding('D7', 'error', runs[1]!.line, `the gates run in ${runs.length} RUNs (lines ${runs.map((r) => r.line).join(', ')}): chain them with \`&&\` in one RUN so they share one layer and one cache.`));
  }

  // Order: cheapest first, across the gate RUNs in file order.
  const sequence = runs.flatMap((run) => runCommands(run).map((c) => ({ c, gate: gateOf(c), run })));
  let highest: { gate: GateKind; tool: string } | null = null;
  for (const { c, gate, run } of sequence) {
    if (!gate) continue;
    if (highest && GATE_ORDER.indexOf(gate) < GATE_ORDER.indexOf(highest.gate)) {
      findings.push(finding('D7', 'error', wordLine(run, c, c.words.find((w) => w.endsWith(c.tool)) ?? c.tool), `\`${c.tool}\` (${gate}) runs after \`${highest.tool}\` (${highest.gate}): order the gates cheapest first, type check, format, lint, security, tests.`));
    } else highest = { gate, tool: c.tool };
  }

  for (const run of runs) {
    const commands = runCommands(run);
    const caches = mounts(run).filter((m) => m.options.type === 'cache');
    const cached = commands.filter((c) => gateOf(c) && CACHE_OF[c.tool]);
    if (caches.length === 0 && cached.length > 0) {
      findings.push(finding('D7', 'error', run.line, `the gate RUN has no cache mount for ${cached.map((c) => c.tool).join(', ')}: add \`--mount=type=cache,target=/app/.${cached[0]!.tool}_cache\` (one per tool cache) so unchanged code is not re-checked.`));
    } else {
      const targets = caches.map((m) => m.options.target ?? m.options.dst ?? m.options.destination ?? '');
      for (const tool of new Set(commands.map((c) => c.tool))) {
        const pattern = CACHE_OF[tool];
        if (pattern && !targets.some((t) => pattern.test(t))) {
          findings.push(finding('D7', 'warning', run.line, `\`${tool}\` has no cache mount for its cache: add \`--mount=type=cache,target=<workdir>/.${tool}_cache\`.`));
        }
      }
    }
    commands.forEach((c, index) => {
      if (!gateOf(c)) return;
      const ignored = ignoresFailure(commands, index);
      if (ignored) findings.push(finding('D7', 'error', wordLine(run, c, c.words[0]!), `${ignored}: chain the gates with \`&&\` so any failure fails the build.`));
      if (c.tool === 'gofmt' && c.args.some((a) => /^-[a-z]*[ld]/.test(a)) && !c.args.includes('-w') && !failsOnOutput(c, commands.slice(index + 1))) {
        findings.push(finding('D7', 'error', wordLine(run, c, c.words[0]!), '`gofmt -l` exits 0 even when it lists unformatted files: fail on its output, e.g. `test -z "$(gofmt -l .)"`.'));
      }
      if (c.tool === 'go' && c.args[0] === 'test' && !commands.some((o) => o.tool === 'test' && o.args.some((a) => /\$\(\s*go test -list/.test(a)))) {
        findings.push(finding('D7', 'warning', wordLine(run, c, c.words[0]!), '`go test` passes when there is no test at all: add a check that fails then, e.g. `test -n "$(go test -list \'^Test\' ./... | grep \'^Test\')"`.'));
      }
      if (c.tool === 'bandit' && !c.args.some((a) => a === '-r' || a === '--recursive' || /^-[a-z]*r[a-z]*$/.test(a))) {
        findings.push(finding('D7', 'error', wordLine(run, c, c.words[0]!), '`bandit` without `-r` scans only the files named (e.g. `./*.py` misses every package): use `bandit -r src`.'));
      }
      if (c.args.some((a) => /^--suppress-no-test-exit-code$|^-DfailIfNoTests=false$|^-DskipTests|^-Dmaven\.test\.skip|^-Dsurefire\.failIfNoSpecifiedTests=false$|^-Dmaven\.test\.failure\.ignore(=true)?$|^-DtestFailureIgnore|^--fail-never$|^-fn$/.test(a))) {
        findings.push(finding('D7', 'error', run.line, `\`${c.tool}\` is told to pass when no test ran or to skip tests: remove that option so a misconfigured runner fails.`));
      }
    });
  }

  if (context.manager) {
    const tool = ({ 'pip-tools': 'pip', modules: 'go', maven: 'mvn' } as Record<string, string>)[context.manager] ?? context.manager;
    const installs = commandsIn(inheritedInstructions(d, stage)).filter(({ command: c }) => installsDevDependencies(c) && (c.tool === tool || (tool === 'pip' && pipInstallArgs(c) !== null)));
    if (installs.length === 0) {
      const example: Record<string, string> = {
        pipenv: 'pipenv install --dev --deploy',
        poetry: 'poetry sync',
        uv: 'uv sync --locked',
        'pip-tools': 'pip install --require-hashes -r requirements-dev.txt',
        npm: 'npm ci',
        pnpm: 'pnpm install --frozen-lockfile',
        maven: 'mvn -B dependency:go-offline',
      };
      const how = example[context.manager] ? ` (e.g. \`${example[context.manager]}\`)` : '';
      findings.push(finding('D7', 'error', stage.line, `the test stage does not install the dev dependencies from the ${context.manager} lock: install them there${how} before running the gates.`));
    }
  }
  if (context.gates) {
    const present = new Set(sequence.map((s) => s.gate));
    const missing = [...new Set(context.gates.filter((g) => GATE_NAMES[g] && !present.has(GATE_NAMES[g]!)))];
    if (missing.length) {
      const what = missing.length === 1 ? `gate ${missing[0]} does` : `gates ${missing.join(', ')} do`;
      findings.push(finding('D7', 'error', runs[0]!.line, `the chosen ${what} not run in the test stage: add ${missing.length === 1 ? 'its command' : 'their commands'} to the gate RUN.`));
    }
  }
  return findings;
};

// D8 ---------------------------------------------------------------------------------------------

export const d8: Rule = (d) => {
  const final = finalStage(d);
  if (!final) return [];
  const gates = gateStages(d).filter((s) => s !== final);
  if (gates.length === 0) {
    if (commandsIn(final.instructions).some((c) => isTestCommand(c.command))) return [];
    return [finding('D8', 'error', final.line, 'no stage runs the tests, so the default build ships untested code: add a test stage and make the runtime stage depend on it.')];
  }
  const needed = stageClosure(d, final);
  return gates
    .filter((g) => !needed.has(g))
    .map((g) =>
      finding('D8', 'error', final.line, `the runtime stage does not depend on the \`${g.name ?? g.index}\` stage, so a plain build skips the gates: copy a marker the gate RUN writes, e.g. \`COPY --from=${g.name ?? g.index} /app/.gates-passed /app/\`.`),
    );
};

// D9 ---------------------------------------------------------------------------------------------

function looksDistroless(reference: string, allowed: readonly string[] | undefined): boolean {
  if (reference.toLowerCase() === 'scratch') return true;
  const name = parseImageRef(reference).name;
  if (allowed?.some((a) => a === reference || parseImageRef(a).name === name)) return true;
  return /distroless/.test(name);
}

export const d9: Rule = (d, context) => {
  const final = finalStage(d);
  if (!final) return [];
  const findings: Finding[] = [];
  const base = baseImage(d, final);
  if (!looksDistroless(base, context.runtimeAllowed)) {
    findings.push(finding('D9', 'error', final.line, `the runtime stage starts from \`${base}\`, which is not distroless: use a distroless base (gcr.io/distroless/…, e.g. python3-debian13:nonroot) or your registry's equivalent.`));
  } else if (/debug/.test(parseImageRef(base).tag ?? '')) {
    findings.push(finding('D9', 'error', final.line, `\`${base}\` is a debug variant with a busybox shell: use the non-debug tag.`));
  }
  for (const instruction of final.instructions.filter((i) => i.keyword === 'RUN' || i.keyword === 'SHELL')) {
    findings.push(finding('D9', 'error', instruction.line, `${instruction.keyword} in the runtime stage runs build work in an image that should have no shell or tools: do that work in the builder and COPY the result.`));
  }
  return findings;
};

// D10 --------------------------------------------------------------------------------------------

const ROOT = /^(0|root)(:(0|root))?$/;

export const d10: Rule = (d) => {
  const final = finalStage(d);
  if (!final) return [];
  const findings: Finding[] = [];
  const inherited = inheritedInstructions(d, final);
  const users = inherited.filter((i) => i.keyword === 'USER');
  const user = users[users.length - 1];
  if (!user) {
    findings.push(finding('D10', 'error', final.line, 'the runtime stage sets no USER: add `USER 65532:65532` (numeric, non-root) so the platform can verify runAsNonRoot.'));
  } else {
    const value = user.words[0] ?? '';
    const [uid = '', gid] = value.split(':');
    if (value.includes('$')) findings.push(finding('D10', 'warning', user.line, `\`USER ${value}\` uses a variable: write the numeric uid, e.g. \`USER 65532:65532\`.`));
    else if (!/^\d+$/.test(uid) || (gid !== undefined && !/^\d+$/.test(gid))) findings.push(finding('D10', 'error', user.line, `\`USER ${value}\` is not numeric: use \`USER 65532:65532\` so Kubernetes can check runAsNonRoot without /etc/passwd.`));
    else if (Number(uid) === 0) findings.push(finding('D10', 'error', user.line, '`USER 0` runs as root: use a non-zero uid such as `USER 65532:65532`.'));
  }
  for (const instruction of inherited.filter((i) => i.keyword === 'COPY' || i.keyword === 'ADD')) {
    const chown = flag(instruction, 'chown');
    if (chown?.value && !ROOT.test(chown.value)) {
      findings.push(finding('D10', 'error', chown.line, `\`--chown=${chown.value}\` makes the application files writable by the user that runs them: drop --chown so they stay root-owned and read-only.`));
    }
    const chmod = flag(instruction, 'chmod');
    if (chmod?.value && /^[0-7]{3,4}$/.test(chmod.value) && (parseInt(chmod.value, 8) & 0o022) !== 0) {
      findings.push(finding('D10', 'error', chmod.line, `\`--chmod=${chmod.value}\` lets group or others write the application files: use 0644 (files) or 0755 (directories).`));
    }
    // COPY --from keeps the owner the files had in that stage, so a chown there reaches the runtime.
    const from = flag(instruction, 'from')?.value;
    const source = from ? stageByRef(d, from, instruction.stage) : undefined;
    if (source) {
      const chowned = commandsIn(inheritedInstructions(d, source)).find(({ command: c }) => {
        const owner = c.args.find((a) => !a.startsWith('-'));
        return c.tool === 'chown' && owner !== undefined && !ROOT.test(owner);
      });
      if (chowned) {
        findings.push(finding('D10', 'warning', chowned.instruction.line, `\`chown\` in the \`${source.name ?? source.index}\` stage gives files to a non-root owner, and \`COPY --from\` keeps that owner in the runtime image: leave them owned by root.`));
      }
    }
  }
  return findings;
};

// D11 --------------------------------------------------------------------------------------------

export const d11: Rule = (d) => {
  const final = finalStage(d);
  const findings: Finding[] = [];
  for (const instruction of d.instructions.filter((i) => i.keyword === 'ENTRYPOINT' || i.keyword === 'CMD')) {
    if (!instruction.json) {
      const hint = instruction.args.startsWith('[') ? ' (it is not valid JSON: use double quotes)' : '';
      findings.push(finding('D11', 'error', instruction.line, `${instruction.keyword} is in shell form${hint}: write it as a JSON array, e.g. \`${instruction.keyword} ["python3", "main.py"]\`, so signals reach the process and no shell is needed.`));
    }
  }
  if (final) {
    for (const keyword of ['ENTRYPOINT', 'CMD']) {
      const all = final.instructions.filter((i) => i.keyword === keyword);
      if (all.length > 1) findings.push(finding('D11', 'error', all[1]!.line, `the runtime stage has ${all.length} ${keyword} instructions (only the last counts): keep one.`));
    }
  }
  return findings;
};

// D12 --------------------------------------------------------------------------------------------

const SECRET_WORD = /^(PASSWORD|PASSWD|PASS|TOKEN|TOKENS|SECRET|SECRETS|KEY|APIKEY|CREDENTIAL|CREDENTIALS|CREDS|NETRC)$/;
const CREDENTIAL_URL = /[a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:[^\s/@]+@/i;
const SECRET_FILES = /(^|\/)(\.netrc|\.pypirc|\.env(\.[^/]*)?|\.git-credentials|id_rsa|id_ed25519|id_ecdsa|[^/]*\.key|[^/]*\.p12|credentials\.json)$/;
const TLS_OFF_ENV: Record<string, (value: string) => boolean> = {
  PIP_TRUSTED_HOST: () => true,
  UV_INSECURE_HOST: () => true,
  GIT_SSL_NO_VERIFY: (v) => !['', '0', 'false'].includes(v.toLowerCase()),
  NODE_TLS_REJECT_UNAUTHORIZED: (v) => v === '0',
  NPM_CONFIG_STRICT_SSL: (v) => ['false', '0'].includes(v.toLowerCase()),
  PNPM_CONFIG_STRICT_SSL: (v) => ['false', '0'].includes(v.toLowerCase()),
  PYTHONHTTPSVERIFY: (v) => v === '0',
  GOINSECURE: (v) => v !== '',
  GOFLAGS: (v) => /(^|\s)-insecure(\s|$)/.test(v),
};

/** `PIP_INDEX_PASSWORD`, `NPM_TOKEN`, `AWS_SECRET_ACCESS_KEY`: one `_`-separated part names a secret. */
export function looksLikeSecretName(name: string): boolean {
  const upper = name.toUpperCase();
  // PWD is the working directory; *_FILE/*_PATH/… name where a mounted secret is, not the secret.
  if (upper === 'PWD' || /_(FILE|PATH|DIR|ID|NAME)$/.test(upper)) return false;
  return upper.split(/[_.-]/).some((part) => SECRET_WORD.test(part)) || /(PASSWORD|TOKEN|SECRET|APIKEY|CREDENTIAL)/.test(upper);
}

function tlsOffInCommand(c: ShellCommand): string | null {
  if (c.args.some((a) => a.startsWith('--trusted-host'))) return '`--trusted-host`';
  if (c.args.some((a) => a.startsWith('--allow-insecure-host'))) return '`--allow-insecure-host`';
  if (c.tool === 'curl' && c.args.some((a) => a === '-k' || a === '--insecure')) return '`curl --insecure`';
  if (c.tool === 'wget' && c.args.includes('--no-check-certificate')) return '`wget --no-check-certificate`';
  if (['npm', 'yarn', 'pnpm'].includes(c.tool) && c.args.includes('strict-ssl') && c.args.includes('false')) return '`strict-ssl false`';
  if (['npm', 'yarn', 'pnpm'].includes(c.tool) && c.args.some((a) => a === '--no-strict-ssl' || a === '--strict-ssl=false')) return '`--strict-ssl=false`';
  if (c.tool === 'git' && c.args.some((a) => /sslVerify=?false/i.test(a))) return '`http.sslVerify false`';
  return null;
}

export const d12: Rule = (d) => {
  const findings: Finding[] = [];
  for (const instruction of d.instructions) {
    const { keyword, line } = instruction;
    if (keyword === 'WORKDIR') {
      const path = instruction.words[0] ?? '';
      if (!path.startsWith('/') && !path.startsWith('$') && !/^[A-Za-z]:[\\/]/.test(path)) {
        findings.push(finding('D12', 'error', line, `\`WORKDIR ${path}\` is relative (it depends on the previous WORKDIR): use an absolute path such as \`/app\`.`));
      }
    }
    if (keyword === 'ADD') {
      findings.push(finding('D12', 'error', line, 'ADD fetches URLs and unpacks archives implicitly: use COPY (and a checked download in a RUN when you need a remote file).'));
    }
    if (keyword === 'ARG' || keyword === 'ENV') {
      for (const kv of keyValues(instruction)) {
        if (looksLikeSecretName(kv.key)) {
          findings.push(finding('D12', 'error', kv.line, `${keyword} \`${kv.key}\` looks like a secret, and ${keyword} values stay in the image history: pass it with \`RUN --mount=type=secret,id=…\` instead.`));
        }
        const tlsOff = TLS_OFF_ENV[kv.key.toUpperCase()];
        if (tlsOff && kv.value !== null && tlsOff(kv.value)) {
          findings.push(finding('D12', 'error', kv.line, `\`${kv.key}\` turns off TLS verification: trust the CA bundle (PIP_CERT, REQUESTS_CA_BUNDLE, SSL_CERT_FILE) instead.`));
        }
      }
    }
    if (['ARG', 'ENV', 'LABEL', 'RUN'].includes(keyword) && CREDENTIAL_URL.test(instruction.args)) {
      findings.push(finding('D12', 'error', line, 'a URL carries `user:password@` credentials, which land in the image history: pass them with `RUN --mount=type=secret` (e.g. a netrc file).'));
    }
    if (contextCopy(instruction)) {
      const secret = copyPaths(instruction).sources.find((s) => SECRET_FILES.test(s.replace(/\/$/, '')));
      if (secret) findings.push(finding('D12', 'error', line, `\`${keyword} ${secret}\` puts a secret file in a layer: mount it with \`RUN --mount=type=secret\` where it is needed.`));
    }
    for (const c of runCommands(instruction)) {
      const tlsOff = tlsOffInCommand(c);
      if (tlsOff) findings.push(finding('D12', 'error', lineOf(instruction, tlsOff.replace(/`/g, '').split(' ').pop()!), `${tlsOff} turns off TLS verification: trust the CA bundle (PIP_CERT, REQUESTS_CA_BUNDLE, SSL_CERT_FILE) instead.`));
    }
  }
  return findings;
};

// D13 --------------------------------------------------------------------------------------------

const REQUIRED_LABELS = ['title', 'source', 'revision', 'created'].map((l) => `org.opencontainers.image.${l}`);

export const d13: Rule = (d) => {
  const final = finalStage(d);
  if (!final) return [];
  const findings: Finding[] = [];
  const inherited = inheritedInstructions(d, final);
  const labels = new Map<string, { value: string | null; line: number }>();
  for (const instruction of inherited.filter((i) => i.keyword === 'LABEL')) {
    for (const kv of keyValues(instruction, d.escape)) labels.set(kv.key, { value: kv.value, line: kv.line });
  }
  const missing = REQUIRED_LABELS.filter((l) => !labels.has(l));
  if (missing.length) {
    findings.push(finding('D13', 'error', final.line, `the runtime stage lacks the OCI labels ${missing.join(', ')}: add them with LABEL (revision and created from build ARGs).`));
  }
  const created = labels.get('org.opencontainers.image.created');
  if (created?.value && !created.value.includes('$')) {
    findings.push(finding('D13', 'warning', created.line, '`org.opencontainers.image.created` is a fixed value: set it from an ARG the build fills from SOURCE_DATE_EPOCH.'));
  }
  for (const instruction of inherited.filter((i) => i.keyword === 'MAINTAINER')) {
    findings.push(finding('D13', 'warning', instruction.line, 'MAINTAINER is deprecated: use `LABEL org.opencontainers.image.authors="…"`.'));
  }
  return findings;
};

// D14 --------------------------------------------------------------------------------------------

const TEST_PATH = /(^|\/)(tests?|features|assets|spec|specs|__tests__|conftest\.py|testdata|test-classes|surefire-reports)(\/|$)/;
const BUILD_DIR = /(^|\/)(target|\.m2)\/?$/;
const GO_SOURCE_DIR = /^(cmd|internal|pkg|\.|\*)(\/|$)/;
const GO_BUILD_PATH = /(\.go$|(^|\/)go\.(mod|sum)$|(^|\/)go\/pkg(\/|$)|\.cache\/go-build|(^|\/)usr\/local\/go(\/|$))/;
const ENVIRONMENT_PATH = /(^|\/)(\.?venv|site-packages|node_modules)(\/|$)/;

export const d14: Rule = (d, context) => {
  const final = finalStage(d);
  if (!final) return [];
  const findings: Finding[] = [];
  const test = testStage(d);
  const chain = lineage(d, final);
  if (test && test !== final && chain.includes(test)) {
    findings.push(finding('D14', 'error', final.line, `the runtime stage is built on \`${test.name ?? test.index}\`, so test code and dev dependencies ship: start it from the runtime base and COPY only what runs.`));
  }
  for (const instruction of inheritedInstructions(d, final).filter((i) => i.keyword === 'COPY' || i.keyword === 'ADD')) {
    const { sources } = copyPaths(instruction);
    const from = flag(instruction, 'from')?.value;
    const fromStage = from ? stageByRef(d, from, instruction.stage) : undefined;
    for (const source of sources) {
      const clean = source.replace(/^\.\//, '');
      // Go: the runtime needs the compiled binary only, never source, module cache or toolchain.
      if (context.language === 'go' && ((!from && GO_SOURCE_DIR.test(clean)) || GO_BUILD_PATH.test(clean))) {
        findings.push(finding('D14', 'error', instruction.line, `\`${source}\` is Go source or build material, which the runtime image does not need: copy only the compiled binary from the build stage.`));
        continue;
      }
      if (!from && ['.', './', '*', './*'].includes(source)) {
        findings.push(finding('D14', 'error', instruction.line, `\`${instruction.keyword} ${source}\` copies the whole context (tests, features, assets) into the runtime image: copy only the source directory, e.g. \`COPY src/ /app/src/\`.`));
      } else if (from && BUILD_DIR.test(clean)) {
        findings.push(finding('D14', 'error', instruction.line, `\`${source}\` is the whole build directory (test classes, reports, or the Maven repository): copy only the jar, e.g. \`COPY --from=${from} /app/target/app.jar /app/\`.`));
      } else if (TEST_PATH.test(clean)) {
        findings.push(finding('D14', 'error', instruction.line, `\`${source}\` is test material and must not reach the runtime image: copy only the application source.`));
      } else if (fromStage && isWorkdir(d, fromStage, clean) && (devInstall(d, fromStage) || (test && lineage(d, fromStage).includes(test)))) {
        // A compiled language's build stage after the gates holds tests and dev dependencies too.
        findings.push(finding('D14', 'error', instruction.line, `\`${source}\` is the whole working directory of the \`${fromStage.name ?? fromStage.index}\` stage, with its tests and dev dependencies: copy only the build output (e.g. \`/app/dist/\`).`));
      } else if (fromStage && ENVIRONMENT_PATH.test(clean) && (devInstall(d, fromStage) || (test && lineage(d, fromStage).includes(test)))) {
        const dev = devInstall(d, fromStage);
        const why = dev ? `which installed dev dependencies (line ${dev.line})` : 'the test stage';
        findings.push(finding('D14', 'error', instruction.line, `\`${source}\` comes from the \`${fromStage.name ?? fromStage.index}\` stage, ${why}: copy the production environment from a stage that installs only those.`));
      } else if (fromStage && /(^|\/)\.?venv(\/|$)|site-packages/.test(clean) && !dropsPip(d, fromStage)) {
        findings.push(finding('D14', 'warning', instruction.line, `\`${source}\` is a whole virtualenv, which carries pip and its _virtualenv hook into the runtime image: copy a clean directory of production packages only.`));
      }
    }
  }
  return findings;
};

/** True when `path` is the root or the WORKDIR of a stage (or `.`, which means that WORKDIR). */
function isWorkdir(d: Dockerfile, stage: Stage, path: string): boolean {
  const workdirs = inheritedInstructions(d, stage).filter((i) => i.keyword === 'WORKDIR');
  const workdir = (workdirs[workdirs.length - 1]?.words[0] ?? '/').replace(/\/+$/, '') || '/';
  const clean = path.replace(/\/+$/, '') || '/';
  return ['/', '.', '*', workdir, `${workdir}/*`, `${workdir}/.`].includes(clean);
}

/** The first RUN installing dev dependencies in a stage or the stages it is built on. */
function devInstall(d: Dockerfile, stage: Stage): Instruction | undefined {
  return commandsIn(inheritedInstructions(d, stage)).find(({ command }) => installsDevDependencies(command))?.instruction;
}

/** True when a stage (or one it is built on) removes pip from what it installed, or never had it. */
function dropsPip(d: Dockerfile, stage: Stage): boolean {
  return commandsIn(inheritedInstructions(d, stage)).some(({ command: c }) => {
    if (c.tool === 'rm' && c.args.some((a) => /(^|\/)pip([-*]|\/|$)/.test(a))) return true;
    if (/^pip/.test(c.tool) && c.args[0] === 'uninstall' && c.args.includes('pip')) return true;
    if (c.args.includes('--without-pip')) return true;
    // uv makes its environments without pip (unless asked to --seed one).
    if (c.tool === 'uv' && ['sync', 'venv'].includes(c.args[0] ?? '') && !c.args.includes('--seed')) return true;
    const pip = pipInstallArgs(c);
    return pip !== null && readPipInstall(pip).options.some((o) => o === '--target' || o === '-t' || o.startsWith('--target='));
  });
}

// D15 --------------------------------------------------------------------------------------------

const IGNORE_NEEDS: Record<string, Array<{ path: string; pattern: string }>> = {
  any: [
    { path: '.git', pattern: '.git' },
    { path: '.env', pattern: '.env' },
  ],
  python: [
    { path: '.venv', pattern: '.venv' },
    { path: 'src/pkg/__pycache__', pattern: '**/__pycache__' },
    { path: '.mypy_cache', pattern: '.mypy_cache' },
    { path: '.pytest_cache', pattern: '.pytest_cache' },
  ],
  node: [{ path: 'node_modules', pattern: 'node_modules' }],
  go: [{ path: 'internal/pkg/pkg.test', pattern: '**/*.test' }],
  java: [{ path: 'target', pattern: '**/target' }],
};

export const d15: Rule = (_d, context) => {
  if (context.dockerignore === undefined) return [];
  if (context.dockerignore === null) {
    return [finding('D15', 'error', undefined, 'there is no .dockerignore, so .git, virtualenvs, caches and .env files are sent to the builder: add one.')];
  }
  const patterns = parseDockerignore(context.dockerignore);
  const needs = [...IGNORE_NEEDS.any!, ...(IGNORE_NEEDS[context.language] ?? [])];
  const missing = needs.filter((n) => !isIgnored(patterns, n.path)).map((n) => n.pattern);
  if (missing.length === 0) return [];
  const anchored = missing.some((m) => m.startsWith('**/')) ? ' (a pattern without `**/` matches only at the root of the context)' : '';
  return [finding('D15', 'error', undefined, `.dockerignore does not exclude ${missing.join(', ')}: add ${missing.length === 1 ? 'that line' : 'those lines'}${anchored} so they never reach the build context.`)];
};

// D16 --------------------------------------------------------------------------------------------

/**
 * The flags buildah 1.28 accepts (checked with buildah 1.28.2: "COPY only supports the --chmod
 * --chown and the --from flags", "ADD only supports --chmod and --chown", "RUN only supports the
 * --mount flag"); BuildKit accepts more. A flag outside these lists builds with only one of them.
 */
const BUILDAH_FLAGS: Record<string, string[]> = { COPY: ['chmod', 'chown', 'from'], ADD: ['chmod', 'chown'], RUN: ['mount'], FROM: ['platform'] };
const BUILDAH_SECRET_OPTIONS = new Set(['type', 'id', 'target', 'dst', 'destination', 'required', 'mode', 'uid', 'gid']);

export const d16: Rule = (d) => {
  const findings: Finding[] = [];
  const missing = (instruction: Instruction, line: number, feature: string) =>
    findings.push(finding('D16', 'error', line, `${feature} is not supported by buildah 1.28 (Podman, OpenShift): ${instruction.keyword === 'COPY' || instruction.keyword === 'ADD' ? 'use a plain COPY' : 'drop it'} so the Dockerfile builds with both BuildKit and buildah.`));
  for (const instruction of d.instructions) {
    for (const mount of mounts(instruction)) {
      const target = mount.options.target ?? mount.options.dst ?? mount.options.destination;
      const type = mount.options.type ?? 'bind';
      if (target !== undefined && !target.startsWith('/') && !target.startsWith('$')) {
        // Tried with buildah 1.28.2: relative bind/cache/tmpfs targets fail the build; a relative
        // secret target is accepted and mounted under / (BuildKit resolves other mounts from WORKDIR).
        const effect = type === 'secret' ? 'so where it lands depends on the builder (buildah 1.28 mounts it under /)' : 'which buildah rejects';
        findings.push(finding('D16', 'error', mount.line, `the ${type} mount target \`${target}\` is relative, ${effect}: write it as an absolute path (e.g. \`/app/${target.replace(/^\.\//, '')}\`).`));
      }
      if (type === 'secret') {
        for (const option of Object.keys(mount.options).filter((o) => !BUILDAH_SECRET_OPTIONS.has(o))) missing(instruction, mount.line, `the secret mount option \`${option}=\``);
      }
    }
    const allowed = BUILDAH_FLAGS[instruction.keyword];
    if (allowed) {
      for (const f of instruction.flags.filter((x) => !allowed.includes(x.name))) {
        missing(instruction, f.line, `\`${instruction.keyword} --${f.name}${f.value !== null && instruction.keyword === 'RUN' ? `=${f.value}` : ''}\``);
      }
    }
    const chmod = instruction.flags.find((f) => f.name === 'chmod');
    if (chmod?.value && !/^[0-7]{3,4}$/.test(chmod.value)) missing(instruction, chmod.line, `\`--chmod=${chmod.value}\` (non-octal)`);
    // buildah 1.28 reads a here-document's body as instructions.
    for (const heredoc of instruction.heredocs) missing(instruction, heredoc.line, `the here-document \`<<${heredoc.name}\``);
    // buildah writes OCI images by default, which have no field for these (it warns and drops them).
    if (['HEALTHCHECK', 'ONBUILD', 'SHELL'].includes(instruction.keyword)) {
      findings.push(finding('D16', 'warning', instruction.line, `${instruction.keyword} is dropped by buildah's default OCI image format: rely on the platform's probes instead, or build with \`--format docker\`.`));
    }
  }
  return findings;
};

export const RULES: Record<RuleId, Rule> = { D1: d1, D2: d2, D3: d3, D4: d4, D5: d5, D6: d6, D7: d7, D8: d8, D9: d9, D10: d10, D11: d11, D12: d12, D13: d13, D14: d14, D15: d15, D16: d16 };
