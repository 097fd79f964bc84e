// Which ranges of a file are claimed already: asked once per candidate by the shape layer and the
// heuristics, with as many ranges as the file has prompts — a scan of every range per question was
// quadratic in a file of many prompts. Ranges are kept sorted by start with the running maximum of
// their ends, so that "does anything overlap [start, end)" is a binary search. Ranges added after the
// last sort wait in a short list (checked one by one) until there are more than √n of them.

/** Half-open ranges [start, end) of numbers (offsets, or any order-preserving key). */
export class IntervalSet {
  private starts: number[] = [];
  private ends: number[] = [];
  /** maxEnd[i]: the largest end among sorted ranges 0..i. */
  private maxEnd: number[] = [];
  private pending: [number, number][] = [];

  constructor(ranges: Iterable<readonly [number, number]> = []) {
    for (const [a, b] of ranges) this.pending.push([a, b]);
    this.sort();
  }

  get size(): number {
    return this.starts.length + this.pending.length;
  }

  add(start: number, end: number): void {
    this.pending.push([start, end]);
    if (this.pending.length * this.pending.length > this.starts.length + 16) this.sort();
  }

  /** Whether some range overlaps [start, end): a < end && start < b. */
  overlaps(start: number, end: number): boolean {
    for (const [a, b] of this.pending) if (a < end && start < b) return true;
    const i = this.lastStartingBefore(end);
    return i >= 0 && this.maxEnd[i] > start;
  }

  /** Whether `accept` holds for some range overlapping [start, end). */
  someOverlapping(start: number, end: number, accept: (a: number, b: number) => boolean): boolean {
    for (const [a, b] of this.pending) if (a < end && start < b && accept(a, b)) return true;
    // Down from the last range starting before `end`, while one further down can still reach `start`.
    for (let i = this.lastStartingBefore(end); i >= 0 && this.maxEnd[i] > start; i--) {
      if (this.ends[i] > start && accept(this.starts[i], this.ends[i])) return true;
    }
    return false;
  }

  /** The index of the last sorted range with a start < `end`, or -1. */
  private lastStartingBefore(end: number): number {
    let lo = 0;
    let hi = this.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.starts[mid] < end) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }

  private sort(): void {
    if (!this.pending.length) return;
    const all: [number, number][] = this.starts.map((a, i) => [a, this.ends[i]]);
    all.push(...this.pending);
    all.sort((x, y) => x[0] - y[0]);
    this.pending = [];
    this.starts = all.map((r) => r[0]);
    this.ends = all.map((r) => r[1]);
    this.maxEnd = [];
    let max = -Infinity;
    for (const b of this.ends) this.maxEnd.push((max = Math.max(max, b)));
  }
}
