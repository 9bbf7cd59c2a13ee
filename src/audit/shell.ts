/**
 * Just enough POSIX shell reading to find the commands a RUN executes: words with quotes removed,
 * split at `&&`, `||`, `;`, `|`, `&`, newlines and parentheses, with `sh -c '…'` read recursively.
 * It does not expand variables or run anything.
 */

export interface ShellCommand {
  /** Words as the shell would pass them (quotes removed, no expansion). */
  words: string[];
  /** The command after unwrapping `env`, `VAR=x`, `python -m`, `pipenv run`, `poetry run`, `uv run`… */
  tool: string;
  args: string[];
  /** The wrappers that were removed, e.g. ['pipenv run'] (D6 cares about `uv run --locked`). */
  wrappers: string[][];
  /** The operator that follows the command (`&&`, `||`, `;`, `|`, `&`, or '' at the end). */
  next: string;
  /** Offset of each of `words` in the script (for line numbers); -1 when unknown. */
  offsets: number[];
}

const OPERATOR_START = new Set(['&', '|', ';', '\n', '(', ')']);
/** Characters that end a run of plain word characters (operators, blanks, quotes, escapes, `$`). */
const WORD_END = new Set([...OPERATOR_START, ' ', '\t', '\r', "'", '"', '\\', '$']);

function operatorAt(script: string, i: number): string {
  const c = script[i]!;
  // The constants, not `c + c`: a new string for every `&&` a command keeps as its `next`.
  if (script[i + 1] === c) {
    if (c === '&') return '&&';
    if (c === '|') return '||';
  }
  return c;
}
const KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'fi', 'do', 'done', 'while', 'until', '!', '{', '}', 'time']);
const SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'zsh']);

/**
 * One copy of each short word (`apt-get`, `-y`, `install` recur in every RUN of a large file: a
 * copy each was a third of its strings). Bounded: emptied when it grows past its size.
 */
const INTERNED = new Map<string, string>();
function interned(word: string): string {
  if (word.length > 32) return word;
  const known = INTERNED.get(word);
  if (known !== undefined) return known;
  if (INTERNED.size >= 20_000) INTERNED.clear();
  INTERNED.set(word, word);
  return word;
}

/**
 * A script's tokens as parallel lists (no object per token: a 5 MB file holds half a million):
 * `words[k]` is a word, or null where `ops[k]` is an operator; `offsets[k]` is where it starts.
 */
interface Tokens {
  words: Array<string | null>;
  ops: string[];
  offsets: number[];
}

function tokenize(script: string): Tokens {
  const words: Array<string | null> = [];
  const ops: string[] = [];
  const offsets: number[] = [];
  let i = 0;
  let word: string | null = null;
  let start = 0;
  const flush = () => {
    if (word !== null) {
      words.push(interned(word));
      ops.push('');
      offsets.push(start);
    }
    word = null;
  };
  while (i < script.length) {
    const c = script[i]!;
    if (c === '#' && word === null) {
      while (i < script.length && script[i] !== '\n') i++;
      continue;
    }
    if (c === '\\' && script[i + 1] === '\n') {
      i += 2;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      flush();
      i++;
      continue;
    }
    const op = OPERATOR_START.has(c) ? operatorAt(script, i) : undefined;
    // `2>&1`, `>&2`, `<&0`: the `&` of a redirection duplicating a descriptor, not a background job.
    if (op === '&' && word !== null && (word.endsWith('>') || word.endsWith('<'))) {
      word += c;
      i++;
      continue;
    }
    if (op) {
      flush();
      words.push(null);
      ops.push(op);
      offsets.push(i);
      i += op.length;
      continue;
    }
    if (word === null) {
      word = '';
      start = i;
    }
    if (c === "'") {
      const end = script.indexOf("'", i + 1);
      word += script.slice(i + 1, end === -1 ? script.length : end);
      i = end === -1 ? script.length : end + 1;
    } else if (c === '"') {
      i++;
      while (i < script.length && script[i] !== '"') {
        if (script[i] === '\\' && i + 1 < script.length && '"\\$`'.includes(script[i + 1]!)) {
          word += script[i + 1];
          i += 2;
          continue;
        }
        // A run of plain characters at once (one slice, not one string per character).
        let j = i;
        while (j < script.length && script[j] !== '"' && script[j] !== '\\') j++;
        if (j === i) j++;
        word += script.slice(i, j);
        i = j;
      }
      i++;
    } else if (c === '\\' && i + 1 < script.length) {
      word += script[i + 1];
      i += 2;
    } else if (c === '$' && script[i + 1] === '(') {
      // Keep a command substitution inside the word; it is rarely what an audit rule looks at.
      let depth = 0;
      const from = i;
      for (; i < script.length; i++) {
        if (script[i] === '(') depth++;
        else if (script[i] === ')' && --depth === 0) break;
      }
      word += script.slice(from, ++i);
    } else {
      let j = i + 1;
      while (j < script.length && !WORD_END.has(script[j]!)) j++;
      word += script.slice(i, j);
      i = j;
    }
  }
  flush();
  return { words, ops, offsets };
}

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

/** Options of the wrappers that take a value (so the value is not taken for the command). */
const UV_RUN_VALUED = new Set(['--with', '--python', '-p', '--group', '--extra', '--package', '--directory', '--project', '--env-file', '--index', '--default-index', '--index-url', '--extra-index-url']);

const WRAPPERS = new Set(['env', 'exec', 'sudo', 'nice', 'nohup', 'command']);

function basename(word: string): string {
  return word.slice(word.lastIndexOf('/') + 1);
}

/** Strip wrappers until the real tool: `env A=1 pipenv run python -m pytest -q` -> pytest [-q]. */
export function unwrap(words: string[]): { tool: string; args: string[]; wrappers: string[][] } {
  const wrappers: string[][] = [];
  // `at`: where the rest of the command starts (an index, not a copy per wrapper).
  let at = 0;
  for (;;) {
    while (at < words.length && (ASSIGNMENT.test(words[at]!) || KEYWORDS.has(words[at]!))) at++;
    const head = basename(words[at] ?? '');
    if (WRAPPERS.has(head)) {
      wrappers.push([head]);
      at++;
      while (at < words.length && words[at]!.startsWith('-')) at++;
      continue;
    }
    if (head.startsWith('python') && /^python(\d(\.\d+)?)?$/.test(head) && words[at + 1] === '-m' && words[at + 2]) {
      wrappers.push(words.slice(at, at + 2));
      at += 2;
      continue;
    }
    if ((head === 'pipenv' || head === 'poetry') && words[at + 1] === 'run') {
      wrappers.push(words.slice(at, at + 2));
      at += 2;
      continue;
    }
    if (head === 'uv' && words[at + 1] === 'run') {
      let i = at + 2;
      while (i < words.length && words[i]!.startsWith('-')) i += UV_RUN_VALUED.has(words[i]!) ? 2 : 1;
      wrappers.push(words.slice(at, i));
      at = i;
      continue;
    }
    return { tool: head, args: words.slice(at + 1), wrappers };
  }
}

/**
 * The simple commands of a shell script, in order; `sh -c '…'` scripts are read recursively.
 * `base` is added to every offset (-1 marks offsets as unknown).
 */
export function shellCommands(script: string, base = 0): ShellCommand[] {
  const commands: ShellCommand[] = [];
  const tokens = tokenize(script);
  const count = tokens.words.length;
  // Each command's words are the tokens between two operators: arrays of exactly their size (a
  // 5 MB file holds hundreds of thousands of them; arrays grown by push hold spare room).
  let from = 0;
  for (let i = 0; i <= count; i++) {
    if (i < count && tokens.words[i] !== null) continue;
    if (i > from) {
      const words = new Array<string>(i - from);
      const offsets = new Array<number>(i - from);
      for (let k = from; k < i; k++) {
        words[k - from] = tokens.words[k]!;
        offsets[k - from] = base < 0 ? -1 : base + tokens.offsets[k]!;
      }
      command(words, offsets, i < count ? tokens.ops[i]! : '', commands);
    }
    from = i + 1;
  }
  return commands;
}

/** Commands of an exec-form RUN: the array is one command (or a shell given a script). */
export function execCommands(argv: string[]): ShellCommand[] {
  const commands: ShellCommand[] = [];
  if (argv.length) command(argv, argv.map(() => -1), '', commands);
  return commands;
}

const NO_WRAPPERS: string[][] = Object.freeze([]) as unknown as string[][];

/** Adds the command these words make to `into` (or the commands of the script it hands a shell). */
function command(words: string[], offsets: number[], next: string, into: ShellCommand[]): void {
  const unwrapped = unwrap(words);
  if (SHELLS.has(unwrapped.tool)) {
    const c = unwrapped.args.findIndex((a) => /^-[a-z]*c[a-z]*$/.test(a));
    const script = c === -1 ? undefined : unwrapped.args[c + 1];
    // Inside the quoted script, offsets are close enough: the script word's start plus its quote.
    const at = offsets[words.length - unwrapped.args.length + c + 1] ?? -1;
    if (script !== undefined) {
      for (const inner of shellCommands(script, at < 0 ? -1 : at + 1)) into.push(inner);
      return;
    }
  }
  // Every property in the literal (a spread would put half of them in a second object), and one
  // shared empty list for the usual command without wrappers.
  const wrappers = unwrapped.wrappers.length ? unwrapped.wrappers : NO_WRAPPERS;
  into.push({ words, next, offsets, tool: unwrapped.tool, args: unwrapped.args, wrappers });
}
