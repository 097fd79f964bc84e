// "Did you mean …?" for a model name the price database does not know: the priced chat models (and
// custom prices) nearest to it by edit distance, ignoring a provider prefix and case.
import { SWAP_PROVIDERS } from '../report/priceTable';
import { candidates } from '../routing';
import { editDistance } from '../editDistance';

const bare = (id: string) => id.toLowerCase().replace(/^[\w-]+[/:]/, '');

/** Up to `max` priced model ids close to `id` (a typo, a missing or extra character or two), nearest first. */
export function similarModels(id: string, customIds: string[] = [], max = 3): string[] {
  // Memoised (the candidates are the price database's, fixed for the process): a file of 1,000 calls of
  // one unpriced model measured each against every priced model, a millisecond a prompt.
  const key = `${max}\u0000${id}\u0000${customIds.join('\u0000')}`;
  const known = suggested.get(key);
  if (known) return [...known];
  if (suggested.size >= MEMO_ENTRIES) suggested.clear();
  const found = nearestModels(id, customIds, max);
  suggested.set(key, found);
  return [...found];
}

const MEMO_ENTRIES = 1000;
const suggested = new Map<string, string[]>();

function nearestModels(id: string, customIds: string[], max: number): string[] {
  const want = bare(id);
  if (!want) return [];
  const limit = Math.max(1, Math.min(3, Math.floor(want.length / 4)));
  const seen = new Set<string>();
  const scored: { id: string; d: number }[] = [];
  const consider = (candidate: string) => {
    if (seen.has(candidate)) return;
    seen.add(candidate);
    const d = editDistance(want, bare(candidate), limit);
    if (d <= limit && bare(candidate) !== want) scored.push({ id: candidate, d });
  };
  for (const c of customIds) consider(c);
  for (const provider of SWAP_PROVIDERS) for (const c of candidates(provider)) consider(c.id);
  return scored.sort((a, b) => a.d - b.d || a.id.length - b.id.length || a.id.localeCompare(b.id)).slice(0, max).map((s) => s.id);
}

/** " (did you mean gpt-4o-mini?)" or "". */
export function didYouMean(id: string, customIds: string[] = []): string {
  const s = similarModels(id, customIds);
  return s.length ? ` (did you mean ${s.length === 1 ? s[0] : `${s.slice(0, -1).join(', ')} or ${s[s.length - 1]}`}?)` : '';
}
