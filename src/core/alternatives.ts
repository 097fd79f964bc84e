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
export function rankAlternatives(report: RoutablePrompt, list: readonly { id: string; price: ModelPricing }[]): Alternative[] {
  const current = report.cost.monthlyUsd ?? 0;
  const options: Alternative[] = [];
  for (const { id, price } of list) {
    if (price.contextWindow && price.contextWindow < report.tokens.input + report.tokens.output) continue;
    const cost = computeCost(price, { inputTokens: report.tokens.input, outputTokens: report.tokens.output }, { callsPerDay: report.traffic.callsPerDay, daysPerMonth: report.traffic.daysPerMonth });
    const monthly = cost.monthlyUsd ?? Infinity;
    if (monthly > current * 0.9 || monthly <= 0) continue; // under 10% is not worth a switch
    options.push({ model: id, monthlyUsd: monthly, savingUsd: current - monthly, savingShare: current ? (current - monthly) / current : 0 });
  }
  // The closest cheaper models first: the most likely drop-in replacements.
  return options.sort((a, b) => b.monthlyUsd - a.monthlyUsd);
}
