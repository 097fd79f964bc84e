// What the user is told before compress sends a prompt to a model: the text, the host, its tokens and
// the request's own cost. One wording for the VS Code dialog (extension/compressConsent.ts) and the
// CLI's question on the terminal.
import { formatUsd, groupDigits } from '../format';

export interface ConsentRequest {
  host: string;
  model: string;
  file: string;
  line: number;
  requestTokens: number;
  requestCostUsd?: number;
  /** The user message that would be sent (placeholders already replaced by markers). */
  sent: string;
}

export const consentMessage = (r: ConsentRequest): string => `Send this prompt to ${r.host}?`;

/** Where the text goes, for which model, and what the request costs. */
export function consentSummary(r: ConsentRequest): string {
  const cost = r.requestCostUsd !== undefined ? `about ${formatUsd(r.requestCostUsd)}` : 'an unknown amount (the model is not in the price data)';
  return `Prompt Cost will send the text of ${r.file}:${r.line} (${groupDigits(r.requestTokens)} tokens with our instructions; placeholders replaced by markers) to ${r.host} for ${r.model} to rewrite. The request costs ${cost}.`;
}

/** The text that would be sent, cut at `max` characters. */
export const consentPreview = (sent: string, max = 1200): string => (sent.length > max ? sent.slice(0, max) + '…' : sent);
