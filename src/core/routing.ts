// The routing what-if: the same prompt on cheaper models of the same provider. Token counts are
// reused (same provider, same tokenizer family); prices come from the same database.
import type { PromptReport } from './model';
import { pickAlternatives, rankAlternatives, type Alternative } from './alternatives';
import { lookupPrice, priceDatabase, type ModelPricing } from './prices';

export { rankAlternatives, type Alternative, type RoutablePrompt } from './alternatives';

/** Ids that are not text-generation models (embeddings, audio, images, moderation …). */
const NOT_CHAT = /embed|tts|whisper|dall-e|image|audio|realtime|transcribe|moderation|search|computer-use|codex|instruct$|^babbage|^davinci|vision-preview/i;

const computed = new WeakMap<PromptReport, Alternative[]>();

/** Up to `max` cheaper models of the prompt's provider, with its family's smaller tier (pickAlternatives); ranked once per report. */
export function cheaperAlternatives(report: PromptReport, max = 3): Alternative[] {
  let ranked = computed.get(report);
  if (!ranked) computed.set(report, (ranked = computeAlternatives(report)));
  return pickAlternatives(ranked, report.model.id, max);
}

/** A provider's priced chat models, looked up once per process (the database does not change). */
const candidatesByProvider = new Map<string, { id: string; price: ModelPricing }[]>();

/** A provider's priced chat models (what the report panel offers for a model swap). */
export function candidates(providerId: string): { id: string; price: ModelPricing }[] {
  let list = candidatesByProvider.get(providerId);
  if (list) return list;
  list = [];
  const provider = priceDatabase().findProvider({ providerId });
  const seen = new Set<string>();
  for (const m of provider?.models ?? []) {
    if (m.deprecated || NOT_CHAT.test(m.id) || seen.has(m.id)) continue;
    seen.add(m.id);
    const price = lookupPrice(m.id);
    if (price.priced && price.provider === providerId) list.push({ id: m.id, price });
  }
  candidatesByProvider.set(providerId, list);
  return list;
}

function computeAlternatives(report: PromptReport): Alternative[] {
  if (!report.cost.priced || !report.model.provider || report.model.provider === 'custom') return [];
  return rankAlternatives(report, candidates(report.model.provider), report.model.id);
}
