// Terminal layout shared by the text reports: columns fitted to a width, cells cut with … (paths from
// the left so the file name and line stay, names in the middle so both ends stay), words wrapped.
// Widths count code points (≈ and … are one column each).

export const width = (s: string): number => {
  let n = 0;
  for (const c of s) if (c) n++;
  return n;
};

/** `s` cut to about `max` characters, the cut marked with … in the middle so both ends stay readable. */
export function truncate(s: string, max: number): string {
  if (s.length <= max) return s;
  // UTF-16 slices, moved off the middle of a surrogate pair; never a copy of the whole string.
  const head = Math.ceil((max - 1) / 2);
  let a = head;
  if (/[\uD800-\uDBFF]/.test(s[a - 1] ?? '')) a--;
  let b = s.length - (max - 1 - head);
  if (/[\uDC00-\uDFFF]/.test(s[b] ?? '')) b++;
  return s.slice(0, a) + '…' + s.slice(b);
}

/** `s` cut to `max` code points from the left: `…/prompts/support.prompty:12` (a path keeps its end). */
export function elideLeft(s: string, max: number): string {
  if (width(s) <= max) return s;
  if (max <= 1) return '…'.slice(0, max);
  const chars = [...s];
  return '…' + chars.slice(chars.length - (max - 1)).join('');
}

/**
 * A path (`folder/file.ext:12`) in `max` columns: the folders are cut first, from the left, so the file
 * name and line stay (`…/file.ext:12`); only a file name that cannot fit alone is cut, in its middle.
 */
export function elidePath(s: string, max: number): string {
  if (width(s) <= max) return s;
  const slash = s.lastIndexOf('/', s.search(/:\d+$/) < 0 ? s.length : s.search(/:\d+$/));
  const base = s.slice(slash + 1);
  if (slash < 0 || width(base) + 2 > max) {
    if (max < 8) return elideLeft(s, max);
    return `${slash < 0 ? '' : '…/'}${truncate(base, max - (slash < 0 ? 0 : 2))}`;
  }
  return elideLeft(s, max);
}

/** A prompt's place, `file:line (label)`, in `max` columns: the folders cut first (the file name stays), the label from the left. */
export function fitLocation(cell: string, max: number): string {
  if (width(cell) <= max) return cell;
  const m = /^(.*?:\d+) \((.*)\)$/s.exec(cell);
  if (!m) return elidePath(cell, max);
  const [, loc, label] = m;
  // The file name and line first (the folders go before them), then the label, which tells rows of one
  // line apart (promptfoo's prompt × provider, whose end differs): it keeps at least half of what is
  // left, and never less than 4 columns, cut from the left.
  const slash = loc.lastIndexOf('/');
  const fileWidth = Math.min(width(loc), width(loc.slice(slash + 1)) + (slash < 0 ? 0 : 2));
  // No room for the file name and a few columns of label: the file name alone (the model column tells
  // promptfoo's rows apart too).
  if (fileWidth + 3 + Math.min(4, width(label)) > max) return elidePath(loc, max);
  const labelMin = Math.min(width(label), Math.max(4, Math.floor(max / 2)));
  const locWidth = Math.min(width(loc), Math.max(fileWidth, max - 3 - labelMin), max - 3 - Math.min(4, width(label)));
  if (locWidth < 6) return elidePath(cell, max);
  return `${elidePath(loc, locWidth)} (${elideLeft(label, max - 3 - locWidth)})`;
}

export interface TableColumn {
  header: string;
  right?: boolean;
  /** How a cell is cut to fit a narrower column; a column without one is never narrowed (numbers). */
  fit?: (cell: string, max: number) => string;
  /** The narrowest the column is made (at least its header). */
  min?: number;
  /** Columns are narrowed in this order (lowest first, each down to its min; equal ones widest first). */
  cutOrder?: number;
  /** When the cut columns still do not fit, columns with a dropOrder are left out, lowest first. */
  dropOrder?: number;
}

export interface TableLayout { lines: string[]; dropped: string[] }

/**
 * The header, a rule and the rows, each column padded to its widest cell. With `maxWidth`, the columns
 * that can be cut are narrowed (see cutOrder) until the lines fit; if they still do not, droppable
 * columns are left out (see dropOrder) and named in `dropped`.
 */
export function layoutTable(columns: TableColumn[], rows: string[][], maxWidth?: number): TableLayout {
  const natural = columns.map((c, i) => Math.max(width(c.header), ...rows.map((r) => width(r[i]))));
  let shown = columns.map((_, i) => i);
  let widths = natural.slice();
  for (;;) {
    widths = natural.slice();
    if (maxWidth === undefined) break;
    let excess = shown.reduce((a, i) => a + widths[i], 0) + 2 * (shown.length - 1) - maxWidth;
    while (excess > 0) {
      let next = -1;
      for (const i of shown) {
        const c = columns[i];
        if (!c.fit || widths[i] <= Math.max(c.min ?? 0, width(c.header))) continue;
        const better = next < 0 || (c.cutOrder ?? 0) < (columns[next].cutOrder ?? 0)
          || ((c.cutOrder ?? 0) === (columns[next].cutOrder ?? 0) && widths[i] > widths[next]);
        if (better) next = i;
      }
      if (next < 0) break;
      widths[next]--;
      excess--;
    }
    const droppable = shown.filter((i) => columns[i].dropOrder !== undefined).sort((a, b) => columns[a].dropOrder! - columns[b].dropOrder!);
    if (excess <= 0 || !droppable.length) break;
    shown = shown.filter((i) => i !== droppable[0]);
  }
  const line = (cells: string[]) => shown.map((i) => {
    const cell = cells[i];
    const text = width(cell) > widths[i] && columns[i].fit ? columns[i].fit!(cell, widths[i]) : cell;
    const fill = ' '.repeat(Math.max(0, widths[i] - width(text)));
    return columns[i].right ? fill + text : text + fill;
  }).join('  ').trimEnd();
  const total = shown.reduce((a, i) => a + widths[i], 0) + 2 * (shown.length - 1);
  return {
    lines: [line(columns.map((c) => c.header)), '-'.repeat(total), ...rows.map(line)],
    dropped: columns.filter((_, i) => !shown.includes(i)).map((c) => c.header),
  };
}

/** `text` in lines of at most `max` characters (words kept whole), lines after the first indented by `indent`. */
export function wrap(text: string, max: number, indent: number): string {
  if (max <= indent + 20 || text.length <= max) return text;
  const out: string[] = [];
  let line = '';
  let limit = max;
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > limit) {
      out.push(line);
      line = word;
      limit = max - indent;
    } else line = line ? `${line} ${word}` : word;
  }
  out.push(line);
  return out.join('\n' + ' '.repeat(indent));
}
