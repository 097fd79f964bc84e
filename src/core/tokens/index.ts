import type { TokenCount } from '../model';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { countWithEncoding, type EncodingName } from './encodings';
import { CountMemo } from './memo';
import type { CountBudget } from '../budgets';
import { resolveTokenizer, type TokenizerChoice } from './resolve';

export { resolveTokenizer, bareModelName, type TokenizerChoice } from './resolve';
export { chatOverheadTokens, chatTokens, messageOverheadTokens } from './chat';
export { countWithEncoding, hasLongRun, LONG_RUN, loadedEncodings, preloadEncoder, type EncodingName } from './encodings';

/** Seeded counts kept at most (digest keys: ~100 bytes each). */
const MAX_SEEDS = 200_000;

/** A counter with its own memo; the analysis engine owns one, so no counts live in module state. */
export class TokenCounter {
  private readonly memo = new CountMemo();
  /** Counts known from an earlier session, by encoding and text digest (see `seed`). */
  private readonly seeds = new Map<string, number>();
  private recorder: Map<string, number> | undefined;
  /** The count budget of the file being priced; past it, texts not counted yet are estimated. */
  budget: CountBudget | undefined;
  /** How many counts were estimated because the budget had passed (pricing compares before/after). */
  budgetEstimates = 0;

  /** Counts kept between runs in a cache folder (KeptCounts): asked before the tokenizer, given what it counts. */
  kept: KeptCounts | undefined;

  /** Raw tokens of `text` under an encoding, memoized by content. */
  encodingTokens(text: string, encoding: EncodingName): number {
    const hit = this.memo.get(encoding, text);
    if (hit !== undefined && !this.recorder) return hit;
    const key = this.seeds.size || this.recorder || this.kept ? countKey(text, encoding) : '';
    let seeded = hit ?? this.seeds.get(key);
    const fromTokenizer = seeded === undefined && !!this.kept;
    if (seeded === undefined && this.kept) seeded = this.kept.get(key);
    if (seeded === undefined && this.budget) {
      const bytes = Buffer.byteLength(text, 'utf8');
      if (bytes > this.budget.remainingBytes) {
        // Over the count budget: an estimate, neither memoized nor recorded as a count.
        this.budgetEstimates++;
        return Math.ceil(bytes / 4);
      }
      this.budget.remainingBytes -= bytes;
    }
    if (seeded === undefined) tokenizerRuns.count++;
    const tokens = seeded ?? countWithEncoding(text, encoding);
    if (fromTokenizer && seeded === undefined) this.kept!.add(key, tokens);
    if (hit === undefined) this.memo.set(encoding, text, tokens);
    this.recorder?.set(key, tokens);
    return tokens;
  }

  /** Inside recordCounts: every count must be asked for, none answered from a memo of results. */
  get recording(): boolean {
    return this.recorder !== undefined;
  }

  /**
   * The counts `fn` uses, as `seed` takes them: a language server stores them with a file's detection
   * so that a later session prices the unchanged file before its tokenizer has loaded.
   */
  recordCounts(fn: () => void): [string, number][] {
    const outer = this.recorder;
    this.recorder = new Map();
    try {
      fn();
      return [...this.recorder];
    } finally {
      this.recorder = outer;
    }
  }

  /**
   * Counts recorded by `recordCounts`, possibly in another process or thread; a text's digest must
   * match. Bounded: a language server seeds every analysis's counts, so the oldest half goes past MAX_SEEDS.
   */
  seed(counts: Iterable<[string, number]>): void {
    for (const [key, tokens] of counts) if (typeof key === 'string' && Number.isInteger(tokens) && tokens >= 0) this.seeds.set(key, tokens);
    if (this.seeds.size <= MAX_SEEDS) return;
    for (const key of this.seeds.keys()) {
      if (this.seeds.size <= MAX_SEEDS / 2) break;
      this.seeds.delete(key);
    }
  }

  /** Tokens of `text` for `model`: exact for OpenAI encodings, an estimate (rounded up) elsewhere. */
  count(text: string, model: string): TokenCount {
    const choice = resolveTokenizer(model);
    return { tokens: this.scaled(this.encodingTokens(text, choice.encoding), choice), encoding: choice.encoding, exact: choice.exact, model };
  }

  scaled(tokens: number, choice: TokenizerChoice): number {
    return choice.exact ? tokens : Math.ceil(tokens * choice.factor);
  }
}

/** How many texts this process counted with a tokenizer (not from a memo, seed or kept count): a test counts them. */
export const tokenizerRuns = { count: 0 };

/** Kept counts past this many: the oldest half is dropped when saved. */
const MAX_KEPT_COUNTS = 200_000;

/**
 * Token counts kept in a file of the cache folder between runs, by the same key as seeds (the encoding
 * and the text's digest: a count never stands for another text), for one build (its tokenizer files):
 * a run whose prompts' texts were counted before — an edit elsewhere in their file — loads no
 * tokenizer (a 28 MB snapshot read, ~100–200 ms). Read when first asked; written by `save`.
 */
export class KeptCounts {
  private counts?: Map<string, number>;
  private dirty = false;

  constructor(readonly file: string, readonly build: string) {}

  private load(): Map<string, number> {
    if (this.counts) return this.counts;
    this.counts = new Map();
    try {
      const m = JSON.parse(fs.readFileSync(this.file, 'utf8')) as { build: string; counts: [string, number][] };
      if (m?.build === this.build && Array.isArray(m.counts)) {
        for (const e of m.counts) if (Array.isArray(e) && typeof e[0] === 'string' && Number.isInteger(e[1]) && e[1] >= 0) this.counts.set(e[0], e[1]);
      }
    } catch { /* none or damaged: counted again */ }
    return this.counts;
  }

  get(key: string): number | undefined {
    return this.load().get(key);
  }

  add(key: string, tokens: number): void {
    const m = this.load();
    if (m.get(key) === tokens) return;
    m.set(key, tokens);
    this.dirty = true;
  }

  /** Writes the counts when some were added; failing costs the next run the tokenizer. */
  save(): void {
    if (!this.dirty || !this.counts) return;
    let entries = [...this.counts];
    if (entries.length > MAX_KEPT_COUNTS) entries = entries.slice(entries.length - MAX_KEPT_COUNTS / 2);
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
      const tmp = `${this.file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify({ build: this.build, counts: entries }), { mode: 0o600 });
      fs.renameSync(tmp, this.file);
      this.dirty = false;
    } catch {
      // read-only or full disk
    }
  }
}

/** A count's key between sessions: the encoding and a digest of the text (texts stay in the source). */
function countKey(text: string, encoding: EncodingName): string {
  return `${encoding}:${createHash('sha1').update(text).digest('base64')}`;
}
