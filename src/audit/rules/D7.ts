import { ecosystemById, ecosystemOf, TOOL_CACHES } from '../../ecosystems/index.ts';
import { commandsIn, testStage, wordLine } from '../analysis.ts';
import { GATE_ORDER, gateOf, installsDevDependencies, runCommands, type GateKind } from '../commands.ts';
import { mounts } from '../dockerfile.ts';
import { finding, type Rule } from '../rule.ts';
import type { ShellCommand } from '../shell.ts';
import { inheritedInstructions } from '../stages.ts';
import type { Finding } from '../types.ts';

const GATE_NAMES: Record<string, GateKind> = { typecheck: 'typecheck', format: 'format', lint: 'lint', security: 'security', test: 'test', bdd: 'test' };
const SKIPS_TESTS = /^--suppress-no-test-exit-code$|^-DfailIfNoTests=false$|^-DskipTests|^-Dmaven\.test\.skip|^-Dsurefire\.failIfNoSpecifiedTests=false$|^-Dmaven\.test\.failure\.ignore(=true)?$|^-DtestFailureIgnore|^--fail-never$|^-fn$/;

/** Why a gate's failure would not fail the RUN, or null. `errexit`/`pipefail`: set earlier in the RUN. */
function ignoresFailure(commands: ShellCommand[], index: number, errexit: boolean, pipefail: boolean): string | null {
  const c = commands[index]!;
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

export const D7: Rule = {
  id: 'D7',
  title: 'the test stage runs every gate in one RUN, cheapest first, with caches',
  severity: 'error',
  profiles: ['generated'],
  rationale: 'Gates in one RUN share one layer and its cache mounts; cheapest first fails fast; a gate whose failure is ignored, or a test runner that passes with no tests, lets broken code through.',
  fix: 'In the test stage: install the dev dependencies from the same lock, then one `RUN --mount=type=cache,… typecheck && format && lint && security && tests`.',
  check(d, context) {
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
      const cached = commands.filter((c) => gateOf(c) && TOOL_CACHES[c.tool]);
      if (caches.length === 0 && cached.length > 0) {
        const targets = [...new Set(cached.map((c) => TOOL_CACHES[c.tool]!.target))].map((t) => `\`--mount=type=cache,target=${t}\``);
        findings.push(finding('D7', 'error', run.line, `the gate RUN has no cache mount for ${[...new Set(cached.map((c) => c.tool))].join(', ')}: add ${targets.join(' and ')} so unchanged code is not re-checked.`));
      } else {
        const targets = caches.map((m) => m.options.target ?? m.options.dst ?? m.options.destination ?? '');
        for (const tool of new Set(commands.map((c) => c.tool))) {
          const cache = TOOL_CACHES[tool];
          if (cache && !targets.some((t) => cache.pattern.test(t))) {
            findings.push(finding('D7', 'warning', run.line, `\`${tool}\` has no cache mount for its cache: add \`--mount=type=cache,target=${cache.target}\`.`));
          }
        }
      }
      const listsTests = commands.some((o) => o.tool === 'test' && o.args.some((a) => /\$\(\s*go test -list/.test(a)));
      let errexit = false;
      let pipefail = false;
      commands.forEach((c, index) => {
        if (c.tool === 'set') {
          errexit ||= c.args.some((a) => /^-[a-z]*e/.test(a) || a === 'errexit');
          pipefail ||= c.args.includes('pipefail');
        }
        if (!gateOf(c)) return;
        const at = wordLine(run, c, c.words[0]!);
        const ignored = ignoresFailure(commands, index, errexit, pipefail);
        if (ignored) findings.push(finding('D7', 'error', at, `${ignored}: chain the gates with \`&&\` so any failure fails the build.`));
        if (c.tool === 'gofmt' && c.args.some((a) => /^-[a-z]*[ld]/.test(a)) && !c.args.includes('-w') && !failsOnOutput(c, commands.slice(index + 1, index + 8))) {
          findings.push(finding('D7', 'error', at, '`gofmt -l` exits 0 even when it lists unformatted files: fail on its output, e.g. `test -z "$(gofmt -l .)"`.'));
        }
        if (c.tool === 'go' && c.args[0] === 'test' && !listsTests) {
          findings.push(finding('D7', 'warning', at, '`go test` passes when there is no test at all: add a check that fails then, e.g. `test -n "$(go test -list \'^Test\' ./... | grep \'^Test\')"`.'));
        }
        if (c.tool === 'bandit' && !c.args.some((a) => a === '-r' || a === '--recursive' || /^-[a-z]*r[a-z]*$/.test(a))) {
          findings.push(finding('D7', 'error', at, '`bandit` without `-r` scans only the files named (e.g. `./*.py` misses every package): use `bandit -r src`.'));
        }
        if (c.args.some((a) => SKIPS_TESTS.test(a))) {
          findings.push(finding('D7', 'error', run.line, `\`${c.tool}\` is told to pass when no test ran or to skip tests: remove that option so a misconfigured runner fails.`));
        }
      });
    }

    const manager = context.manager ? ecosystemById(context.manager) : undefined;
    if (manager) {
      const installs = commandsIn(inheritedInstructions(d, stage)).filter(({ command: c }) => installsDevDependencies(c) && ecosystemOf(c) === manager);
      if (installs.length === 0) {
        findings.push(finding('D7', 'error', stage.line, `the test stage does not install the dev dependencies from the ${manager.id} lock: install them there (e.g. \`${manager.examples.installDev}\`) before running the gates.`));
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
  },
};
