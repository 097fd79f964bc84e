// Offsets ↔ 0-based line/character positions (UTF-16 code units, as LSP and VS Code count them).
// Lines end at \r\n, \n or a lone \r — LSP's three terminators (and Python's and JavaScript's).
import type { Position, Range } from './model';

export class LineIndex {
  private readonly starts: number[] = [0];
  private static last: LineIndex | undefined;

  constructor(readonly text: string) {
    if (text.includes('\r')) {
      for (const m of text.matchAll(/\r\n?|\n/g)) this.starts.push((m.index ?? 0) + m[0].length);
    } else {
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
    }
  }

  /** The index of `text`, shared with the last caller that asked for the same text (detection, then pricing). */
  static of(text: string): LineIndex {
    const last = LineIndex.last;
    if (last && last.text === text) return last;
    return (LineIndex.last = new LineIndex(text));
  }

  get lineCount(): number {
    return this.starts.length;
  }

  position(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - this.starts[lo] };
  }

  offset(pos: Position): number {
    const start = this.starts[Math.min(pos.line, this.starts.length - 1)] ?? 0;
    return Math.min(start + pos.character, this.text.length);
  }

  range(startOffset: number, endOffset: number): Range {
    return { start: this.position(startOffset), end: this.position(endOffset) };
  }

  lineText(line: number): string {
    const start = this.starts[line] ?? this.text.length;
    const next = this.starts[line + 1];
    return this.text.slice(start, next).replace(/\r?\n$|\r$/, '');
  }
}

export function pointRange(line: number, character = 0): Range {
  return { start: { line, character }, end: { line, character } };
}

/** Forward slashes, for ids and report paths on every platform. */
export function toPosix(p: string): string {
  return p.split('\\').join('/');
}

/**
 * The text with each lone \r made \n (same length, so offsets are unchanged): what a parser that ends
 * lines only at \n (tree-sitter's rows, its Python scanner) must be given to see the lines LSP sees.
 * Python reads source with universal newlines and JavaScript normalises a template's \r to \n, so
 * string values read from the result are the languages' own.
 */
export function loneCrToLf(text: string): string {
  return text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
}

/** Whether the text ends any line with a lone \r. */
export function hasLoneCr(text: string): boolean {
  return text.includes('\r') && /\r(?!\n)/.test(text);
}
