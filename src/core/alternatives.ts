// Cheaper models for a prompt among a given list, closest first: the arithmetic of the routing what-if
// (routing.ts supplies the provider's models from the database; the report panel, its price table).
import { computeCost } from './prices/cost';
import type { ModelPricing } from './prices/lookup';

export interface Alternative { model: string; monthlyUsd: number; savingUsd: number; savingShare: number }

/** The reporting shape `rankAlternatives` needs: the report panel passes its own rows. */
export interface RoutablePrompt {
  cost: { monthlyUsd?: number };
  tokens: { input: number; output: number };
  traffic: { callsPerDay: number; daysPerMonth: number };
}

/**
 * Cheaper models among `list` for a priced prompt, closest first. Pure (no database): the report
 * panel's webview bundles it and passes the price table the host sent.
 */
export function rankAlternatives(report: RoutablePrompt, list: readonly { id: string; price: ModelPricing }[], currentModel?: string): Alternative[] {
  const current = report.cost.monthlyUsd ?? 0;
  const options: Alternative[] = [];
  const ids = new Set(list.map((m) => m.id));
  const fromReasoning = currentModel !== undefined && isReasoningModel(currentModel);
  for (const { id, price } of list) {
    if (!offerable(id, ids)) continue;
    // a reasoning model bills its hidden reasoning as output: at the same visible tokens it only looks cheaper
    if (!fromReasoning && isReasoningModel(id)) continue;
    if (price.contextWindow && price.contextWindow < report.tokens.input + report.tokens.output) continue;
    const cost = computeCost(price, { inputTokens: report.tokens.input, outputTokens: report.tokens.output }, { callsPerDay: report.traffic.callsPerDay, daysPerMonth: report.traffic.daysPerMonth });
    const monthly = cost.monthlyUsd ?? Infinity;
    if (monthly > current * 0.9 || monthly <= 0) continue; // under 10% is not worth a switch
    options.push({ model: id, monthlyUsd: monthly, savingUsd: current - monthly, savingShare: current ? (current - monthly) / current : 0 });
  }
  // The closest cheaper models first: the most likely drop-in replacements.
  return options.sort((a, b) => b.monthlyUsd - a.monthlyUsd);
}

/**
 * OpenAI's reasoning models — the o-series and GPT-5 (not `gpt-5-chat`) — and DeepSeek's reasoner: their
 * output includes reasoning tokens the answer never shows (OpenAI "Reasoning models": "reasoning tokens …
 * are billed as output tokens"; GPT-5 is a reasoning model), so a prompt's visible output understates them.
 */
export function isReasoningModel(id: string): boolean {
  const name = id.replace(/^.*\//, '').toLowerCase();
  return /^o\d(-|$)/.test(name) || (/^gpt-5(\.\d+)?(-|$)/.test(name) && !/-chat/.test(name)) || /reasoner/.test(name);
}

/**
 * A model worth offering: not a fine-tune's price row (`gpt-4o-mini-2024-07-18.ft-`), and not a dated
 * snapshot (`gpt-3.5-turbo-0613`, `claude-3-haiku-20240307`) whose undated name is in the list too.
 */
function offerable(id: string, ids: ReadonlySet<string>): boolean {
  if (/(^|[.:-])ft([.:-]|$)/.test(id)) return false;
  const undated = id.replace(/-(\d{4}|\d{8}|\d{4}-\d{2}-\d{2})$/, '');
  return undated === id || !ids.has(undated);
}

/** Size tiers within a model family, largest first: a smaller tier of the same name and version is the natural downgrade. */
const TIER_LADDERS: readonly (readonly string[])[] = [['opus', 'sonnet', 'haiku'], ['pro', 'flash', 'flash-lite'], ['large', 'medium', 'small']];
/** OpenAI-style size suffixes, largest (none) first: gpt-4o → gpt-4o-mini, gpt-4.1 → gpt-4.1-nano. */
const SUFFIX_TIERS = ['', 'mini', 'nano'];

/**
 * The same family's smaller tiers of `model` (names that may exist; the caller checks), nearest tier
 * first: gpt-4o → gpt-4o-mini, gpt-4o-nano; claude-sonnet-4-5 → claude-haiku-4-5; gemini-2.5-pro →
 * gemini-2.5-flash, gemini-2.5-flash-lite; mistral-large-latest → mistral-medium-latest, ….
 */
export function smallerTiers(model: string): string[] {
  const out: string[] = [];
  for (const ladder of TIER_LADDERS) {
    // The longest tier word that appears as a whole dash-separated piece (flash-lite before flash).
    const found = [...ladder].map((word, rank) => ({ word, rank })).sort((a, b) => b.word.length - a.word.length)
      .find(({ word }) => new RegExp(`(^|-)${word}(-|$)`).test(model));
    if (!found) continue;
    for (const smaller of ladder.slice(found.rank + 1)) out.push(model.replace(new RegExp(`(^|-)${found.word}(?=-|$)`), `$1${smaller}`));
    return out;
  }
  const m = /^(.*?)(?:-(mini|nano))?$/.exec(model)!;
  const rank = SUFFIX_TIERS.indexOf(m[2] ?? '');
  for (const tier of SUFFIX_TIERS.slice(rank + 1)) out.push(`${m[1]}-${tier}`);
  return out;
}

/**
 * Up to `max` of `ranked` (rankAlternatives' order, closest first) for a prompt on `model`: the closest
 * ones, and always the same family's smaller tier when it is cheaper (gpt-4o-mini for gpt-4o: many models
 * sit between them in price, and it is the downgrade a user tries first), in the same order.
 */
export function pickAlternatives(ranked: readonly Alternative[], model: string, max: number): Alternative[] {
  const tiers = smallerTiers(model);
  const tierOf = (id: string) => tiers.findIndex((t) => id === t || id === `${t}-latest`);
  const downgrades = ranked.filter((a) => tierOf(a.model) >= 0).sort((a, b) => tierOf(a.model) - tierOf(b.model)).slice(0, Math.min(2, max));
  const picked = new Set(downgrades);
  for (const a of ranked) if (picked.size < max) picked.add(a);
  return ranked.filter((a) => picked.has(a));
}
