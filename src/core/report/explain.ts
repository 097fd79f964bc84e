// The full arithmetic of one prompt, as numbers a user can check by hand: each part's tokens and where
// its text is, slots with the source of their sizes, tools / schema / media item by item, overhead, the
// price rows used (per million, cache read and write, the tier in force), and the sums per call, per
// day and per month.
import { estimateReason, outputSource, overheadSource, textExact } from './wording';
import { wrap } from './layout';
import { rangePlace } from './place';
import { formatPercent, formatUsd, formatUsdExact, groupDigits } from '../format';
import type { CacheReport, ExtraReport, PriceDataInfo, PromptReport } from '../model';
import type { PriceLookup } from '../prices';

export interface ExplainStep { label: string; value: string; detail?: string }
export interface Explanation {
  prompt: PromptReport;
  prices: PriceDataInfo;
  sections: { title: string; steps: ExplainStep[] }[];
}

/** The widest label column `explain` prints (longer labels wrap). */
const MAX_LABEL = 56;
const tok = (n: number, exact: boolean) => `${exact ? '' : '≈'}${groupDigits(n)}`;
const rate = (usdPerMillion: number | undefined) => (usdPerMillion === undefined ? '—' : `$${usdPerMillion}/M`);

function extraSteps(x: ExtraReport, exact: boolean): ExplainStep[] {
  const steps: ExplainStep[] = [];
  for (const item of x.items) {
    steps.push({ label: `  ${item.name}${item.file ? ` (${item.file}${item.range ? `:${item.range.start.line + 1}` : ''})` : ''}`, value: tok(item.tokens, item.exact && exact), ...(item.note ? { detail: item.note } : {}) });
  }
  if (x.overheadTokens) steps.push({ label: '  fixed tokens the provider adds', value: groupDigits(x.overheadTokens) });
  return steps;
}

/** `pricing` is the price lookup the report was priced with (for its tiers); optional. */
export function explainPrompt(p: PromptReport, prices: PriceDataInfo, pricing?: PriceLookup): Explanation {
  // The text's own count: exact with the model's tokenizer even when a tools or schema part is estimated.
  const exact = textExact(p);
  const tokens: ExplainStep[] = [];
  const terms: number[] = [];
  for (const part of p.parts) {
    // A notebook part's cell (not one of another file's): `explain` takes what it prints.
    const where = part.file ? rangePlace(part.file, { range: part.range }) : rangePlace(p.file, part);
    // Another branch the same expression may take: shown, not added (as pricing does).
    const alternative = part.alternative ? ' (alternative, not in the total)' : '';
    tokens.push({ label: `${part.role}${part.name ? ` (${part.name})` : ''} — static text${alternative}`, value: tok(part.tokens, exact), detail: where });
    if (!part.alternative) terms.push(part.tokens);
    for (const s of part.slots) {
      tokens.push({ label: `  slot ${s.name}`, value: groupDigits(s.tokens), detail: `size from ${s.from}` });
      if (!part.alternative) terms.push(s.tokens);
    }
  }
  if (p.tokens.overhead) {
    tokens.push({ label: 'chat formatting overhead', value: tok(p.tokens.overhead, exact), detail: overheadSource(p) });
    terms.push(p.tokens.overhead);
  }
  for (const [label, x] of [['tools', p.tools], ['output schema', p.schema], ['images and files', p.media]] as const) {
    if (!x) continue;
    tokens.push({ label: `${label} — ${x.method}`, value: tok(x.tokens, x.exact), detail: x.source });
    tokens.push(...extraSteps(x, x.exact));
    terms.push(x.tokens);
  }
  tokens.push({ label: 'input', value: tok(p.tokens.input, p.tokens.exact), detail: `= ${terms.map((t) => groupDigits(t)).join(' + ')}; ${p.tokens.exact ? `exact (${p.tokens.encoding})` : estimateReason(p)}` });
  tokens.push({ label: 'output', value: groupDigits(p.tokens.output), detail: outputSource(p) });

  const sections: Explanation['sections'] = [
    { title: `Model ${p.model.id}${p.model.provider ? ` (${p.model.provider})` : ''}, from ${p.model.from}`, steps: [] },
    { title: 'Tokens per call', steps: tokens },
  ];
  const c = p.cost;
  if (!c.priced || !c.prices || !c.breakdown) {
    sections.push({ title: 'Price', steps: [{ label: 'unpriced', value: '—', detail: c.unpricedReason }] });
    return { prompt: p, prices, sections };
  }
  const priceSteps: ExplainStep[] = [
    { label: 'input', value: rate(c.prices.inputUsdPerMillion) },
    { label: 'cache read', value: rate(c.prices.cacheReadUsdPerMillion), ...(c.prices.cacheReadUsdPerMillion === undefined ? { detail: 'no cached price: reads cost the input price' } : {}) },
    { label: 'cache write', value: rate(c.prices.cacheWriteUsdPerMillion), ...(c.prices.cacheWriteUsdPerMillion === undefined ? { detail: 'no write price: writes cost the input price' } : {}) },
    { label: 'output', value: rate(c.prices.outputUsdPerMillion) },
  ];
  if (pricing?.priced) {
    const tiers = pricing.input.tiers;
    priceSteps.push({
      label: 'tier', value: tiers.length ? (p.tokens.input > tiers[0].aboveInputTokens ? 'long-context' : 'base') : 'one rate',
      detail: tiers.length ? `input above ${tiers.map((t) => `${groupDigits(t.aboveInputTokens)} tokens: $${t.usdPerMillion}/M`).join(', ')}; this prompt has ${groupDigits(p.tokens.input)}` : `${pricing.modelId} at ${pricing.provider}`,
    });
  }
  sections.push({ title: `Prices (${c.prices.source}; data ${prices.version}, as of ${prices.asOf})`, steps: priceSteps });

  // The value column is rounded as scan shows it; the arithmetic beside it is in full (formatUsdExact), so
  // its terms add up to its result and a user can check each step by hand.
  const b = c.breakdown;
  const exactUsd = formatUsdExact;
  const inRate = c.prices.inputUsdPerMillion;
  const readRate = c.prices.cacheReadUsdPerMillion ?? inRate;
  const writeRate = c.prices.cacheWriteUsdPerMillion ?? inRate;
  // The tokens each term is for, as the engine priced them (Cost.breakdown, the CacheReport), never
  // worked back from dollars; ≈ when the input is estimated (the output is a limit or a default).
  const approx = p.tokens.exact ? '' : '≈';
  const tokens2 = (n: number) => `${approx}${groupDigits(Math.round(n * 100) / 100)}`;
  const times = (n: number, r: number | undefined, usd: number) => `${tokens2(n)} tokens × ${rate(r)} = ${exactUsd(usd)}`;
  const cache = p.cache;
  const perCall: ExplainStep[] = [
    { label: 'uncached input', value: formatUsd(b.uncachedInputUsd), detail: times(b.uncachedInputTokens, inRate, b.uncachedInputUsd) },
  ];
  if (b.cacheReadTokens && cache) perCall.push({ label: 'cache reads', value: formatUsd(b.cacheReadUsd), detail: `average per call: ${tokens2(cache.cachedPrefixTokens)} cached × ${formatPercent(cache.hitRate, 2)} hit rate = ${times(b.cacheReadTokens, readRate, b.cacheReadUsd)}` });
  if (b.cacheWriteTokens && cache) perCall.push({ label: 'cache writes', value: formatUsd(b.cacheWriteUsd), detail: `average per call: ${tokens2(cache.cachedPrefixTokens)} cached × ${formatPercent(1 - cache.hitRate, 2)} misses (one write each) = ${times(b.cacheWriteTokens, writeRate, b.cacheWriteUsd)}` });
  perCall.push({ label: 'output', value: formatUsd(b.outputUsd), detail: `${groupDigits(p.tokens.output)} tokens × ${rate(c.prices.outputUsdPerMillion)} = ${exactUsd(b.outputUsd)}` });
  // The terms printed above: a read or write term is there when it is for any tokens.
  const callTerms = [b.uncachedInputUsd, b.cacheReadTokens && cache ? b.cacheReadUsd : 0, b.cacheWriteTokens && cache ? b.cacheWriteUsd : 0, b.outputUsd].filter((x) => x);
  perCall.push({ label: 'per call', value: formatUsd(c.perCallUsd!), detail: `${callTerms.length > 1 ? `${callTerms.map(exactUsd).join(' + ')} = ` : ''}${exactUsd(c.perCallUsd!)}` });
  sections.push({ title: 'Per call', steps: perCall });
  const t = p.traffic;
  sections.push({
    title: 'Per month',
    steps: [
      { label: 'per day', value: formatUsd(c.perDayUsd!), detail: `${exactUsd(c.perCallUsd!)} × ${groupDigits(t.callsPerDay)} call${t.callsPerDay === 1 ? '' : 's'}/day = ${exactUsd(c.perDayUsd!)} (calls/day: ${t.sources.callsPerDay})` },
      { label: 'per month', value: formatUsd(c.monthlyUsd!), detail: `${exactUsd(c.perDayUsd!)} × ${t.daysPerMonth} day${t.daysPerMonth === 1 ? '' : 's'} = ${exactUsd(c.monthlyUsd!)} (days: ${t.sources.daysPerMonth})` },
      ...(c.batchMonthlyUsd !== undefined ? [{ label: 'through the batch API', value: formatUsd(c.batchMonthlyUsd), detail: `half the standard price: ${exactUsd(c.batchMonthlyUsd)}` }] : []),
      ...(cache ? [{ label: `without caching`, value: formatUsd(cache.monthlyWithoutCacheUsd), detail: cacheFacts(cache, approx) }] : []),
    ],
  });
  return { prompt: p, prices, sections };
}

/** The cache figures the month is priced with, as the CacheReport has them (the hover and the diagnostics say the same). */
function cacheFacts(c: CacheReport, approx: string): string {
  const n = (x: number) => `${approx}${groupDigits(x)}`;
  const reach = c.reachablePrefixTokens < c.stablePrefixTokens ? ` (${n(c.reachablePrefixTokens)} up to the last static text, where cache_control can go)` : '';
  const cached = c.cachedPrefixTokens ? `cached as written ${n(c.cachedPrefixTokens)} at a ${formatPercent(c.hitRate, 2)} hit rate (${c.hitRateFrom})` : 'not cached as written';
  return `stable prefix ${n(c.stablePrefixTokens)}${reach}, cacheable ${n(c.cacheablePrefixTokens)}, ${cached}; ${c.source}`;
}

/** The text form; `columns` (the terminal's width) wraps long lines, their details under each other. */
export function formatExplanation(e: Explanation, columns?: number): string {
  const p = e.prompt;
  const out: string[] = [`${p.id}  ${p.kind}${p.label ? ` [${p.label}]` : ''}`];
  for (const s of e.sections) {
    out.push('', s.title);
    // The label column is as wide as its labels up to MAX_LABEL: a longer one (a schema's method) is
    // wrapped onto lines of its own above its value, so one label cannot push every number to the right.
    const width = Math.min(MAX_LABEL, Math.max(0, ...s.steps.map((x) => x.label.length)));
    const vwidth = Math.max(0, ...s.steps.map((x) => x.value.length));
    for (const x of s.steps) {
      let label = x.label;
      if (label.length > width) {
        const indent = /^ */.exec(label)![0];
        const lines = wrap(label.trimStart(), width - indent.length - 2, 0).split('\n').flatMap((l) => (l.length > width - indent.length - 2 ? l.match(new RegExp(`.{1,${width - indent.length - 2}}`, 'g'))! : [l]));
        label = lines.pop()!;
        const more = lines.length ? '  ' : '';
        for (const [i, l] of lines.entries()) out.push(`  ${indent}${i ? more : ''}${l}`);
        label = `${indent}${more}${label}`;
      }
      const head = `  ${label.padEnd(width)}  ${x.value.padStart(vwidth)}`;
      if (!x.detail) out.push(head);
      else if (!columns) out.push(`${head}   ${x.detail}`);
      // The detail in its own column while there is room for it, else on the lines below.
      else if (columns - head.length - 3 >= 30) out.push(`${head}   ${wrap(x.detail, columns - head.length - 3, 0).split('\n').join('\n' + ' '.repeat(head.length + 3))}`);
      else out.push(head, `      ${wrap(x.detail, columns - 6, 0).split('\n').join('\n      ')}`);
    }
  }
  for (const n of [...(p.notes ?? []), ...(p.tools?.notes ?? []), ...(p.schema?.notes ?? []), ...(p.media?.notes ?? [])]) out.push('', columns ? wrap(`Note: ${n}`, columns, 6) : `Note: ${n}`);
  // The legend every other format prints: a count is exact (tiktoken) or an estimate marked ≈.
  out.push('', p.tokens.exact ? `Token counts are exact (${p.tokens.encoding}, tiktoken).` : textExact(p) ? `≈ marks estimated token counts; the prompt's text is exact (${p.tokens.encoding}, tiktoken).` : `≈ marks estimated token counts (${p.tokens.encoding} × the model family's factor).`);
  return out.join('\n') + '\n';
}
