import type { DetectedPrompt } from '../../../model';
import type { CallInfo } from '../calls';
import type { SyntaxNode } from '../parser';
import type { EvalContext, ModelValue } from '../values';

export type ClientKind = 'openai' | 'anthropic' | 'google' | 'ollama' | 'litellm' | 'langchain' | 'ai-sdk' | 'openai-agents';

export interface FinderEnv {
  ctx: EvalContext;
  /** Which SDK the call's receiver comes from (`client = new Anthropic()`, `import ollama`), if known. */
  clientKind(call: CallInfo): ClientKind | undefined;
  /**
   * The provider of an OpenAI-compatible SDK's client the call is made on (`Groq()` of `groq`, `Together()`
   * of `together-ai`, `Cerebras()`): its models are that provider's, at its prices. Undefined for OpenAI's own.
   */
  clientProvider?(call: CallInfo): string | undefined;
  /** The module a local name is imported from (`'ai'`, `'@openai/agents'`, `'langchain_core.prompts'`). */
  importSource(name: string): string | undefined;
  /** The one chat model constructed in this file (LangChain prompts take their model from it). */
  fileChatModel(): ModelValue | undefined;
  /** Marks a node as part of a prompt already found (nested message constructors). */
  consume(node: SyntaxNode): void;
}

export interface Finder {
  /** The SDK family, for docs and the detection eval. */
  family: string;
  find(call: CallInfo, env: FinderEnv): DetectedPrompt | undefined;
}
