import { ecosystemById, ecosystemOf, TOOL_CACHES } from '../../ecosystems/index.ts';
import { commandsIn, testStage, wordLine } from '../analysis.ts';
import { GATE_ORDER, gateOf, gofmtSubstitution, installsDevDependencies, runCommands, type GateKind } from '../commands.ts';
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

const TESTS = new Set(['test', '[', '[[']);
/** Go's flag package: `-l`, `--l`, `-l=true`; no combined letters. */
const GOFMT_LISTS = /^--?[ld](=true)?$/;
const GOFMT_WRITES = /^--?w(=true)?$/;
const EXAMPLE = 'e.g. `test -z "$(gofmt -l .)"`';

/**
 * How far (in commands) the parts of a gofmt gate are looked for around it: real gates keep them
 * together, and a bound keeps a RUN of thousands of commands linear.
 */
const NEAR = 8;

/** The branch from `from` up to its `else`/`elif`/`fi` fails the RUN (`exit 1`, `false`). */
function branchFails(commands: ShellCommand[], from: number): boolean {
  for (let i = from; i < Math.min(commands.length, from + NEAR); i++) {
    const c = commands[i]!;
    if (i > from && ['else', 'elif', 'fi'].includes(c.words[0]!)) return false;
    if (c.tool === 'false' || (c.tool === 'exit' && c.args[0] !== undefined && c.args[0] !== '0')) return true;
  }
  return false;
}

/** The command is an `if`/`elif` condition whose `then` branch fails the RUN. */
const thenFails = (commands: ShellCommand[], condition: number): boolean => ['if', 'elif'].includes(commands[condition]!.words[0]!) && branchFails(commands, condition + 1);

/** The command sits in a `then` branch that fails the RUN (`then gofmt -d .; exit 1; fi`: it only shows why). */
function inFailingThen(commands: ShellCommand[], index: number): boolean {
  for (let i = index; i >= Math.max(0, index - NEAR); i--) {
    const first = commands[i]!.words[0];
    if (first === 'then') return branchFails(commands, i);
    if (i < index && (first === 'fi' || first === 'else' || first === 'elif' || first === 'if')) return false;
  }
  return false;
}

/** A test that passes only on an empty listing: `-z X`, `X = ""`, `X -eq 0` (`$(gofmt -l . | wc -l)`). */
function passesOnEmpty(args: readonly string[]): boolean {
  if (args.includes('-z')) return true;
  const op = args.findIndex((a) => a === '=' || a === '==' || a === '-eq');
  return op > 0 && (args[op + 1] === '' || (args[op] === '-eq' && args[op + 1] === '0'));
}

/**
 * A gofmt format gate, judged: gofmt exits 0 whatever it lists, so an honest gate lists (`-l` or
 * `-d`, never `-w`) and fails when the listing is not empty, in any of the forms projects write:
 * `test -z "$(gofmt -l .)"` (or `[ … ]`, `| tee …` inside, `| wc -l` tested `-eq 0`),
 * `out=$(gofmt -l .)` then `test -z "$out"` or `if [ -n "$out" ]; then …; exit 1; fi`,
 * `gofmt -l . | tee … | (! read)`, `! gofmt -l . | grep .`, `gofmt -l . > F` then `test ! -s F`.
 * `problem`: why it cannot fail, or null. `status`: the commands whose failure must fail the RUN
 * (none for an `if` condition); `negated`: they end a `!` pipeline, which `set -e` does not stop at.
 */
function gofmtGate(commands: ShellCommand[], index: number): { problem: string | null; status: number[]; negated?: boolean } {
  const c = commands[index]!;
  if (c.tool === 'gofmt' && inFailingThen(commands, index)) return { problem: null, status: [] };
  const substituted = c.tool === 'gofmt' ? null : gofmtSubstitution(c);
  const args = substituted ?? c.args;
  const unlisted = (problem: string) => ({ problem, status: [index] });
  if (args.some((a) => GOFMT_WRITES.test(a))) return unlisted(`\`gofmt -w\` rewrites the files and exits 0, so the gate cannot fail: list them and fail on the listing, ${EXAMPLE}.`);
  if (!args.some((a) => GOFMT_LISTS.test(a))) return unlisted(`\`gofmt\` without \`-l\` (or \`-d\`) exits 0 whatever the formatting: list the unformatted files and fail on the listing, ${EXAMPLE}.`);
  const ignored = unlisted(`\`gofmt -l\` exits 0 even when it lists unformatted files: fail on its output, ${EXAMPLE}.`);

  if (substituted) {
    if (TESTS.has(c.tool)) {
      if (passesOnEmpty(c.args)) return { problem: null, status: [index] };
      if (c.args.includes('-n') && thenFails(commands, index)) return { problem: null, status: [] };
      return ignored;
    }
    // `out=$(gofmt -l .)`: a later test of `$out` decides (and the assignment's own status counts too).
    const name = c.words[c.words.length - 1]!.slice(0, c.words[c.words.length - 1]!.indexOf('='));
    const uses = (a: string) => a === `$${name}` || a === `\${${name}}`;
    for (let k = index + 1; k < Math.min(commands.length, index + NEAR); k++) {
      const o = commands[k]!;
      if (!TESTS.has(o.tool) || !o.args.some(uses)) continue;
      if (passesOnEmpty(o.args)) return { problem: null, status: [index, k] };
      if (o.args.includes('-n') && thenFails(commands, k)) return { problem: null, status: [index] };
    }
    return unlisted(`\`${name}=$(gofmt …)\` keeps the listing, and nothing fails on it: add \`test -z "$${name}"\`.`);
  }

  // `gofmt -l . > F` (or `>F`) followed by `test ! -s F`.
  const redirect = c.args.findIndex((a) => a.startsWith('>') && !a.startsWith('>&'));
  const file = redirect === -1 ? undefined : c.args[redirect] === '>' ? c.args[redirect + 1] : c.args[redirect]!.slice(1);
  if (file && commands.slice(index + 1, index + NEAR).some((o) => TESTS.has(o.tool) && o.args[0] === '!' && o.args[1] === '-s' && o.args[2] === file)) return { problem: null, status: [index] };

  // A pipe, through `tee`, into a command that fails on any line: `(! read)`, or `grep` in a `!` pipeline.
  if (c.next === '|') {
    let tail = index + 1;
    while (tail < commands.length - 1 && commands[tail]!.tool === 'tee' && commands[tail]!.next === '|') tail++;
    const last = commands[tail];
    if (last?.tool === 'read' && last.words[0] === '!') return { problem: null, status: [] };
    if (last?.tool === 'grep' && c.words[0] === '!') return { problem: null, status: [tail], negated: true };
  }
  return ignored;
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
        const gofmt = c.tool === 'gofmt' || gofmtSubstitution(c) ? gofmtGate(commands, index) : null;
        for (const status of gofmt ? gofmt.status : [index]) {
          const ignored = ignoresFailure(commands, status, errexit && !gofmt?.negated, pipefail);
          if (ignored) findings.push(finding('D7', 'error', at, `${ignored}: chain the gates with \`&&\` so any failure fails the build.`));
        }
        const end = ends[index]!;
        if (commands[end]!.next === '&' && !waited.has(end)) {
          waited.add(end);
          const unwaitedJob = unwaited(commands, end, errexit, pipefail);
          if (unwaitedJob) findings.push(finding('D7', 'error', at, `${unwaitedJob}: the RUN must fail when the job fails.`));
        }
        if (gofmt?.problem) findings.push(finding('D7', 'error', at, gofmt.problem));
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
