// The cache-breaker quick fix for code: in a multi-line template literal or f-string whose first run-time
// value sits on a line before static text, move that line to the end of the template. Anything else
// (concatenation, several literals, a one-line template) is not a simple reorder and gets no fix.
import type { TextEditSpec } from '../../model';
import type { CodeFile } from './source';
import type { TextValue } from './values';

const PY_FSTRING_OPEN = /^[rRuU]?[fF][rR]?("""|'''|"|')/;

export function reorderTemplate(f: CodeFile, value: TextValue, slots: { start: number; end: number; file: string }[]): TextEditSpec | undefined {
  const src = f.text.slice(value.origin.start, value.origin.end);
  const open = f.isPython ? PY_FSTRING_OPEN.exec(src)?.[0] : src.startsWith('`') ? '`' : undefined;
  if (!open) return undefined;
  const quote = open.replace(/^[a-zA-Z]+/, '');
  if (src.length < open.length + quote.length || !src.endsWith(quote)) return undefined;
  const innerStart = value.origin.start + open.length;
  const innerEnd = value.origin.end - quote.length;
  const lines = src.slice(open.length, src.length - quote.length).split('\n');
  let at = innerStart;
  const spans = lines.map((l) => {
    const span = { start: at, end: at + l.length };
    at += l.length + 1;
    return span;
  });
  const own = slots.filter((s) => s.file === f.file && s.start >= innerStart && s.end <= innerEnd);
  if (!own.length) return undefined;
  const first = Math.min(...own.map((s) => s.start));
  const idx = spans.findIndex((sp) => first >= sp.start && first <= sp.end);
  if (idx < 0) return undefined;
  const dynamicLine = (i: number) => own.some((s) => s.start >= spans[i].start && s.start <= spans[i].end);
  // There must be static text after the line to move, or moving gains nothing.
  if (!lines.some((l, i) => i > idx && l.trim().length > 0 && !dynamicLine(i))) return undefined;
  const moved = lines[idx];
  const rest = lines.filter((_, i) => i !== idx);
  // A last line that only indents the closing delimiter stays last.
  const tailIsIndent = rest.length > 0 && rest[rest.length - 1].trim() === '';
  const reordered = tailIsIndent ? [...rest.slice(0, -1), moved, rest[rest.length - 1]] : [...rest, moved];
  return { range: f.lines.range(value.origin.start, value.origin.end), newText: open + reordered.join('\n') + quote };
}
