/**
 * Questions several rules ask of a parsed Dockerfile, each answered once per file or stage so no
 * rule rescans a stage for every command (issue 9: 32,000 RUN lines must stay linear).
 */
import { ecosystemOf, wrapperCommands, type Cmd, type Ecosystem } from '../ecosystems/index.ts';
import { copyPaths, classifySource, gateOf, installsDependencies, isTestCommand, runCommands } from './commands.ts';
import { flag, keyValues, mounts, type Dockerfile, type Instruction, type Stage } from './dockerfile.ts';
import { parseImageRef } from './image-ref.ts';
import type { ShellCommand } from './shell.ts';
import { baseImage, inheritedInstructions, isStageRef, lineage, parentStage } from './stages.ts';

/** The line of an instruction on which `needle` first appears, here-document bodies included (its first line otherwise). */
export function lineOf(instruction: Instruction, needle: string): number {
  const at = instruction.args.indexOf(needle);
  if (at !== -1) return instruction.lineAt(at);
  let start = instruction.args.length + 1;
  for (const heredoc of instruction.heredocs) {
    const found = heredoc.body.indexOf(needle);
    if (found !== -1) return instruction.lineAt(start + found);
    start += heredoc.body.length + 1;
  }
  return instruction.line;
}

/** The line of `word` in a RUN's command (the RUN's first line when unknown). */
export function wordLine(instruction: Instruction, command: ShellCommand, word: string): number {
  const offset = command.offsets[command.words.lastIndexOf(word)] ?? -1;
  return offset < 0 ? instruction.line : instruction.lineAt(offset);
}

/** The line of a command's first word. */
export const commandLine = (instruction: Instruction, command: ShellCommand): number => wordLine(instruction, command, command.words[0]!);

export const finalStage = (d: Dockerfile): Stage | undefined => d.stages[d.stages.length - 1];

/** Every instruction, with the ones inside ONBUILD after them (rules on content check those too). */
export function allInstructions(d: Dockerfile): Instruction[] {
  return d.triggers.length === 0 ? d.instructions : [...d.instructions, ...d.triggers];
}

export interface LocatedCommand {
  command: ShellCommand;
  instruction: Instruction;
}

export function commandsIn(instructions: readonly Instruction[]): LocatedCommand[] {
  const out: LocatedCommand[] = [];
  for (const instruction of instructions) for (const command of runCommands(instruction)) out.push({ command, instruction });
  return out;
}

const testStages = new WeakMap<Dockerfile, Stage | null>();

/** The stage that runs the gates: the one named `test`, else the first that runs tests or gates. */
export function testStage(d: Dockerfile): Stage | undefined {
  if (!testStages.has(d)) {
    const gates = d.stages.map((s) => commandsIn(s.instructions).map((c) => gateOf(c.command)));
    const found = d.stages.find((s) => s.name === 'test') ?? d.stages.find((s) => gates[s.index]!.includes('test')) ?? d.stages.find((s) => gates[s.index]!.some((g) => g !== null));
    testStages.set(d, found ?? null);
  }
  return testStages.get(d) ?? undefined;
}

/** Stages that run tests (D8: the runtime stage must depend on every one of them). */
export function gateStages(d: Dockerfile): Stage[] {
  return d.stages.filter((s) => s.name === 'test' || commandsIn(s.instructions).some((c) => isTestCommand(c.command)));
}

/** A COPY/ADD from the build context (not another stage, not a here-document). */
export function contextCopy(instruction: Instruction): boolean {
  return (instruction.keyword === 'COPY' || instruction.keyword === 'ADD') && !flag(instruction, 'from') && instruction.heredocs.length === 0;
}

export function copyKinds(instruction: Instruction): Set<string> {
  return new Set(copyPaths(instruction).sources.map(classifySource));
}

export function bindsDependencyFiles(instruction: Instruction): boolean {
  return mounts(instruction).some((m) => (m.options.type ?? 'bind') === 'bind' && !m.options.from && classifySource(m.options.source ?? m.options.src ?? '') === 'dependencies');
}

/**
 * What is known at each point of a stage, carried from the stage it is built on: the ENV values
 * set so far, whether source or dependency files were copied, which lock checks ran. One forward
 * pass per stage; a child stage starts from its parent's end state.
 */
export interface StageState {
  env: Map<string, string>;
  /** First COPY of source from the context (line), or null. */
  sourceCopied: number | null;
  dependenciesCopied: boolean;
  /** Managers whose dependencies were installed without the project (first step of two). */
  installedWithoutProject: Set<string>;
  /** Managers whose lock a separate command verified (`poetry check --lock`). */
  verified: Set<string>;
}

const endStates = new WeakMap<Stage, StageState>();

function cloneState(state: StageState): StageState {
  return {
    env: new Map(state.env),
    sourceCopied: state.sourceCopied,
    dependenciesCopied: state.dependenciesCopied,
    installedWithoutProject: new Set(state.installedWithoutProject),
    verified: new Set(state.verified),
  };
}

const emptyState = (): StageState => ({ env: new Map(), sourceCopied: null, dependenciesCopied: false, installedWithoutProject: new Set(), verified: new Set() });

export interface CommandVisit extends LocatedCommand {
  /** The state just before this command (ENV, copies, earlier commands of the stage and its parents). */
  state: StageState;
  /** The manager the command belongs to, if any. */
  ecosystem: Ecosystem | undefined;
  /** Wrapper commands (`uv run --locked`) as commands of their manager. */
  wrappers: Cmd[];
}

/**
 * Walk a stage's instructions in order with the state before each one; `visit` sees every command
 * of every RUN. The stage's end state is kept for the stages built on it.
 */
export function walkStage(d: Dockerfile, stage: Stage, visit: (v: CommandVisit) => void): void {
  const parent = parentStage(d, stage);
  const state = parent && parent.index < stage.index ? cloneState(endState(d, parent)) : emptyState();
  for (const instruction of stage.instructions) advance(instruction, state, visit);
}

function endState(d: Dockerfile, stage: Stage): StageState {
  let state = endStates.get(stage);
  if (!state) {
    const parent = parentStage(d, stage);
    state = parent && parent.index < stage.index ? cloneState(endState(d, parent)) : emptyState();
    for (const instruction of stage.instructions) advance(instruction, state);
    endStates.set(stage, state);
  }
  return state;
}

const NO_COMMANDS: Cmd[] = [];

function advance(instruction: Instruction, state: StageState, visit?: (v: CommandVisit) => void): void {
  if (instruction.keyword === 'ENV') {
    for (const kv of keyValues(instruction)) if (kv.value !== null) state.env.set(kv.key, kv.value);
  }
  if ((instruction.keyword === 'COPY' || instruction.keyword === 'ADD') && contextCopy(instruction)) {
    const kinds = copyKinds(instruction);
    if (kinds.has('source') && state.sourceCopied === null) state.sourceCopied = instruction.line;
    if (kinds.has('dependencies')) state.dependenciesCopied = true;
  }
  const bound = instruction.flags.length > 0 && bindsDependencyFiles(instruction);
  for (const command of runCommands(instruction)) {
    const ecosystem = ecosystemOf(command);
    visit?.({ command, instruction, state, ecosystem, wrappers: command.wrappers.length ? wrapperCommands(command) : NO_COMMANDS });
    if (!ecosystem) continue;
    if (ecosystem.verifiesLock?.(command)) state.verified.add(ecosystem.id);
    if (ecosystem.installs(command) && ecosystem.skipsProject?.(command) && (state.sourceCopied === null || bound)) state.installedWithoutProject.add(ecosystem.id);
  }
  if (bound) state.dependenciesCopied ||= runCommands(instruction).some(installsDependencies);
}

/** A Windows image: a Windows base, the backtick escape, or a PowerShell/cmd SHELL. */
export function isWindows(d: Dockerfile): boolean {
  const stage = finalStage(d);
  if (!stage) return false;
  const base = baseImage(d, stage).toLowerCase();
  if (/(^|\/)(windows|nanoserver|servercore|windowsservercore)([/:-]|$)|mcr\.microsoft\.com\/windows|:[^/]*(nanoserver|windowsservercore|ltsc20\d\d)/.test(base)) return true;
  if (d.escape === '`') return true;
  return lineage(d, stage).some((s) => s.instructions.some((i) => i.keyword === 'SHELL' && /powershell|pwsh|cmd(\.exe)?["\s]/i.test(i.args)));
}

/** The base's own default user is non-root (distroless `:nonroot`, Chainguard images). */
export function baseRunsAsNonRoot(reference: string): boolean {
  const { name, tag } = parseImageRef(reference.toLowerCase());
  if (/nonroot/.test(tag ?? '')) return true;
  return /(^|\/)cgr\.dev\/chainguard\//.test(name) && !/-dev$|^latest-dev/.test(tag ?? '');
}

/** The user a stage ends with: its last USER (inherited from the stages it builds on), or none. */
export function lastUser(d: Dockerfile, stage: Stage): Instruction | undefined {
  const inherited = inheritedInstructions(d, stage);
  for (let i = inherited.length - 1; i >= 0; i--) if (inherited[i]!.keyword === 'USER') return inherited[i];
  return undefined;
}

/**
 * The stage would run its process as root without saying so: no USER, a base that does not set a
 * non-root user, and a process to run. A scratch stage with no CMD or ENTRYPOINT only exports
 * files (`--output`): no process runs as anyone (B109 and D10 both ask).
 */
export function runsAsRootByDefault(d: Dockerfile, stage: Stage): boolean {
  if (lastUser(d, stage)) return false;
  const base = baseImage(d, stage);
  const runsNothing = !inheritedInstructions(d, stage).some((i) => i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT') && (base.toLowerCase() === 'scratch' || isStageRef(d, base, stage.index));
  return !runsNothing && !baseRunsAsNonRoot(base);
}

/** What each install or lock command of the file does with its manager's lock, in file order. */
export interface LockEvent {
  ecosystem: Ecosystem;
  instruction: Instruction;
  command: ShellCommand;
  line: number;
  /** `relock`: resolves anew during the build (`why` says how); else the install's LockUse. */
  kind: 'relock' | 'enforced' | 'weak' | 'unenforced';
  why: string;
}

/** An install of dependencies placed where it defeats the layer cache, or has nothing to read. */
export interface LateInstall {
  instruction: Instruction;
  command: ShellCommand;
  line: number;
  /** Line of the first source COPY before it, or null when no dependency file came before it at all. */
  afterSource: number | null;
}

/** Installs after the source was copied (not the second step of a two-step install), or before any manifest. */
export const lateInstalls = (d: Dockerfile): LateInstall[] => walkFacts(d).lateInstalls;

/** Lock events of every stage (shared by D6 and B203: one walk, one set of facts). */
export const lockEvents = (d: Dockerfile): LockEvent[] => walkFacts(d).lockEvents;

interface WalkFacts {
  lockEvents: LockEvent[];
  lateInstalls: LateInstall[];
}

const walkFactsOf = new WeakMap<Dockerfile, WalkFacts>();

/** The facts several rules share, from one walk of every stage (a walk of a 5 MB file is not free). */
function walkFacts(d: Dockerfile): WalkFacts {
  let facts = walkFactsOf.get(d);
  if (facts) return facts;
  const events: LockEvent[] = [];
  const late: LateInstall[] = [];
  for (const stage of d.stages) {
    walkStage(d, stage, ({ command, instruction, state, ecosystem, wrappers }) => {
      // Lock events: what each install or lock command does with its manager's lock.
      if (ecosystem || wrappers.length > 0) {
        const line = commandLine(instruction, command);
        const relock = ecosystem?.locksAnew(command);
        if (relock) events.push({ ecosystem: ecosystem!, instruction, command, line, kind: 'relock', why: relock });
        else {
          const uses = [...(ecosystem ? [{ e: ecosystem, c: command }] : []), ...wrappers.map((w) => ({ e: ecosystemOf(w)!, c: w }))];
          for (const { e, c } of uses) {
            const lock = e.lockUse(c, state.env, state.verified.has(e.id));
            if (lock) events.push({ ecosystem: e, instruction, command, line, kind: lock.kind, why: lock.kind === 'enforced' ? '' : lock.why });
          }
        }
      }
      // Late installs.
      if (!installsDependencies(command)) return;
      const line = commandLine(instruction, command);
      if (state.sourceCopied !== null) {
        // The two-step install: dependencies first (a cached layer), the project after the source.
        if (!(ecosystem && state.installedWithoutProject.has(ecosystem.id))) late.push({ instruction, command, line, afterSource: state.sourceCopied });
      } else if (!state.dependenciesCopied && !bindsDependencyFiles(instruction)) late.push({ instruction, command, line, afterSource: null });
    });
  }
  // ONBUILD triggers run in a stage we cannot see: judged on their own, with no ENV known.
  for (const instruction of d.triggers) {
    advance(instruction, emptyState(), ({ command, ecosystem }) => {
      const lock = ecosystem?.lockUse(command, new Map(), false);
      if (lock && lock.kind !== 'enforced') events.push({ ecosystem: ecosystem!, instruction, command, line: instruction.line, kind: lock.kind, why: lock.why });
    });
  }
  facts = { lockEvents: events, lateInstalls: late };
  walkFactsOf.set(d, facts);
  return facts;
}
