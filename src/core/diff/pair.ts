// Pairing the prompts of two scans: by annotation id first, then per file (following renames) by
// identical text, then by similar text; what is left is added or removed. Pure: the texts come in.
import type { PromptReport } from '../model';

export interface Side {
  prompt: PromptReport;
  /** The prompt's static text as written (its parts' source, joined), for similarity. */
  text: string;
}

/** `unreadable`: a base prompt whose file the head could not read (not known to be removed). */
export type PairStatus = 'added' | 'removed' | 'changed' | 'moved' | 'unchanged' | 'unreadable';
/** `identical`: both sides' prompts are the same report in a file the same on both sides (their texts are equal). */
export interface Pair { before?: Side; after?: Side; identical?: boolean }

/** True when the id was given by an annotation or config, not made from the file and line. */
export function hasOwnId(p: PromptReport): boolean {
  return !p.id.startsWith(`${p.file}:`);
}

const words = (s: string) => s.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? [];

/** Dice coefficient over word multisets: 1 for the same words, 0 for none in common. */
export function similarity(a: string, b: string): number {
  return wordSimilarity(words(a), words(b));
}

function wordSimilarity(wa: string[], wb: string[]): number {
  if (!wa.length && !wb.length) return 1;
  if (!wa.length || !wb.length) return 0;
  const counts = new Map<string, number>();
  for (const w of wa) counts.set(w, (counts.get(w) ?? 0) + 1);
  let common = 0;
  for (const w of wb) {
    const c = counts.get(w) ?? 0;
    if (c > 0) {
      common++;
      counts.set(w, c - 1);
    }
  }
  return (2 * common) / (wa.length + wb.length);
}

/** How alike two texts must be to be one prompt edited rather than one removed and one added. */
export const SIMILAR = 0.5;

const norm = (s: string) => s.replace(/\s+/g, ' ').trim();
const labelOf = (p: PromptReport) => p.label ?? '';

/**
 * Pairs `before` with `after`. `renamed` maps a base file to its head file. Within a file, prompts are
 * matched by equal text (nearest line first), then greedily by similarity; then across files by equal
 * text (a prompt that moved to another file) and by similarity with the same kind and label.
 */
export function pairPrompts(before: Side[], after: Side[], renamed: Map<string, string> = new Map(), sameFiles?: ReadonlySet<string>): Pair[] {
  const pairs: Pair[] = [];
  const left = new Set(before), right = new Set(after);
  // 0. A file whose content is the same on both sides (`sameFiles`, not renamed either way) and whose
  // prompts are the same reports in the same order, reading parts only from such files, none with an id
  // of its own: the passes below would pair each prompt with its twin (same file, same text, distance 0,
  // in order). Paired here without reading any text: most of a monorepo's prompts.
  if (sameFiles?.size) {
    const renamedTo = new Set(renamed.values());
    const byFileOf = (xs: Side[]) => {
      const m = new Map<string, Side[]>();
      for (const x of xs) {
        const f = x.prompt.file;
        if (!sameFiles.has(f) || renamed.has(f) || renamedTo.has(f)) continue;
        const list = m.get(f);
        if (list) list.push(x);
        else m.set(f, [x]);
      }
      return m;
    };
    const plain = (x: Side) => !hasOwnId(x.prompt) && x.prompt.parts.every((part) => !part.file || sameFiles.has(part.file));
    const beforeFiles = byFileOf(before), afterFiles = byFileOf(after);
    for (const [file, bs] of beforeFiles) {
      const as = afterFiles.get(file);
      if (!as || as.length !== bs.length || !bs.every(plain) || !as.every(plain)) continue;
      if (!bs.every((b, i) => JSON.stringify(b.prompt) === JSON.stringify(as[i].prompt))) continue;
      bs.forEach((b, i) => {
        pairs.push({ before: b, after: as[i], identical: true });
        left.delete(b);
        right.delete(as[i]);
      });
    }
  }
  // Each side's normalised text and words, computed once (a monorepo's file can hold hundreds of prompts).
  const normOf = new Map<Side, string>();
  const wordsOf = new Map<Side, string[]>();
  const normText = (s: Side) => {
    let n = normOf.get(s);
    if (n === undefined) normOf.set(s, (n = norm(s.text)));
    return n;
  };
  const similar = (b: Side, a: Side) => {
    let wb = wordsOf.get(b), wa = wordsOf.get(a);
    if (!wb) wordsOf.set(b, (wb = words(b.text)));
    if (!wa) wordsOf.set(a, (wa = words(a.text)));
    return wordSimilarity(wb, wa);
  };
  const take = (b: Side, a: Side) => {
    pairs.push({ before: b, after: a });
    left.delete(b);
    right.delete(a);
  };
  // 1. Annotation ids.
  const byId = new Map<string, Side>();
  for (const a of after) if (hasOwnId(a.prompt)) byId.set(a.prompt.id, a);
  for (const b of left) {
    const a = hasOwnId(b.prompt) ? byId.get(b.prompt.id) : undefined;
    if (a && right.has(a)) take(b, a);
  }
  const headFile = (b: Side) => renamed.get(b.prompt.file) ?? b.prompt.file;
  const sameFile = (b: Side, a: Side) => headFile(b) === a.prompt.file;
  const sameRow = (b: Side, a: Side) => b.prompt.kind === a.prompt.kind && labelOf(b.prompt) === labelOf(a.prompt);
  const dist = (b: Side, a: Side) => Math.abs(b.prompt.range.start.line - a.prompt.range.start.line);
  // The head's prompts by file, in their order: the same-file passes look only there (every pair of a
  // monorepo's thousands of prompts, several times over, took seconds). Same candidates, same order.
  const byFile = new Map<string, Side[]>();
  for (const a of after) {
    const list = byFile.get(a.prompt.file);
    if (list) list.push(a);
    else byFile.set(a.prompt.file, [a]);
  }
  const matchBy = (fits: (b: Side, a: Side) => boolean, score: (b: Side, a: Side) => number, sameFileOnly = false) => {
    const candidates: { b: Side; a: Side; s: number }[] = [];
    for (const b of left) {
      for (const a of sameFileOnly ? byFile.get(headFile(b)) ?? [] : right) if (right.has(a) && fits(b, a)) candidates.push({ b, a, s: score(b, a) });
    }
    candidates.sort((x, y) => y.s - x.s);
    for (const c of candidates) if (left.has(c.b) && right.has(c.a)) take(c.b, c.a);
  };
  // 2. Same file, same text (a line shift): nearest first.
  matchBy((b, a) => sameFile(b, a) && sameRow(b, a) && normText(b) === normText(a), (b, a) => -dist(b, a), true);
  // 3. Same file, similar text (an edit).
  matchBy((b, a) => sameFile(b, a) && sameRow(b, a) && similar(b, a) >= SIMILAR, (b, a) => similar(b, a) - dist(b, a) * 1e-6, true);
  // 3b. What is left of a file on both sides, one prompt of a kind each: the same prompt rewritten.
  // Counted before the pass, as the candidates are (no pair is taken while they are collected).
  const rowKey = (file: string, s: Side) => `${file}\0${s.prompt.kind}\0${labelOf(s.prompt)}`;
  const countBy = (side: Set<Side>, file: (s: Side) => string) => {
    const n = new Map<string, number>();
    for (const x of side) n.set(rowKey(file(x), x), (n.get(rowKey(file(x), x)) ?? 0) + 1);
    return n;
  };
  const leftRows = countBy(left, headFile), rightRows = countBy(right, (x) => x.prompt.file);
  matchBy((b, a) => sameFile(b, a) && sameRow(b, a) && leftRows.get(rowKey(headFile(b), b)) === 1 && rightRows.get(rowKey(a.prompt.file, a)) === 1, () => 0, true);
  // 4. Another file, same text (moved), then similar text.
  matchBy((b, a) => sameRow(b, a) && normText(b) !== '' && normText(b) === normText(a), (b, a) => -dist(b, a));
  matchBy((b, a) => sameRow(b, a) && similar(b, a) >= 0.8, (b, a) => similar(b, a));
  for (const b of left) pairs.push({ before: b });
  for (const a of right) pairs.push({ after: a });
  return pairs;
}
