// What the user is told before compress sends a prompt to a model: the text, the host, its tokens and
// the request's own cost. One wording for the VS Code dialog (extension/compressConsent.ts) and the
// CLI's question on the terminal.
import { formatUsd, groupDigits } from '../format';

export interface ConsentRequest {
  host: string;
  model: string;
  file: string;
  line: number;
  /** The literal's last line, when it spans several. */
  endLine?: number;
  requestTokens: number;
  requestCostUsd?: number;
  /** The user message that would be sent (placeholders already replaced by markers). */
  sent: string;
}

export const consentMessage = (r: ConsentRequest): string => `Send this prompt to ${r.host}?`;

const lines = (r: ConsentRequest) => `${r.file}:${r.line}${r.endLine !== undefined && r.endLine > r.line ? `–${r.endLine}` : ''}`;
const sentText = (r: ConsentRequest) => `the text of ${lines(r)} (${groupDigits(r.requestTokens)} tokens with our instructions; placeholders replaced by markers) to ${r.host} for ${r.model} to rewrite`;
const costText = (r: ConsentRequest) => (r.requestCostUsd !== undefined ? `about ${formatUsd(r.requestCostUsd)}` : 'an unknown amount (the model is not in the price data)');

/** Where the text goes, for which model, and what the request costs. */
export function consentSummary(r: ConsentRequest): string {
  return `Prompt Cost will send ${sentText(r)}. The request costs ${costText(r)}.`;
}

/** The same, said as it is sent without asking (the CLI's --yes). */
export function sendingSummary(r: ConsentRequest): string {
  return `Sending ${sentText(r)} (--yes: not asked). The request costs ${costText(r)}.`;
}

/** The text that would be sent, cut at `max` characters. */
export const consentPreview = (sent: string, max = 1200): string => (sent.length > max ? sent.slice(0, max) + '…' : sent);
