// A price rate and the rate in force for a prompt's size. Pure (no database): the cost arithmetic and
// the report panel's webview bundle use it.

/** A price in USD per million tokens, possibly tiered by the prompt's total input tokens. */
export interface PriceRate { baseUsdPerMillion: number; tiers: { aboveInputTokens: number; usdPerMillion: number }[] }

/** The rate in force for a prompt of `inputTokens` (genai-prices tiers: the last tier whose start is below it). */
export function rateAt(r: PriceRate, inputTokens: number): number {
  let usd = r.baseUsdPerMillion;
  for (const t of r.tiers) if (inputTokens > t.aboveInputTokens) usd = t.usdPerMillion;
  return usd;
}
