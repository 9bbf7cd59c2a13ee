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
  return (c === '&' || c === '|') && script[i + 1] === c ? c + c : c;
}
const KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'fi', 'do', 'done', 'while', 'until', '!', '{', '}', 'time']);
const SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'zsh']);

interface Token {
  word?: string;
  op?: string;
  offset: number;
}

function tokenize(script: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let word: string | null = null;
  let start = 0;
  const flush = () => {
    if (word !== null) tokens.push({ word, offset: start });
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
    if (op) {
      flush();
      tokens.push({ op, offset: i });
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
  return tokens;
}

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

/** Options of the wrappers that take a value (so the value is not taken for the command). */
const UV_RUN_VALUED = new Set(['--with', '--python', '-p', '--group', '--extra', '--package', '--directory', '--project', '--env-file', '--index', '--default-index', '--index-url', '--extra-index-url']);

function basename(word: string): string {
  return word.slice(word.lastIndexOf('/') + 1);
}

/** Strip wrappers until the real tool: `env A=1 pipenv run python -m pytest -q` -> pytest [-q]. */
export function unwrap(words: string[]): { tool: string; args: string[]; wrappers: string[][] } {
  const wrappers: string[][] = [];
  let rest = words.slice();
  for (;;) {
    while (rest.length && (ASSIGNMENT.test(rest[0]!) || KEYWORDS.has(rest[0]!))) rest.shift();
    const head = basename(rest[0] ?? '');
    if (['env', 'exec', 'sudo', 'nice', 'nohup', 'command'].includes(head)) {
      wrappers.push([head]);
      rest = rest.slice(1);
      while (rest.length && rest[0]!.startsWith('-')) rest.shift();
      continue;
    }
    if (/^python(\d(\.\d+)?)?$/.test(head) && rest[1] === '-m' && rest[2]) {
      wrappers.push(rest.slice(0, 2));
      rest = rest.slice(2);
      continue;
    }
    if ((head === 'pipenv' || head === 'poetry') && rest[1] === 'run') {
      wrappers.push(rest.slice(0, 2));
      rest = rest.slice(2);
      continue;
    }
    if (head === 'uv' && rest[1] === 'run') {
      let i = 2;
      while (i < rest.length && rest[i]!.startsWith('-')) i += UV_RUN_VALUED.has(rest[i]!) ? 2 : 1;
      wrappers.push(rest.slice(0, i));
      rest = rest.slice(i);
      continue;
    }
    return { tool: head, args: rest.slice(1), wrappers };
  }
}

/**
 * The simple commands of a shell script, in order; `sh -c '…'` scripts are read recursively.
 * `base` is added to every offset (-1 marks offsets as unknown).
 */
export function shellCommands(script: string, base = 0): ShellCommand[] {
  const commands: ShellCommand[] = [];
  const tokens = tokenize(script);
  // Each command's words are the tokens between two operators: arrays of exactly their size (a
  // 5 MB file holds hundreds of thousands of them; arrays grown by push hold spare room).
  let from = 0;
  for (let i = 0; i <= tokens.length; i++) {
    const token = tokens[i];
    if (token !== undefined && token.op === undefined) continue;
    if (i > from) {
      const words = new Array<string>(i - from);
      const offsets = new Array<number>(i - from);
      for (let k = from; k < i; k++) {
        words[k - from] = tokens[k]!.word!;
        offsets[k - from] = base < 0 ? -1 : base + tokens[k]!.offset;
      }
      for (const c of command(words, offsets, token?.op ?? '')) commands.push(c);
    }
    from = i + 1;
  }
  return commands;
}

/** Commands of an exec-form RUN: the array is one command (or a shell given a script). */
export function execCommands(argv: string[]): ShellCommand[] {
  return argv.length ? command(argv, argv.map(() => -1), '') : [];
}

const NO_WRAPPERS: string[][] = Object.freeze([]) as unknown as string[][];

function command(words: string[], offsets: number[], next: string): ShellCommand[] {
  const unwrapped = unwrap(words);
  if (SHELLS.has(unwrapped.tool)) {
    const c = unwrapped.args.findIndex((a) => /^-[a-z]*c[a-z]*$/.test(a));
    const script = c === -1 ? undefined : unwrapped.args[c + 1];
    // Inside the quoted script, offsets are close enough: the script word's start plus its quote.
    const at = offsets[words.length - unwrapped.args.length + c + 1] ?? -1;
    if (script !== undefined) return shellCommands(script, at < 0 ? -1 : at + 1);
  }
  // Every property in the literal (a spread would put half of them in a second object), and one
  // shared empty list for the usual command without wrappers.
  const wrappers = unwrapped.wrappers.length ? unwrapped.wrappers : NO_WRAPPERS;
  return [{ words, next, offsets, tool: unwrapped.tool, args: unwrapped.args, wrappers }];
}
