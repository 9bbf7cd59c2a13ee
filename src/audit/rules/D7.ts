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

/** `|| false`, `|| exit 1`, `|| { wait $tests; exit 1; }`: a handler that fails the RUN anyway. */
function failsAnyway(commands: ShellCommand[], at: number): boolean {
  const fails = (c: ShellCommand | undefined) => c !== undefined && (c.tool === 'false' || (c.tool === 'exit' && c.args[0] !== undefined && c.args[0] !== '0'));
  if (commands[at]?.words[0] !== '{') return fails(commands[at]);
  for (let i = at; i < commands.length; i++) {
    if (fails(commands[i])) return true;
    if (commands[i]!.words.includes('}') || commands[i]!.next === '') return false;
  }
  return false;
}

/** Why a gate's failure would not fail the RUN, or null. `errexit`/`pipefail`: set earlier in the RUN. `&` is a job's (see unwaited). */
function ignoresFailure(commands: ShellCommand[], index: number, errexit: boolean, pipefail: boolean): string | null {
  const c = commands[index]!;
  if (c.next === '||') {
    return failsAnyway(commands, index + 1) ? null : `\`${c.tool} … || ${commands[index + 1]?.words.join(' ') ?? ''}\` ignores its failure`;
  }
  if ((c.next === ';' || c.next === '\n') && !errexit && index < commands.length - 1) return `\`${c.tool} …;\` lets the next command decide the RUN's exit status`;
  if (c.next === '|' && !pipefail) return `\`${c.tool} … |\` hides its exit status behind the pipe`;
  return null;
}

/** For each command, the index of the last command of its and-or list (`a && b || c`, pipes too). */
function listEnds(commands: ShellCommand[]): number[] {
  const ends: number[] = new Array<number>(commands.length);
  for (let i = commands.length - 1; i >= 0; i--) {
    ends[i] = i < commands.length - 1 && ['&&', '||', '|'].includes(commands[i]!.next) ? ends[i + 1]! : i;
  }
  return ends;
}

/** The and-or lists run in the background (ended by `&`), as [start, end] index pairs: they run beside what follows. */
function backgroundLists(commands: ShellCommand[], ends: number[]): Array<[number, number]> {
  const lists: Array<[number, number]> = [];
  for (let start = 0; start < commands.length; start = ends[start]! + 1) {
    if (commands[ends[start]!]!.next === '&') lists.push([start, ends[start]!]);
  }
  return lists;
}

/** The process id a background job's list (ending at `end`) is kept in (`tests=$!`), and the first `wait` on it. */
function waitFor(commands: ShellCommand[], end: number): { pid: string; c: ShellCommand; at: number } | null {
  const pid = /^([A-Za-z_][A-Za-z0-9_]*)=\$!$/.exec(commands[end + 1]?.words[0] ?? '')?.[1];
  if (!pid) return null;
  const at = commands.findIndex((c, i) => i > end + 1 && c.tool === 'wait' && c.args.some((a) => a === `$${pid}` || a === `\${${pid}}`));
  return at === -1 ? null : { pid, c: commands[at]!, at };
}

/**
 * Why a background job of gates (its list ends with `&` at `end`) cannot fail the RUN, or null:
 * its process id must be kept (`tests=$!`) and a later `wait $tests` must fail the RUN when the
 * job failed (a bare `wait` exits 0 whatever its jobs did).
 */
function unwaited(commands: ShellCommand[], end: number, errexit: boolean, pipefail: boolean): string | null {
  const job = `\`${commands[end]!.tool} … &\``;
  const pid = /^([A-Za-z_][A-Za-z0-9_]*)=\$!$/.exec(commands[end + 1]?.words[0] ?? '')?.[1];
  if (!pid) return `${job} runs in the background, and no \`tests=$!\` keeps its process id for a \`wait\``;
  const wait = waitFor(commands, end);
  if (!wait) {
    const bare = commands.some((c, i) => i > end + 1 && c.tool === 'wait' && c.args.length === 0);
    return `${job} runs in the background, and ${bare ? 'a bare `wait` exits 0 whatever it did:' : 'nothing returns its status:'} add \`wait $${pid}\` before the marker`;
  }
  const ignored = ignoresFailure(commands, wait.at, errexit, pipefail);
  return ignored ? `${ignored} (the status of ${job})` : null;
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
  fix: 'In the test stage: install the dev dependencies from the same lock, then one `RUN --mount=type=cache,… typecheck && format && lint && security && tests` (or the tests as one background job beside the rest: `tests & tests=$!; typecheck && … && wait $tests && echo … > marker`).',
  check(d, context) {
    const stage = testStage(d);
    if (!stage) return [finding('D7', 'error', undefined, 'no test stage runs the quality gates: add `FROM builder AS test` with one RUN that type-checks, formats, lints, scans and tests.')];
    const findings: Finding[] = [];
    const runs = stage.instructions.filter((i) => runCommands(i).some((c) => gateOf(c) !== null));
    if (runs.length === 0) return [finding('D7', 'error', stage.line, `the test stage \`${stage.name ?? stage.index}\` runs no quality gate: add one RUN with the type check, format, lint, security and test commands.`)];
    if (runs.length > 1) {
      findings.push(finding('D7', 'error', runs[1]!.line, `the gates run in ${runs.length} RUNs (lines ${runs.map((r) => r.line).join(', ')}): chain them with \`&&\` in one RUN so they share one layer and one cache.`));
    }

    // Order: cheapest first, across the gate RUNs in file order. A background job (the tests,
    // started beside the cheaper gates) is ordered within itself, and its last gate counts where
    // its `wait` is: what runs after that wait runs after the job.
    const perRun = runs.map((run) => runCommands(run).map((c) => ({ c, gate: gateOf(c), run })));
    const sequence = perRun.flat();
    const inOrder: Array<Array<(typeof sequence)[number]>> = [[]];
    for (const [i, run] of runs.entries()) {
      const commands = runCommands(run);
      const entries = perRun[i]!;
      const closes = new Map<ShellCommand, (typeof sequence)[number]>();
      const background = new Set<ShellCommand>();
      for (const [start, end] of backgroundLists(commands, listEnds(commands))) {
        const job = entries.slice(start, end + 1);
        job.forEach((s) => background.add(s.c));
        inOrder.push(job);
        const wait = waitFor(commands, end);
        const last = job.filter((s) => s.gate).pop();
        if (wait && last) closes.set(wait.c, last);
      }
      for (const entry of entries) {
        if (!background.has(entry.c)) inOrder[0]!.push(closes.get(entry.c) ?? entry);
      }
    }
    for (const job of inOrder) {
      let highest: { gate: GateKind; tool: string } | null = null;
      for (const { c, gate, run } of job) {
        if (!gate) continue;
        if (highest && GATE_ORDER.indexOf(gate) < GATE_ORDER.indexOf(highest.gate)) {
          findings.push(finding('D7', 'error', wordLine(run, c, c.words.find((w) => w.endsWith(c.tool)) ?? c.tool), `\`${c.tool}\` (${gate}) runs after \`${highest.tool}\` (${highest.gate}): order the gates cheapest first, type check, format, lint, security, tests.`));
        } else highest = { gate, tool: c.tool };
      }
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
      const waited = new Set<number>();
      const ends = listEnds(commands);
      let gateSeen = false;
      commands.forEach((c, index) => {
        if (c.tool === 'set') {
          errexit ||= c.args.some((a) => /^-[a-z]*e/.test(a) || a === 'errexit');
          pipefail ||= c.args.includes('pipefail');
        }
        if (!gateOf(c)) {
          // `… && echo ok > /app/.gates-passed || true` swallows the gates before it too.
          const swallowed = gateSeen && c.next === '||' && ignoresFailure(commands, index, errexit, pipefail);
          if (swallowed) findings.push(finding('D7', 'error', wordLine(run, c, c.words[0]!), `${swallowed}, and with it every gate before it: fail the RUN there, e.g. \`|| exit 1\`.`));
          return;
        }
        gateSeen = true;
        const at = wordLine(run, c, c.words[0]!);
        const ignored = ignoresFailure(commands, index, errexit, pipefail);
        if (ignored) findings.push(finding('D7', 'error', at, `${ignored}: chain the gates with \`&&\` so any failure fails the build.`));
        const end = ends[index]!;
        if (commands[end]!.next === '&' && !waited.has(end)) {
          waited.add(end);
          const unwaitedJob = unwaited(commands, end, errexit, pipefail);
          if (unwaitedJob) findings.push(finding('D7', 'error', at, `${unwaitedJob}: the RUN must fail when the job fails.`));
        }
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
