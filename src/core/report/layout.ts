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

/** What ends a word in a place, a label or a model name (`openai:chat:gpt-4o`, `a/b.ts:3 (prompt 1 × x)`). */
const WORD_BREAK = /[\s:/·×(.]/;

/**
 * `s` in `max` columns with at least its last `keep` code points (what tells it from a neighbour that
 * ends the same way): a start, `…`, the end. When that end does not fit, as much of it as fits from its
 * start, between two `…`.
 */
export function keepEnd(s: string, max: number, keep: number): string {
  const chars = [...s];
  if (chars.length <= max) return s;
  if (max <= 2) return chars.slice(chars.length - max).join('');
  if (keep <= max - 1) {
    const tail = Math.min(max - 1, Math.max(keep, Math.ceil((max - 1) / 2)));
    return chars.slice(0, max - 1 - tail).join('') + '…' + chars.slice(chars.length - tail).join('');
  }
  return endFrom(chars, max, keep);
}

/** The last `keep` of `chars` from their start, as much as fits in `max` columns, between two `…`. */
function endFrom(chars: string[], max: number, keep: number): string {
  const start = Math.max(0, chars.length - keep);
  if (chars.length - start <= max - 1) return '…' + chars.slice(chars.length - (max - 1)).join('');
  if (start === 0) return chars.slice(0, max - 1).join('') + '…';
  return '…' + chars.slice(start, start + max - 2).join('') + '…';
}

/** How many code points from the end of `s` tell it from each of `others` (1 + the longest end it shares with one). */
export function distinctEnd(s: string, others: string[]): number {
  const a = [...s];
  let shared = 0;
  for (const other of others) {
    const b = [...other];
    let n = 0;
    while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) n++;
    shared = Math.max(shared, n);
  }
  return Math.min(a.length, shared + 1);
}

/** `keep` code points from the end of `s`, taken back to the start of the word they begin in. */
export function wordStart(s: string, keep: number): number {
  const chars = [...s];
  let k = keep;
  while (k < chars.length && !WORD_BREAK.test(chars[chars.length - k - 1])) k++;
  return k;
}

/**
 * fitLocation for rows that would otherwise look the same (promptfoo's prompt × provider rows of one
 * line): the label keeps at least its last `keep` code points, the provider that tells them apart.
 */
export function fitLocationKeepingEnd(cell: string, max: number, keep: number): string {
  const m = /^(.*?:\d+) \((.*)\)$/s.exec(cell);
  if (width(cell) <= max) return cell;
  if (!m || keep > width(m[2]) + 1) return keepEnd(cell, max, keep);
  const [, loc, label] = m;
  const labelWanted = Math.min(width(label), Math.max(keep, Math.floor((max - 3) / 2)));
  const locWidth = Math.min(width(loc), max - 3 - labelWanted);
  if (locWidth < 6) {
    // Rows told apart by their labels are usually of one file and line: at least the line stays.
    const line = `…${/:\d+$/.exec(loc)![0]}`;
    return max - 3 - width(line) >= keep ? `${line} (${elideLeft(label, max - 3 - width(line))})` : endFrom([...cell], max, keep);
  }
  return `${elidePath(loc, locWidth)} (${elideLeft(label, max - 3 - locWidth)})`;
}

export interface TableColumn {
  header: string;
  right?: boolean;
  /** How a cell is cut to fit a narrower column; a column without one is never narrowed (numbers). */
  fit?: (cell: string, max: number) => string;
  /** How a cell is cut keeping at least its last `keep` code points, for rows that `fit` makes look the same (keepEnd when absent). */
  fitEnd?: (cell: string, max: number, keep: number) => string;
  /** The narrowest the column is made (at least its header) before columns are left out. */
  min?: number;
  /** The narrowest it is made when leaving out columns was not enough (its header's width when absent). */
  floor?: number;
  /** Columns are narrowed in this order (lowest first, each down to its min; equal ones widest first). */
  cutOrder?: number;
  /** When the cut columns still do not fit, columns with a dropOrder are left out, lowest first. */
  dropOrder?: number;
  /** Left out only once the cut columns are at their floors (a figure kept while a name can be shorter). */
  dropLast?: boolean;
  /** A cell wider than the column is wrapped at word boundaries onto lines of its own, never cut (`fit` is not used). */
  wrap?: boolean;
  /** Left out, the column's cell goes under its row instead, wrapped to the width, where the second column starts. */
  below?: boolean;
}

export interface TableLayout { lines: string[]; dropped: string[] }

/**
 * The header, a rule and the rows, each column padded to its widest cell. With `maxWidth`, the columns
 * that can be cut are narrowed (see cutOrder) until the lines fit; if they still do not, droppable
 * columns are left out (see dropOrder), then the cut columns narrowed to their floors, then the columns
 * dropped last left out; those left out are named in `dropped`. Rows that differ but that the cuts make
 * look the same are cut again keeping the ends that tell them apart (promptfoo's providers).
 */
export function layoutTable(columns: TableColumn[], rows: string[][], maxWidth?: number): TableLayout {
  const natural = columns.map((c, i) => Math.max(width(c.header), ...rows.map((r) => width(r[i]))));
  let shown = columns.map((_, i) => i);
  let widths = natural.slice();
  const excessOf = () => shown.reduce((a, i) => a + widths[i], 0) + 2 * (shown.length - 1) - (maxWidth ?? Infinity);
  // Narrows the cut-able columns, one column at a time, down to `limit`: by cutOrder, or the widest first.
  const narrow = (limit: (c: TableColumn) => number, widestFirst: boolean) => {
    let excess = excessOf();
    while (excess > 0) {
      let next = -1;
      for (const i of shown) {
        const c = columns[i];
        if (!(c.fit || c.wrap) || widths[i] <= Math.max(limit(c), width(c.header))) continue;
        const order = (k: number) => (widestFirst ? 0 : columns[k].cutOrder ?? 0);
        if (next < 0 || order(i) < order(next) || (order(i) === order(next) && widths[i] > widths[next])) next = i;
      }
      if (next < 0) break;
      widths[next]--;
      excess--;
    }
    return excess <= 0;
  };
  const droppable = (last: boolean) => shown.filter((i) => columns[i].dropOrder !== undefined && !!columns[i].dropLast === last)
    .sort((a, b) => columns[a].dropOrder! - columns[b].dropOrder!);
  while (maxWidth !== undefined) {
    widths = natural.slice();
    if (narrow((c) => c.min ?? 0, false)) break;
    const early = droppable(false);
    if (early.length) {
      shown = shown.filter((i) => i !== early[0]);
      continue;
    }
    if (narrow((c) => c.floor ?? 0, true)) break;
    const late = droppable(true);
    if (!late.length) break;
    shown = shown.filter((i) => i !== late[0]);
  }
  const fitted = rows.map((cells) => cells.map((cell, i) => (width(cell) > widths[i] && columns[i].fit && !columns[i].wrap ? columns[i].fit!(cell, widths[i]) : cell)));
  keepRowsApart(columns, shown, widths, rows, fitted);
  const line = (cells: string[]) => shown.map((i) => {
    const text = cells[i];
    const fill = ' '.repeat(Math.max(0, widths[i] - width(text)));
    return columns[i].right ? fill + text : text + fill;
  }).join('  ').trimEnd();
  // A row whose wrapped cells take several lines: the other cells on its first line only. A column left
  // out that goes below: its cell under the row.
  const indent = shown.length > 1 ? widths[shown[0]] + 2 : 0;
  const under = columns.map((_, i) => i).filter((i) => columns[i].below && !shown.includes(i));
  const rowLines = (cells: string[]) => {
    const wrapped = cells.map((cell, i) => (columns[i].wrap ? wrapWords(cell, widths[i]) : [cell]));
    const height = Math.max(...shown.map((i) => wrapped[i].length));
    const below = under.filter((i) => cells[i]).flatMap((i) => wrapWords(cells[i], Math.max(20, (maxWidth ?? Infinity) - indent)).map((l) => ' '.repeat(indent) + l));
    return [...Array.from({ length: height }, (_, k) => line(wrapped.map((w) => w[k] ?? ''))), ...below];
  };
  const total = shown.reduce((a, i) => a + widths[i], 0) + 2 * (shown.length - 1);
  return {
    lines: [line(columns.map((c) => c.header)), '-'.repeat(total), ...fitted.flatMap(rowLines)],
    dropped: columns.filter((_, i) => !shown.includes(i)).map((c) => c.header),
  };
}

/**
 * Rows whose shown cells differ but read the same once cut are cut again in one column where they
 * differ — the first whose distinguishing ends fit it, else the first — keeping those ends.
 */
function keepRowsApart(columns: TableColumn[], shown: number[], widths: number[], rows: string[][], fitted: string[][]): void {
  const groups = new Map<string, number[]>();
  // Told apart by their names, not by figures that may differ by chance (a wrapped cell is never cut).
  const named = shown.filter((i) => columns[i].fit && !columns[i].wrap);
  rows.forEach((_, r) => {
    const key = named.map((i) => fitted[r][i]).join('\u0000');
    const group = groups.get(key);
    if (group) group.push(r);
    else groups.set(key, [r]);
  });
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const candidates = named.filter((i) => new Set(group.map((r) => rows[r][i])).size > 1);
    if (!candidates.length) continue; // the same rows (or differing only in figures, or in columns left out)
    // How many code points from the end tell each row's cell in column i apart: from the start of the
    // word that differs (`openai:chat:gpt-4o` against `openai:gpt-4o` keeps `chat:gpt-4o`).
    const keepsIn = (i: number) => {
      const cells = [...new Set(group.map((r) => rows[r][i]))];
      return new Map(cells.map((c) => [c, wordStart(c, distinctEnd(c, cells.filter((o) => o !== c)))]));
    };
    // A column whose ends fit with room for the cells' starts; else the first that differs.
    const roomy = (i: number) => Math.max(...keepsIn(i).values()) <= widths[i] - 7;
    const column = candidates.find(roomy) ?? candidates[0];
    const keeps = keepsIn(column);
    // With room, every row keeps the longest end, so the cells line up.
    const longest = roomy(column) ? Math.max(...keeps.values()) : undefined;
    const fitEnd = columns[column].fitEnd ?? keepEnd;
    for (const r of group) {
      const cell = rows[r][column];
      if (width(cell) > widths[column]) fitted[r][column] = fitEnd(cell, widths[column], Math.min(longest ?? keeps.get(cell)!, width(cell)));
    }
  }
}

/** `text` in lines of at most `max` code points, broken between words (a word longer than a line, within it). */
export function wrapWords(text: string, max: number): string[] {
  if (width(text) <= max || max < 1) return [text];
  const out: string[] = [];
  let line = '';
  for (let word of text.split(' ')) {
    if (line && width(line) + 1 + width(word) <= max) {
      line = `${line} ${word}`;
      continue;
    }
    if (line) out.push(line);
    while (width(word) > max) {
      const chars = [...word];
      out.push(chars.slice(0, max).join(''));
      word = chars.slice(max).join('');
    }
    line = word;
  }
  if (line) out.push(line);
  return out;
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
