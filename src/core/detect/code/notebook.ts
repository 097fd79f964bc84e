// Jupyter notebooks: the code cells, joined into one Python text (so a constant defined in one cell
// resolves in another), with a map back from lines to (cell, line within the cell).
import type { Range } from '../../model';

export interface NotebookCell { index: number; startLine: number; lineCount: number }
export interface NotebookText { text: string; cells: NotebookCell[] }

export function notebookToPython(json: string): NotebookText | { error: string } {
  let nb: { cells?: { cell_type?: string; source?: string | string[] }[] };
  try {
    nb = JSON.parse(json);
  } catch (e) {
    return { error: `not valid notebook JSON: ${(e as Error).message}` };
  }
  if (!nb || !Array.isArray(nb.cells)) return { error: 'not a Jupyter notebook (no "cells" list)' };
  const out: string[] = [];
  const cells: NotebookCell[] = [];
  let line = 0;
  nb.cells.forEach((cell, index) => {
    if (cell.cell_type !== 'code') return;
    const source = Array.isArray(cell.source) ? cell.source.join('') : String(cell.source ?? '');
    // IPython magics and shell escapes are not Python: blank them, keeping the line count.
    const lines = source.split('\n').map((l) => (/^\s*[%!]/.test(l) ? '' : l));
    cells.push({ index, startLine: line, lineCount: lines.length });
    out.push(lines.join('\n'));
    line += lines.length;
  });
  return { text: out.join('\n'), cells };
}

/** A range in the joined text → the cell it is in and the range within that cell. */
export function toCell(nb: NotebookText, r: Range): { cell: number; range: Range } {
  const cell = [...nb.cells].reverse().find((c) => c.startLine <= r.start.line) ?? nb.cells[0];
  const shift = (p: Range['start']) => ({ line: Math.max(0, p.line - cell.startLine), character: p.character });
  return { cell: cell.index, range: { start: shift(r.start), end: shift(r.end) } };
}
