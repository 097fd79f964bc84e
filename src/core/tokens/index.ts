import type { TokenCount } from '../model';
import { countWithEncoding, type EncodingName } from './encodings';
import { CountMemo } from './memo';
import { resolveTokenizer, type TokenizerChoice } from './resolve';

export { resolveTokenizer, bareModelName, type TokenizerChoice } from './resolve';
export { chatOverheadTokens, chatTokens, messageOverheadTokens } from './chat';
export { countWithEncoding, loadedEncodings, type EncodingName } from './encodings';

/** A counter with its own memo; the analysis engine owns one, so no counts live in module state. */
export class TokenCounter {
  private readonly memo = new CountMemo();

  /** Raw tokens of `text` under an encoding, memoized by content. */
  encodingTokens(text: string, encoding: EncodingName): number {
    const hit = this.memo.get(encoding, text);
    if (hit !== undefined) return hit;
    const tokens = countWithEncoding(text, encoding);
    this.memo.set(encoding, text, tokens);
    return tokens;
  }

  /** Tokens of `text` for `model`: exact for OpenAI encodings, an estimate (rounded up) elsewhere. */
  count(text: string, model: string): TokenCount {
    const choice = resolveTokenizer(model);
    return { tokens: this.scaled(this.encodingTokens(text, choice.encoding), choice), encoding: choice.encoding, exact: choice.exact, model };
  }

  scaled(tokens: number, choice: TokenizerChoice): number {
    return choice.exact ? tokens : Math.ceil(tokens * choice.factor);
  }
}
