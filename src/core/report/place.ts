// Where a prompt or a diagnostic is, in the one form every output prints and `explain` takes:
// `file:line`, and in a notebook `file:cellN:line` (cells and lines 1-based, as the editor counts them;
// a notebook's line alone names no place, each cell counts from 1).

/** `line` is 1-based; `cell` the 0-based index the report keeps (PromptReport.cell). */
export function placeText(file: string, line: number, cell?: number): string {
  return cell === undefined ? `${file}:${line}` : `${file}:cell${cell + 1}:${line}`;
}

/** A report's range (0-based lines) in its file or cell. */
export function rangePlace(file: string, at: { range: { start: { line: number } }; cell?: number }): string {
  return placeText(file, at.range.start.line + 1, at.cell);
}
