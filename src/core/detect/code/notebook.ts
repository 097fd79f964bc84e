// Jupyter notebooks: the code cells, joined into one Python text (so a constant defined in one cell
// resolves in another), with a map back from lines to (cell, line within the cell).
import type { Diagnostic, Range } from '../../model';

export interface NotebookCell { index: number; startLine: number; lineCount: number }
/** A cell that is not a well-formed cell (null, no `source` text …): skipped, with the reason. */
export interface BadCell { index: number; reason: string }
export interface NotebookText { text: string; cells: NotebookCell[]; badCells?: BadCell[] }

/** The cell's source as text, or why it has none. */
function cellSource(cell: unknown): { code: string } | { skip: true } | { bad: string } {
  if (cell === null || typeof cell !== 'object' || Array.isArray(cell)) return { bad: `is ${cell === null ? 'null' : Array.isArray(cell) ? 'a list' : `a ${typeof cell}`}, not a cell object` };
  const c = cell as { cell_type?: unknown; source?: unknown };
  if (c.cell_type !== 'code') return { skip: true };
  if (c.source === undefined || c.source === null) return { code: '' };
  if (typeof c.source === 'string') return { code: c.source };
  if (Array.isArray(c.source) && c.source.every((l) => typeof l === 'string')) return { code: c.source.join('') };
  return { bad: 'has a `source` that is neither text nor a list of lines' };
}

export function notebookToPython(json: string): NotebookText | { error: string } {
  let nb: { cells?: unknown };
  try {
    nb = JSON.parse(json);
  } catch (e) {
    return { error: `not valid notebook JSON: ${(e as Error).message}` };
  }
  if (!nb || typeof nb !== 'object' || !Array.isArray(nb.cells)) return { error: 'not a Jupyter notebook (no "cells" list)' };
  const out: string[] = [];
  const cells: NotebookCell[] = [];
  const badCells: BadCell[] = [];
  let line = 0;
  (nb.cells as unknown[]).forEach((cell, index) => {
    const src = cellSource(cell);
    if ('bad' in src) {
      badCells.push({ index, reason: src.bad });
      return;
    }
    if ('skip' in src) return;
    // IPython magics and shell escapes are not Python: blank them, keeping the line count.
    const lines = src.code.split('\n').map((l) => (/^\s*[%!]/.test(l) ? '' : l));
    cells.push({ index, startLine: line, lineCount: lines.length });
    out.push(lines.join('\n'));
    line += lines.length;
  });
  return { text: out.join('\n'), cells, ...(badCells.length ? { badCells } : {}) };
}

/** A range in the joined text → the cell it is in and the range within that cell. */
export function toCell(nb: NotebookText, r: Range): { cell: number; range: Range } {
  const cell = [...nb.cells].reverse().find((c) => c.startLine <= r.start.line) ?? nb.cells[0];
  if (!cell) return { cell: 0, range: r }; // no code cell at all
  const shift = (p: Range['start']) => ({ line: Math.max(0, p.line - cell.startLine), character: p.character });
  return { cell: cell.index, range: { start: shift(r.start), end: shift(r.end) } };
}

/** One `prompt-file-error` per malformed cell, on that cell: the other cells are analysed as usual. */
export function badCellDiagnostics(file: string, nb: NotebookText): Diagnostic[] {
  return (nb.badCells ?? []).map((b) => ({
    code: 'prompt-file-error', severity: 'warning' as const, file, cell: b.index,
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    message: `${file}: cell ${b.index + 1} ${b.reason}; it is skipped (the other cells are analysed)`,
  }));
}
