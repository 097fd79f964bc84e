// Chat formatting overhead, by OpenAI's published formula (openai-cookbook,
// examples/How_to_count_tokens_with_tiktoken.ipynb, num_tokens_from_messages): every message costs
// 3 tokens plus its role, content and name encoded; a name costs 1 more; the reply is primed with 3.
import { countWithEncoding, type EncodingName } from './encodings';

export const TOKENS_PER_MESSAGE = 3;
export const TOKENS_PER_NAME = 1;
export const REPLY_PRIMING_TOKENS = 3;

export interface ChatMessageLike { role: string; content: string; name?: string }

/** How a text is counted: tiktoken directly, or through a memoizing TokenCounter. */
export type CountFn = (text: string, encoding: EncodingName) => number;

/** Overhead only: everything the formula adds beyond the messages' content. */
export function chatOverheadTokens(messages: readonly { role: string; name?: string }[], encoding: EncodingName, count: CountFn = countWithEncoding): number {
  if (messages.length === 0) return 0;
  let tokens = REPLY_PRIMING_TOKENS;
  for (const m of messages) tokens += messageOverheadTokens(m, encoding, count);
  return tokens;
}

/** One message's share of the overhead (without the reply priming). */
export function messageOverheadTokens(m: { role: string; name?: string }, encoding: EncodingName, count: CountFn = countWithEncoding): number {
  return TOKENS_PER_MESSAGE + count(m.role, encoding) + (m.name !== undefined ? TOKENS_PER_NAME + count(m.name, encoding) : 0);
}

/** The cookbook's num_tokens_from_messages: content plus overhead. */
export function chatTokens(messages: readonly ChatMessageLike[], encoding: EncodingName): number {
  let content = 0;
  for (const m of messages) content += countWithEncoding(m.content, encoding);
  return content + chatOverheadTokens(messages, encoding);
}
