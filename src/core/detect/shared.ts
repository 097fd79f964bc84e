// Vocabulary both detectors share: message roles as SDKs and prompt files spell them, and the names
// an output-token limit goes by.
import type { Role } from '../model';
import { own } from '../own';

const ROLE_NAMES: Record<string, Role> = {
  system: 'system', developer: 'developer', user: 'user', human: 'user', assistant: 'assistant', ai: 'assistant', model: 'assistant', tool: 'tool', function: 'tool',
};

export function normaliseRole(raw: string | undefined, fallback: Role = 'user'): Role {
  return (raw && own(ROLE_NAMES, raw.trim().toLowerCase())) || fallback;
}

/** max_tokens and its cousins across OpenAI, Anthropic, Google, Vercel AI SDK, Ollama and Hugging Face. */
export const OUTPUT_LIMIT_KEYS = ['max_tokens', 'max_completion_tokens', 'max_output_tokens', 'maxTokens', 'maxOutputTokens', 'maxCompletionTokens', 'num_predict', 'numPredict', 'max_new_tokens'] as const;

/** A test file: its values check how the program formats them — test data, not text sent to a model. */
export const TEST_FILE = /\.(test|spec)\.[cm]?[jt]sx?$|(^|\/)(__tests__|tests?|spec)\/|(^|\/)test_[^/]*\.py$|_test\.py$/;

/**
 * A translations folder in code (`locales/`, `i18n/`, `lang/`, `translations/`): what its modules hold is
 * what the app shows, however its keys are named (`promptTemplate: "Allows the user to override …"`, a tooltip).
 */
export const TRANSLATION_PATH = /(^|\/)(locales?|i18n|l10n|translations?|lang|langs)\//;
