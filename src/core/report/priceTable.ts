// The price table the report panel's what-ifs price with: each prompt's own model (custom prices
// included) and the chat models of its provider, or of every provider the database has.
import { lookupPrice, type CustomPrice, type ModelPricing } from '../prices/lookup';
import type { ScanReport } from '../model';
import { candidates } from '../routing';
import type { PriceTable } from './view';

/** genai-prices provider ids offered for a swap to another provider (the database lists no providers itself). */
export const SWAP_PROVIDERS = ['openai', 'anthropic', 'google', 'mistral', 'deepseek', 'x-ai', 'groq', 'together', 'fireworks', 'cohere'];

export function buildPriceTable(r: ScanReport, options: { allProviders: boolean; customPrices?: Record<string, CustomPrice> }): PriceTable {
  const models: Record<string, ModelPricing> = {};
  const byProvider: Record<string, string[]> = {};
  const providers = new Set<string>();
  for (const p of r.prompts) {
    if (!p.cost.priced || models[p.model.id]) continue;
    const price = lookupPrice(p.model.id, options.customPrices);
    if (!price.priced) continue;
    models[p.model.id] = price;
    providers.add(price.provider);
  }
  if (options.allProviders) for (const pr of SWAP_PROVIDERS) providers.add(pr);
  for (const provider of providers) {
    if (provider === 'custom') continue;
    const list = candidates(provider);
    if (!list.length) continue;
    byProvider[provider] = list.map((c) => c.id);
    for (const c of list) models[c.id] ??= c.price;
  }
  return { models, byProvider };
}
