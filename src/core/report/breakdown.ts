// The per-prompt breakdown, as Markdown tables that read well in VS Code's hover and in a preview.
import { annotationHint, estimateReason, outputLimitField, textExact } from './wording';
import { formatPercent, formatTokens, formatUsd, groupDigits } from '../format';
import type { PriceDataInfo, PromptReport } from '../model';
import type { Alternative } from '../routing';

const cell = (s: string) => s.replace(/\|/g, '\\|');

/** Which detection layer found the prompt, in words. */
function foundBy(p: PromptReport): string {
  if (p.confidence === 'heuristic') return ' (heuristic: a prompt-named value, no call found)';
  if (p.confidence === 'shape') return ` (found by its shape: ${p.shape ?? 'a prompt-shaped value'})`;
  return '';
}

export function breakdownMarkdown(p: PromptReport, prices: PriceDataInfo, alternatives: Alternative[] = []): string {
  const est = p.tokens.exact ? `exact, ${p.tokens.encoding}` : textExact(p) ? `${estimateReason(p)}` : `estimate: ${p.tokens.encoding} × family factor`;
  const textIsExact = textExact(p);
  const out: string[] = [];
  const headline = p.cost.priced
    ? `**${formatUsd(p.cost.monthlyUsd!)}/month** · ${formatUsd(p.cost.perCallUsd!)}/call · ${formatTokens(p.tokens.input, p.tokens.exact)} tokens in`
    : `**unpriced** · ${formatTokens(p.tokens.input, p.tokens.exact)} tokens in`;
  out.push(`**Prompt Cost** — ${headline}`, '');
  out.push(`\`${p.kind}\`${foundBy(p)} · model \`${cell(p.model.id)}\` (${cell(p.model.from)})`, '');
  out.push('| Tokens | |', '|:--|--:|');
  p.parts.forEach((part) => {
    const where = part.file ? ` — ${cell(part.file)}:${part.range.start.line + 1}` : '';
    const alt = part.alternative ? ` — alternative, not in the total` : '';
    out.push(`| ${part.role}${part.name ? ` (${cell(part.name)})` : ''}${where}${alt} | ${formatTokens(part.tokens, textIsExact)} |`);
    for (const s of part.slots) out.push(`| &nbsp;&nbsp;slot \`${cell(s.name)}\` (${cell(s.from)}) | ${groupDigits(s.tokens)} |`);
  });
  if (p.tokens.overhead) out.push(`| chat formatting overhead | ${formatTokens(p.tokens.overhead, textIsExact)} |`);
  const extra = (label: string, x: NonNullable<PromptReport['tools']>) => {
    out.push(`| ${label} — ${cell(x.method)} | ${formatTokens(x.tokens, x.exact)} |`);
    for (const item of x.items) {
      const where = item.file ? ` — ${cell(item.file)}${item.range ? `:${item.range.start.line + 1}` : ''}` : '';
      out.push(`| &nbsp;&nbsp;\`${cell(item.name)}\`${where}${item.note ? ` (${cell(item.note)})` : ''} | ${formatTokens(item.tokens, item.exact)} |`);
    }
    if (x.overheadTokens) out.push(`| &nbsp;&nbsp;fixed tokens the provider adds | ${groupDigits(x.overheadTokens)} |`);
  };
  if (p.tools) extra(`tools (${p.tools.items.length})`, p.tools);
  if (p.schema) extra('output schema', p.schema);
  if (p.media) extra(`images and files (${p.media.items.length})`, p.media);
  out.push(`| **input** (${est}) | **${formatTokens(p.tokens.input, p.tokens.exact)}** |`);
  const limit = outputLimitField(p);
  out.push(`| output (${cell(limit ? `up to ${limit}` : p.tokens.outputFrom)}) | ${groupDigits(p.tokens.output)} |`, '');
  if (limit) out.push(`_Output: up to ${limit} ${groupDigits(p.tokens.output)} — the limit, priced as if every reply used it. Set the expected output with ${annotationHint(p)}._`, '');

  const t = p.traffic;
  if (p.cost.priced) {
    out.push('| Cost | |', '|:--|--:|');
    out.push(`| per call | ${formatUsd(p.cost.perCallUsd!)} |`);
    out.push(`| per 1,000 calls | ${formatUsd(p.cost.per1kUsd!)} |`);
    out.push(`| per day — ${groupDigits(t.callsPerDay)} calls (${cell(t.sources.callsPerDay)}) | ${formatUsd(p.cost.perDayUsd!)} |`);
    out.push(`| **per month** — ${t.daysPerMonth} days (${cell(t.sources.daysPerMonth)}) | **${formatUsd(p.cost.monthlyUsd!)}** |`);
    if (p.cost.batchMonthlyUsd !== undefined) out.push(`| per month through the batch API | ${formatUsd(p.cost.batchMonthlyUsd)} |`);
    out.push('');
    if (p.cost.prices) out.push(`Prices: $${p.cost.prices.inputUsdPerMillion}/M input, $${p.cost.prices.outputUsdPerMillion}/M output (${cell(p.cost.prices.source)}).`, '');
  } else {
    out.push(`**Unpriced:** ${cell(p.cost.unpricedReason ?? 'no price')}. Not included in totals.`, '');
  }
  const c = p.cache;
  if (c && p.cost.priced) {
    const state = c.applied ? (c.mode === 'automatic' ? 'cached automatically' : 'cached (cache_control)') : c.cacheablePrefixTokens ? (c.mode === 'explicit' ? 'not cached: no cache_control' : 'not cached') : `not cached: under the ${groupDigits(c.minTokens)}-token minimum`;
    out.push(`| Prompt caching on ${c.provider} — ${state} | |`, '|:--|--:|');
    out.push(`| stable prefix (before the first run-time value) | ${formatTokens(c.stablePrefixTokens, p.tokens.exact)} |`);
    out.push(`| cacheable | ${formatTokens(c.cacheablePrefixTokens, p.tokens.exact)} |`);
    if (c.applied && c.cachedPrefixTokens !== c.cacheablePrefixTokens) out.push(`| cached as written (up to cache_control) | ${formatTokens(c.cachedPrefixTokens, p.tokens.exact)} |`);
    out.push(`| hit rate (${cell(c.hitRateFrom)}) | ${formatPercent(c.hitRate)} |`);
    out.push(`| month without caching | ${formatUsd(c.monthlyWithoutCacheUsd)} |`);
    out.push(`| month with the prefix cached | ${formatUsd(c.monthlyWithCacheUsd)} |`);
    if (c.breaker) out.push(`| ⚠ \`${cell(c.breaker.slot)}\` breaks the cache: ${groupDigits(c.breaker.lostTokens)} more tokens cacheable if moved after the static text | ${formatUsd(c.breaker.lostMonthlyUsd)}/mo |`);
    out.push('', `_Caching rule: ${cell(c.source)}._`, '');
  }
  if (alternatives.length) {
    out.push(`| Cheaper on ${p.model.provider} (same tokens) | $/month | saving |`, '|:--|--:|--:|');
    for (const a of alternatives) out.push(`| \`${cell(a.model)}\` | ${formatUsd(a.monthlyUsd)} | ${formatUsd(a.savingUsd)} (${Math.round(a.savingShare * 100)}%) |`);
    out.push('');
  }
  for (const n of [...(p.notes ?? []), ...(p.tools?.notes ?? []), ...(p.schema?.notes ?? []), ...(p.media?.notes ?? [])]) out.push(`_${cell(n)}_`, '');
  const sources = [p.tools, p.schema, p.media].filter((x) => x && x.source !== 'estimate' && x.source !== 'none').map((x) => x!.source);
  if (sources.length) out.push(`_Sources: ${cell([...new Set(sources)].join('; '))}._`, '');
  out.push(`_Price data: ${prices.source} ${prices.version}, as of ${prices.asOf}._`);
  return out.join('\n');
}

/** The one-line inline figure: `812 tokens · $0.0031/call · $930/mo`. */
export function inlineSummary(p: PromptReport): string {
  const tokens = `${formatTokens(p.tokens.input, p.tokens.exact)} tokens`;
  if (!p.cost.priced) return `${tokens} · unpriced (${p.model.id})`;
  const base = `${tokens} · ${formatUsd(p.cost.perCallUsd!)}/call · ${formatUsd(p.cost.monthlyUsd!)}/mo`;
  const c = p.cache;
  if (!c || !c.cacheablePrefixTokens) return c?.breaker ? `${base} · cache broken: ${formatUsd(c.breaker.lostMonthlyUsd)}/mo lost` : base;
  // Cached: the tokens and the saving as priced (the breakpoint's reach), not the most caching could do.
  return c.applied
    ? `${base} · ${groupDigits(c.cachedPrefixTokens)} cached, saves ${formatUsd(Math.max(0, c.monthlyWithoutCacheUsd - p.cost.monthlyUsd!))}/mo`
    : `${base} · caching would save ${formatUsd(c.savingsMonthlyUsd)}/mo`;
}
