/**
 * A small Dockerfile parser with no dependencies (it ships inside the bundle). It follows the
 * BuildKit frontend's reading rules: parser directives only at the top, `# escape=`, line
 * continuations that skip comment and blank lines, flags before the arguments, exec (JSON) form,
 * stages, and here-documents. Line numbers are 1-based. The tests cross-check it against
 * dockerfile-ast on every fixture and every generated Dockerfile.
 */

export interface Directive {
  name: string;
  value: string;
  line: number;
}

export interface Comment {
  text: string;
  line: number;
}

/** `--name=value`; `options` holds the key/values of a value like `type=cache,target=/x`. */
export interface Flag {
  name: string;
  value: string | null;
  options: Record<string, string>;
  line: number;
}

export interface Heredoc {
  name: string;
  /** `<<-`: leading tabs are stripped from the body and the delimiter. */
  stripTabs: boolean;
  /** `<<"EOF"`: no expansion in the body. */
  quoted: boolean;
  line: number;
  /** Line of the body's first line. */
  bodyLine: number;
  /** Line of the closing delimiter, or null when the file ends first. */
  endLine: number | null;
  body: string;
}

export interface Instruction {
  /** Upper-case keyword, e.g. `RUN`. */
  keyword: string;
  line: number;
  endLine: number;
  flags: Flag[];
  /** The argument text after the flags, continuations joined (first line only of a heredoc). */
  args: string;
  /** Exec form (`["a", "b"]`), or null for shell form. */
  json: string[] | null;
  /** The arguments as words, quotes removed (Dockerfile quoting, not shell expansion). */
  words: string[];
  heredocs: Heredoc[];
  /** Index of the stage it belongs to; -1 for ARGs before the first FROM. */
  stage: number;
  /** For `ONBUILD <instruction>`: the instruction it registers (run in builds FROM this image). */
  trigger?: Instruction;
  /** True for the instruction inside an ONBUILD. */
  onbuild?: boolean;
  /**
   * Line on which the character at `offset` of `args` sits. Offsets past the end of `args` run on
   * into the here-document bodies, each after one separator: `args`, `\n`, body 1, `\n`, body 2…
   */
  lineAt(offset: number): number;
}

export interface Stage {
  index: number;
  /** Lower-cased `AS` name (stage names are case-insensitive), or null. */
  name: string | null;
  /** The base as written (`python:3.13-slim`, a stage name, `scratch`, `${BASE}`). */
  base: string;
  line: number;
  from: Instruction;
  instructions: Instruction[];
}

export interface Dockerfile {
  directives: Directive[];
  escape: string;
  comments: Comment[];
  instructions: Instruction[];
  stages: Stage[];
  /** ARG instructions before the first FROM (usable in FROM lines). */
  globalArgs: Instruction[];
  /** The instructions inside ONBUILD, in file order (not part of any stage's build). */
  triggers: Instruction[];
}

const DIRECTIVE = /^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$/;
const KNOWN_DIRECTIVES = new Set(['syntax', 'escape', 'check']);
const KEYWORDS = new Map(['FROM', 'RUN', 'CMD', 'LABEL', 'MAINTAINER', 'EXPOSE', 'ENV', 'ADD', 'COPY', 'ENTRYPOINT', 'VOLUME', 'USER', 'WORKDIR', 'ARG', 'ONBUILD', 'STOPSIGNAL', 'HEALTHCHECK', 'SHELL'].map((k) => [k, k]));
const FLAGGED = new Set(['FROM', 'RUN', 'COPY', 'ADD', 'HEALTHCHECK']);
const EXEC_FORM = new Set(['RUN', 'CMD', 'ENTRYPOINT', 'COPY', 'ADD', 'SHELL', 'VOLUME']);
const HEREDOC_CAPABLE = new Set(['RUN', 'COPY', 'ADD']);
const HEREDOC_WORD = /^\d*<<(-?)(["']?)([A-Za-z_][A-Za-z0-9_.-]*)\2$/;

const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v';

/** A word of an instruction's arguments with its offset in the joined text. */
export interface Word {
  value: string;
  raw: string;
  offset: number;
}

/**
 * Split Dockerfile argument text into words. Quotes group and are removed; the escape character
 * escapes the next character (as BuildKit's word splitter does for COPY, ENV, LABEL, …).
 */
export function splitWords(text: string, escape = '\\'): Word[] {
  const words: Word[] = [];
  for (let word = nextWord(text, 0, escape); word; word = nextWord(text, word.end, escape)) words.push({ value: word.value, raw: word.raw, offset: word.offset });
  return words;
}

/** The word that starts at or after `from` (blanks skipped), with where it ends; null at the end. */
function nextWord(text: string, from: number, escape: string): (Word & { end: number }) | null {
  let i = from;
  while (i < text.length && isSpace(text[i]!)) i++;
  if (i >= text.length) return null;
  const start = i;
  let value = '';
  let quote: string | null = null;
  while (i < text.length) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = null;
      else if (c === escape && quote === '"' && i + 1 < text.length) value += text[++i];
      else value += c;
    } else if (isSpace(c)) break;
    else if (c === '"' || c === "'") quote = c;
    else if (c === escape && i + 1 < text.length) value += text[++i];
    else {
      // A run of plain characters at once (one slice, not one string per character).
      let j = i + 1;
      while (j < text.length && !isSpace(text[j]!) && text[j] !== '"' && text[j] !== "'" && text[j] !== escape) j++;
      value += text.slice(i, j);
      i = j;
      continue;
    }
    i++;
  }
  return { value, raw: text.slice(start, i), offset: start, end: i };
}

/** `a=1,b="x,y",c` -> {a: '1', b: 'x,y', c: ''}. Keys are lower-cased (BuildKit is case-insensitive). */
export function parseOptions(value: string): Record<string, string> {
  const options: Record<string, string> = {};
  let field = '';
  let quote: string | null = null;
  const fields: string[] = [];
  for (const c of value) {
    if (quote) {
      if (c === quote) quote = null;
      else field += c;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else field += c;
  }
  fields.push(field);
  for (const f of fields) {
    if (f === '') continue;
    const eq = f.indexOf('=');
    if (eq === -1) options[f.toLowerCase()] = '';
    else options[f.slice(0, eq).toLowerCase()] = f.slice(eq + 1);
  }
  return options;
}

function parseJson(args: string): string[] | null {
  if (!args.startsWith('[')) return null;
  try {
    const parsed: unknown = JSON.parse(args);
    if (Array.isArray(parsed) && parsed.every((item) => typeof item === 'string')) return parsed as string[];
  } catch {
    // Not JSON: Docker falls back to shell form.
  }
  return null;
}

/** Where a line's continuing escape character sits (only blanks after it), or -1: no string made. */
function continuationAt(line: string, escape: string): number {
  let end = line.length;
  while (end > 0 && isBlankCode(line.charCodeAt(end - 1))) end--;
  return end > 0 && line.charCodeAt(end - 1) === escape.charCodeAt(0) ? end - 1 : -1;
}

/**
 * The text's lines without a string per line: where each starts, sliced only when asked (a 5 MB
 * file has 200,000 lines, most of them read only to find an instruction's end). Line `i` ends at
 * the next `\n`, a `\r` before it dropped (as splitting on /\r?\n/ does).
 */
class Lines {
  readonly count: number;
  readonly #starts: Int32Array;
  constructor(readonly text: string) {
    let count = 1;
    for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) count++;
    const starts = new Int32Array(count + 1);
    let line = 1;
    for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) starts[line++] = at + 1;
    starts[count] = text.length + 1;
    this.count = count;
    this.#starts = starts;
  }
  start(i: number): number {
    return this.#starts[i]!;
  }
  end(i: number): number {
    const end = this.#starts[i + 1]! - 1;
    return end > this.#starts[i]! && this.text.charCodeAt(end - 1) === 13 && end < this.text.length ? end - 1 : end;
  }
  at(i: number): string {
    return this.text.slice(this.start(i), this.end(i));
  }
  /** Offset of the line's first non-blank character (as String#trim sees blanks), or its end. */
  firstNonBlank(i: number): number {
    const end = this.end(i);
    let at = this.start(i);
    while (at < end && isBlankCode(this.text.charCodeAt(at))) at++;
    return at;
  }
  /** Blank or a comment line (what a continuation skips). */
  skippable(i: number): boolean {
    const first = this.firstNonBlank(i);
    return first === this.end(i) || this.text.charCodeAt(first) === 35; // '#'
  }
  /** The text of a comment line after its `#`, trimmed. */
  commentText(i: number): string {
    return this.text.slice(this.firstNonBlank(i) + 1, this.end(i)).trim();
  }
}

/** The characters String#trim removes (so a line is judged blank exactly as trim would). */
function isBlankCode(code: number): boolean {
  if (code < 128) return code === 32 || (code >= 9 && code <= 13);
  return /\s/.test(String.fromCharCode(code));
}

function readDirectives(lines: Lines): { directives: Directive[]; next: number } {
  const directives: Directive[] = [];
  const seen = new Set<string>();
  let next = 0;
  for (; next < lines.count; next++) {
    const match = DIRECTIVE.exec(lines.at(next));
    if (!match) break;
    const name = match[1]!.toLowerCase();
    // An unknown or repeated directive is a comment, and ends the directive block.
    if (!KNOWN_DIRECTIVES.has(name) || seen.has(name)) break;
    seen.add(name);
    directives.push({ name, value: match[2]!, line: next + 1 });
  }
  return { directives, next };
}

/**
 * Where each physical line of a continued instruction starts in its joined text, as a flat list of
 * pairs: offset, line, offset, line… (sorted by offset). Null for the usual one-line instruction.
 */
type Segments = number[] | null;

/** The line holding `offset` of an instruction's joined text (a binary search over the pairs). */
function lineFromSegments(segments: Segments, firstLine: number, offset: number): number {
  if (segments === null) return firstLine;
  let low = 0;
  let high = (segments.length >> 1) - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (segments[2 * mid]! <= offset) low = mid;
    else high = mid - 1;
  }
  return segments[2 * low + 1]!;
}

const NO_FLAGS: Flag[] = Object.freeze([]) as unknown as Flag[];
const NO_HEREDOCS: Heredoc[] = Object.freeze([]) as unknown as Heredoc[];

/**
 * An instruction as parsed; `words` are split only when a rule asks (RUN lines rarely need them).
 * Lines are found from the joined text's segments when asked, so a 5 MB file holds no closure per
 * instruction (issue 12: allocation was most of the time).
 */
class ParsedInstruction implements Instruction {
  line: number;
  endLine: number;
  heredocs: Heredoc[] = NO_HEREDOCS;
  stage = -1;
  trigger?: Instruction;
  onbuild?: boolean;
  #words: string[] | undefined;
  constructor(
    readonly keyword: string,
    readonly flags: Flag[],
    readonly args: string,
    readonly json: string[] | null,
    /** Offset of `args` in the joined text the segments describe. */
    private readonly argsAt: number,
    private readonly segments: Segments,
    private readonly escape: string,
    line: number,
  ) {
    this.line = line;
    this.endLine = line;
  }
  get words(): string[] {
    return (this.#words ??= splitWords(this.args, this.escape).map((w) => w.value));
  }
  lineAt(offset: number): number {
    if (offset <= this.args.length || this.heredocs.length === 0) return lineFromSegments(this.segments, this.line, offset + this.argsAt);
    let start = this.args.length + 1;
    for (const heredoc of this.heredocs) {
      if (offset <= start + heredoc.body.length) return heredoc.bodyLine + newlinesBefore(heredoc, offset - start);
      start += heredoc.body.length + 1;
    }
    return this.endLine;
  }
}

const newlineOffsets = new WeakMap<Heredoc, number[]>();

/** How many newlines a body holds before `offset` (a binary search over offsets found once per body). */
function newlinesBefore(heredoc: Heredoc, offset: number): number {
  let offsets = newlineOffsets.get(heredoc);
  if (!offsets) {
    offsets = [];
    for (let i = heredoc.body.indexOf('\n'); i !== -1; i = heredoc.body.indexOf('\n', i + 1)) offsets.push(i);
    newlineOffsets.set(heredoc, offsets);
  }
  let low = 0;
  let high = offsets.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (offsets[mid]! < offset) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * Keyword, flags (only where Docker accepts them) and arguments of one logical line, which starts
 * at `at` of the joined text the segments describe (an ONBUILD's instruction starts inside it).
 * Null when the line holds no keyword.
 */
function readInstruction(logical: string, at: number, segments: Segments, firstLine: number, escape: string) {
  // The first word is the keyword (blanks as /\s/ sees them), read without a pattern.
  let start = 0;
  while (start < logical.length && isBlankCode(logical.charCodeAt(start))) start++;
  if (start === logical.length) return null;
  let end = start + 1;
  while (end < logical.length && !isBlankCode(logical.charCodeAt(end))) end++;
  let argsStart = end;
  while (argsStart < logical.length && isBlankCode(logical.charCodeAt(argsStart))) argsStart++;
  const written = logical.slice(start, end).toUpperCase();
  // The known keywords as one shared string each (76,000 copies of `RUN`, `COPY`… in a 5 MB file).
  const keyword = KEYWORDS.get(written) ?? written;
  const restText = logical.slice(argsStart);
  const restAt = at + argsStart;
  let flags = NO_FLAGS;
  let pos = 0;
  if (FLAGGED.has(keyword) && restText.startsWith('--')) {
    for (let word = nextWord(restText, 0, escape); word && word.raw.startsWith('--'); word = nextWord(restText, word.end, escape)) {
      const body = word.value.slice(2);
      const eq = body.indexOf('=');
      const name = eq === -1 ? body : body.slice(0, eq);
      const value = eq === -1 ? null : body.slice(eq + 1);
      const options = value !== null && value.includes('=') ? parseOptions(value) : {};
      if (flags === NO_FLAGS) flags = [];
      flags.push({ name, value, options, line: lineFromSegments(segments, firstLine, restAt + word.offset) });
      pos = word.end;
    }
  }
  while (pos < restText.length && isSpace(restText[pos]!)) pos++;
  const args = restText.slice(pos).trim();
  const instruction = new ParsedInstruction(keyword, flags, args, EXEC_FORM.has(keyword) ? parseJson(args) : null, restAt + pos, segments, escape, firstLine);
  // Here-document markers are words of the arguments: split them only when one may be there.
  const argWords = HEREDOC_CAPABLE.has(keyword) && args.includes('<<') ? splitWords(restText.slice(pos), escape).map((w) => ({ ...w, offset: w.offset + pos })) : [];
  return { keyword, instruction, argWords, restAt, argsAt: argsStart + pos };
}

/** Parse Dockerfile text. Never throws: unknown or malformed lines become instructions as written. */
export function parseDockerfile(text: string): Dockerfile {
  // A byte-order mark is not part of the first line (BuildKit drops it too).
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const lines = new Lines(body);
  const { directives, next } = readDirectives(lines);
  const escapeDirective = directives.find((d) => d.name === 'escape')?.value;
  const escape = escapeDirective === '`' ? '`' : '\\';
  const comments: Comment[] = [];
  const instructions: Instruction[] = [];
  const stages: Stage[] = [];
  const globalArgs: Instruction[] = [];
  const triggers: Instruction[] = [];

  let i = next;
  while (i < lines.count) {
    if (lines.skippable(i)) {
      if (lines.firstNonBlank(i) !== lines.end(i)) comments.push({ text: lines.commentText(i), line: i + 1 });
      i++;
      continue;
    }
    const line = lines.at(i);

    // 1. Join continuation lines; comment and blank lines inside a continuation are skipped.
    const startLine = i + 1;
    let segments: Segments = null;
    let logical = '';
    let current = line;
    let lineNo = i;
    for (;;) {
      const escapeAt = continuationAt(current, escape);
      const continues = escapeAt !== -1;
      if (lineNo !== i) (segments ??= [0, startLine]).push(logical.length, lineNo + 1);
      logical += continues ? current.slice(0, escapeAt) : current;
      if (!continues) break;
      let j = lineNo + 1;
      while (j < lines.count && lines.skippable(j)) {
        if (lines.firstNonBlank(j) !== lines.end(j)) comments.push({ text: lines.commentText(j), line: j + 1 });
        j++;
      }
      if (j >= lines.count) {
        // A continuation that runs into the end of the file spans the rest of it.
        lineNo = lines.count - 1;
        break;
      }
      lineNo = j;
      current = lines.at(j);
    }
    let endLine = lineNo + 1;
    i = lineNo + 1;

    // 2. Keyword, flags, arguments (and the instruction an ONBUILD registers).
    const parsed = readInstruction(logical, 0, segments, startLine, escape);
    if (!parsed) continue; // only escapes and blank continuation lines: nothing to run
    const { keyword } = parsed;

    // 3. Here-documents: the body lines belong to this instruction.
    let heredocs = NO_HEREDOCS;
    if (HEREDOC_CAPABLE.has(keyword)) {
      for (const word of parsed.argWords) {
        const match = HEREDOC_WORD.exec(word.raw);
        if (!match) continue;
        const stripTabs = match[1] === '-';
        const name = match[3]!;
        const body: string[] = [];
        const bodyLine = i + 1;
        let close: number | null = null;
        while (i < lines.count) {
          const bodyLine = lines.at(i);
          i++;
          const compared = stripTabs ? bodyLine.replace(/^\t+/, '') : bodyLine;
          if (compared === name) {
            close = i;
            break;
          }
          body.push(stripTabs ? compared : bodyLine);
        }
        if (heredocs === NO_HEREDOCS) heredocs = [];
        heredocs.push({ name, stripTabs, quoted: match[2] !== '', line: lineFromSegments(segments, startLine, parsed.restAt + word.offset), bodyLine, endLine: close, body: body.join('\n') });
        endLine = close ?? lines.count;
      }
    }

    const instruction = parsed.instruction;
    instruction.endLine = endLine;
    instruction.heredocs = heredocs;
    instruction.stage = stages.length - 1;
    if (keyword === 'ONBUILD') {
      const inner = readInstruction(logical.slice(parsed.argsAt), parsed.argsAt, segments, startLine, escape);
      if (inner && !['ONBUILD', 'FROM', 'MAINTAINER'].includes(inner.keyword)) {
        instruction.trigger = Object.assign(inner.instruction, { endLine, stage: stages.length - 1, onbuild: true });
        triggers.push(instruction.trigger);
      }
    }

    if (keyword === 'FROM') {
      // BuildKit splits FROM on whitespace only: `image` or `image AS name`, nothing else.
      const parts = instruction.args.split(/\s+/).filter(Boolean);
      const name = parts.length === 3 && parts[1]!.toLowerCase() === 'as' ? parts[2]!.toLowerCase() : null;
      instruction.stage = stages.length;
      stages.push({ index: stages.length, name, base: parts[0] ?? '', line: startLine, from: instruction, instructions: [] });
    }
    instructions.push(instruction);
    if (instruction.stage === -1) {
      if (keyword === 'ARG') globalArgs.push(instruction);
    } else {
      stages[instruction.stage]!.instructions.push(instruction);
    }
  }

  return { directives, escape, comments, instructions, stages, globalArgs, triggers };
}

/** The first flag of that name (flags are case-sensitive in Docker), or undefined. */
export function flag(instruction: Instruction, name: string): Flag | undefined {
  return instruction.flags.find((f) => f.name === name);
}

/** The `--mount=` flags of a RUN (their key/values are in `options`). */
export function mounts(instruction: Instruction): Flag[] {
  return instruction.flags.filter((f) => f.name === 'mount');
}

export interface KeyValue {
  key: string;
  value: string | null;
  line: number;
}

/**
 * ARG/ENV/LABEL pairs. Handles `KEY=value` pairs with quotes and the legacy `ENV KEY value`
 * form; an ARG without `=` has a null value.
 */
const PAIRS = Symbol('pairs');

export function keyValues(instruction: Instruction, escape = '\\'): KeyValue[] {
  // Read once per instruction (several rules ask); the escape character is the file's.
  const cached = instruction as Instruction & { [PAIRS]?: KeyValue[] };
  return (cached[PAIRS] ??= readKeyValues(instruction, escape));
}

function readKeyValues(instruction: Instruction, escape: string): KeyValue[] {
  const words = splitWords(instruction.args, escape);
  if (words.length === 0) return [];
  const line = (w: Word) => instruction.lineAt(w.offset);
  const legacy = (instruction.keyword === 'ENV' || instruction.keyword === 'LABEL') && !words[0]!.raw.includes('=');
  if (legacy) {
    const rest = instruction.args.slice(words[1]?.offset ?? instruction.args.length).trim();
    return [{ key: words[0]!.value, value: rest, line: line(words[0]!) }];
  }
  return words.map((w) => {
    const eq = w.value.indexOf('=');
    return eq === -1
      ? { key: w.value, value: null, line: line(w) }
      : { key: w.value.slice(0, eq), value: w.value.slice(eq + 1), line: line(w) };
  });
}
