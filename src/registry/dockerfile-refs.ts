/**
 * The image references of a Dockerfile and where each sits in the file's text, so `pin` can
 * rewrite exactly those characters and leave every other byte alone: the `# syntax=` image,
 * `FROM` bases, and `COPY --from=` / `RUN --mount=…,from=` values that name images, not stages.
 * The audit's parser finds the instructions; this file finds their characters.
 */
import { parseDockerfile, splitWords } from '../audit/dockerfile.ts';

export type ReferenceKind = '# syntax' | 'FROM' | 'COPY --from' | 'RUN --mount from';

export interface ImageOccurrence {
  kind: ReferenceKind;
  /** 1-based line of the reference. */
  line: number;
  /** Offsets of the reference in the text: text.slice(start, end) === reference. */
  start: number;
  end: number;
  reference: string;
}

export interface SkippedReference {
  kind: ReferenceKind;
  line: number;
  reference: string;
  /** Why it is left as it is, e.g. `uses a build argument`. */
  reason: string;
}

interface PhysicalLine {
  start: number;
  content: string;
}

/** Lines with their offsets; `content` without its `\n` or `\r\n`, as the parser splits them. */
function physicalLines(text: string): PhysicalLine[] {
  const lines: PhysicalLine[] = [];
  let start = 0;
  for (;;) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline;
    lines.push({ start, content: text.slice(start, end).replace(/\r$/, '') });
    if (newline === -1) return lines;
    start = newline + 1;
  }
}

interface Logical {
  text: string;
  /** Where each joined piece of `text` starts in the file. */
  pieces: Array<{ at: number; file: number }>;
}

/** An instruction's lines joined as the parser joins them (escaped newlines; comment and blank lines skipped inside). */
function joinContinuations(lines: PhysicalLine[], first: number, escape: string): Logical {
  const logical: Logical = { text: '', pieces: [] };
  for (let i = first; i < lines.length; ) {
    const { content, start } = lines[i]!;
    const trimmed = content.trimEnd();
    const continues = trimmed.endsWith(escape);
    logical.pieces.push({ at: logical.text.length, file: start });
    logical.text += continues ? trimmed.slice(0, trimmed.length - escape.length) : content;
    if (!continues) break;
    i++;
    while (i < lines.length && (lines[i]!.content.trim() === '' || lines[i]!.content.trim().startsWith('#'))) i++;
  }
  return logical;
}

/** The file offset of a logical offset. */
function fileOffset(logical: Logical, at: number): number {
  let piece = logical.pieces[0]!;
  for (const p of logical.pieces) if (p.at <= at) piece = p;
  return piece.file + (at - piece.at);
}

/** Find every image reference of a Dockerfile (as text), and the ones left alone with the reason. */
export function findImageReferences(text: string): { images: ImageOccurrence[]; skipped: SkippedReference[] } {
  const dockerfile = parseDockerfile(text);
  const lines = physicalLines(text);
  const lineOf = (offset: number) => lines.filter((l) => l.start <= offset).length;
  const stageNames = new Set(dockerfile.stages.flatMap((stage) => (stage.name ? [stage.name] : [])));
  const images: ImageOccurrence[] = [];
  const skipped: SkippedReference[] = [];

  /** Record `value`, found at file offset `start` (or not locatable: null), unless it names a stage. */
  const consider = (kind: ReferenceKind, value: string, start: number | null, line: number) => {
    if (kind === 'FROM' && value.toLowerCase() === 'scratch') return;
    if (kind !== '# syntax' && (stageNames.has(value.toLowerCase()) || (kind !== 'FROM' && /^\d+$/.test(value)))) return;
    if (value.includes('$')) return void skipped.push({ kind, line, reference: value, reason: 'uses a build argument (ARG): pin its default by hand' });
    if (start === null || text.slice(start, start + value.length) !== value) {
      return void skipped.push({ kind, line, reference: value, reason: 'is quoted, escaped or split across lines: pin it by hand' });
    }
    images.push({ kind, line: lineOf(start), start, end: start + value.length, reference: value });
  };

  const syntax = dockerfile.directives.find((d) => d.name === 'syntax');
  if (syntax) {
    const line = lines[syntax.line - 1]!;
    const prefix = /^#\s*syntax\s*=\s*/i.exec(line.content)?.[0].length ?? null;
    consider('# syntax', syntax.value, prefix === null ? null : line.start + prefix, syntax.line);
  }

  for (const instruction of dockerfile.instructions) {
    if (!['FROM', 'COPY', 'RUN'].includes(instruction.keyword)) continue;
    const logical = joinContinuations(lines, instruction.line - 1, dockerfile.escape);
    const keyword = /^\s*\S+\s*/.exec(logical.text)![0].length;
    const words = splitWords(logical.text.slice(keyword), dockerfile.escape);
    const at = (offset: number) => fileOffset(logical, keyword + offset);
    const flags = words.filter((w, i) => w.raw.startsWith('--') && words.slice(0, i).every((p) => p.raw.startsWith('--')));
    if (instruction.keyword === 'FROM') {
      const base = words[flags.length];
      if (base) consider('FROM', base.raw, base.raw === base.value ? at(base.offset) : null, instruction.line);
      continue;
    }
    for (const word of flags) {
      const quoted = word.raw !== word.value;
      if (instruction.keyword === 'COPY' && word.value.startsWith('--from=')) {
        consider('COPY --from', word.value.slice(7), quoted ? null : at(word.offset + 7), instruction.line);
      }
      if (instruction.keyword === 'RUN' && word.value.startsWith('--mount=')) {
        // type=bind,from=image,target=/x: each field's offset within the flag.
        let offset = 8;
        for (const field of word.value.slice(8).split(',')) {
          if (/^from=/i.test(field)) consider('RUN --mount from', field.slice(5), quoted ? null : at(word.offset + offset + 5), instruction.line);
          offset += field.length + 1;
        }
      }
    }
  }
  return { images, skipped };
}

/** `text` with each occurrence replaced by its new reference; nothing else changes. */
export function replaceReferences(text: string, replacements: ReadonlyArray<{ start: number; end: number; value: string }>): string {
  let out = text;
  for (const { start, end, value } of [...replacements].sort((a, b) => b.start - a.start)) out = out.slice(0, start) + value + out.slice(end);
  return out;
}
