// Reading a generated Dockerfile against BuildKit's record of a build: which steps are dependency
// work that a source change must take from the cache (I5), and how long each gate of the one gate
// RUN took (a copy of the Dockerfile that announces each gate command before it runs).
import type { Vertex } from './docker.ts';

/** The stages of a Dockerfile in order, with the stage each is built FROM (when it is one). */
export function stages(dockerfile: string): { name: string; parent?: string }[] {
  const found: { name: string; parent?: string }[] = [];
  for (const match of dockerfile.matchAll(/^FROM\s+(\S+)(?:\s+AS\s+(\S+))?\s*$/gim)) {
    const base = match[1]!;
    found.push({ name: match[2] ?? `stage-${found.length}`, parent: found.some((stage) => stage.name === base) ? base : undefined });
  }
  return found;
}

/** A COPY of the service's source from the build context (src/, cmd/, internal/). */
const SOURCE_COPY = /^COPY (?!--from)(?:\S+\s+)*?(src|cmd|internal)\//;

/**
 * Steps that must come from the cache after a change to the source only, but ran: in each stage
 * not built FROM a stage that holds the source, every step before its first source COPY (or its
 * first COPY --from such a stage). FROM lines aside: they resolve, they do not build.
 */
export function dependencyRebuilds(dockerfile: string, steps: Vertex[]): Vertex[] {
  const withSource = new Set<string>();
  const rebuilt: Vertex[] = [];
  for (const stage of stages(dockerfile)) {
    const inStage = steps.filter((step) => step.stage === stage.name && step.instruction);
    const followsSource = (step: Vertex) => {
      const from = step.instruction!.match(/^COPY --from=(\S+)/)?.[1];
      return SOURCE_COPY.test(step.instruction!) || (from !== undefined && withSource.has(from));
    };
    const boundary = inStage.findIndex(followsSource);
    if (stage.parent && withSource.has(stage.parent)) {
      withSource.add(stage.name);
      continue;
    }
    if (boundary !== -1) withSource.add(stage.name);
    const before = boundary === -1 ? inStage : inStage.slice(0, boundary);
    rebuilt.push(...before.filter((step) => !step.cached && !/^FROM /.test(step.instruction!)));
  }
  return rebuilt;
}

/** Lines of each Dockerfile instruction (continuations joined to the line that starts it). */
function instructions(dockerfile: string): string[][] {
  const blocks: string[][] = [];
  let open = false;
  for (const line of dockerfile.split('\n')) {
    if (open) blocks[blocks.length - 1]!.push(line);
    else blocks.push([line]);
    open = /\\\s*$/.test(line) && !/^\s*#/.test(line);
  }
  return blocks;
}

/**
 * The Dockerfile with its gate RUN (the RUN that writes .gates-passed) announcing each command:
 * `echo e2e-gate-N && COMMAND`. Mounts and commands are unchanged, so every other layer is the same.
 * Labels name the commands in order; the last is the marker that closes the RUN. A background job
 * (`JOB & tests=$!;`, templates/shared/dockerfile/gate-run.ejs) is announced once, as it starts:
 * its time is the rest's, and `wait $tests` is how long the job outlasted them.
 */
export function instrumentGates(dockerfile: string): { dockerfile: string; labels: string[] } {
  const blocks = instructions(dockerfile);
  const at = blocks.findIndex((block) => /^RUN\s/.test(block[0]!) && block.join('\n').includes('/app/.gates-passed'));
  if (at === -1) throw new Error('no gate RUN (a RUN writing /app/.gates-passed) in the Dockerfile');
  const parts = blocks[at]!.map((line, i) => (i === 0 ? line.replace(/^RUN\s+/, '') : line).replace(/\\\s*$/, '').trim()).filter(Boolean);
  const mounts = parts.filter((part) => part.startsWith('--mount='));
  const body = parts.filter((p) => !p.startsWith('--mount='));
  const split = body.findIndex((part) => /\s&\s+[A-Za-z_]\w*=\$!;$/.test(part));
  const job = split === -1 ? null : body.slice(0, split + 1).join(' ');
  const commands: string[] = [];
  for (const part of body.slice(split + 1)) {
    if (part.startsWith('&& ') || commands.length === 0) commands.push(part.replace(/^&&\s+/, ''));
    else commands[commands.length - 1] += ` ${part}`;
  }
  const first = job ? 2 : 1;
  const announced = commands.map((command, i) => `echo e2e-gate-${i + first} && ${command}`);
  const script = [...(job ? [`echo e2e-gate-1 && ${job}`] : []), announced.join(' \\\n    && ')];
  const run = `RUN ${[...mounts, ...script].join(' \\\n    ')}`;
  blocks.splice(at, 1, run.split('\n'));
  const jobLabel = job && `${job.replace(/\s&\s+\w+=\$!;$/, '').split(/\s+&&\s+/).map((c) => c.split(/\s+/).slice(0, 2).join(' ')).join(' && ')} (background)`;
  const labels = [...(jobLabel ? [jobLabel] : []), ...commands.map(label)];
  return { dockerfile: blocks.map((block) => block.join('\n')).join('\n'), labels };
}

/** A gate command's name in the report: its first two words, and what a `$( )` inside runs. */
function label(command: string): string {
  if (/\.gates-passed/.test(command)) return 'marker';
  const inner = command.match(/\$\(\s*(\S+(?: [^\s|)]+){0,2})/)?.[1];
  return `${command.split(/\s+/).slice(0, 2).join(' ')}${inner ? ` $(${inner})` : ''}`;
}

export interface GateTime {
  label: string;
  seconds: number;
}

/**
 * Each gate's time from the instrumented RUN's output: from its announcement to the next one (the
 * last to the step's end), after `start`, the time before the first command ran (the container).
 */
export function gateTimes(steps: Vertex[], labels: string[]): GateTime[] {
  // An announcement ends its line, but a background job's output without a newline (pytest's
  // progress dots) may have begun that line: `....e2e-gate-3`.
  const announces = (text: string, n: number) => new RegExp(`(?:^|[^\\w-])e2e-gate-${n}$`).test(text);
  const step = steps.find((s) => s.log.some((line) => announces(line.text, 1)));
  if (!step || step.seconds === undefined) throw new Error('the instrumented gate RUN did not run (or did not finish)');
  const marks = labels.map((_, i) => step.log.find((line) => announces(line.text, i + 1))?.at);
  if (marks.some((mark) => mark === undefined)) throw new Error(`not every gate announced itself: ${marks.join(', ')}`);
  const at = marks as number[];
  return [
    { label: 'start', seconds: at[0]! },
    ...labels.map((label, i) => ({ label, seconds: (i + 1 < at.length ? at[i + 1]! : step.seconds!) - at[i]! })),
  ];
}
