// The model a prompt is priced with when its code names none that can be known statically. A call of a
// known SDK gets its provider's default (never another provider's model, so never another provider's
// tokenizer or price); a prompt with no provider at all gets the workspace default (`defaults.model`).
import type { Origin } from '../model';
import { providerOfModel } from './ids';
import { own } from '../own';

/**
 * Built-in defaults per provider: each provider's mainstream general-purpose model in the bundled price
 * data, as its own docs suggest starting with (OpenAI "Models" page: gpt-4o-mini as the small default
 * model; Anthropic "Choosing a model": Claude Sonnet as the balanced default; Google "Gemini models":
 * Gemini 2.5 Flash as the price-performance default). Overridden by `defaults.models` in .promptcost.yaml
 * or the `promptCost.defaultModels.*` settings.
 */
export const PROVIDER_DEFAULT_MODELS: Readonly<Record<string, string>> = {
  openai: 'gpt-4o-mini',
  anthropic: 'claude-sonnet-4-5',
  google: 'gemini-2.5-flash',
};

/** Providers whose default can be configured (the keys of `defaults.models`). */
export const DEFAULT_MODEL_PROVIDERS = Object.keys(PROVIDER_DEFAULT_MODELS) as readonly string[];

/** The SDK family a detected prompt's kind (`anthropic.messages`, `google.generateContent`) belongs to. */
export function providerOfKind(kind: string): string | undefined {
  const family = kind.split('.')[0];
  if (family === 'openai' || family === 'anthropic' || family === 'google') return family;
  return undefined;
}

export interface SourcedModel { value: string; from: Origin }

/**
 * The default model for a prompt of `provider`: the config's `defaults.models`, then the setting, then a
 * workspace-wide default that is of the same provider, then the built-in row.
 */
export function providerDefault(provider: string, layers: { config?: Record<string, SourcedModel>; settings?: Record<string, SourcedModel>; workspace: (SourcedModel | undefined)[] }): SourcedModel | undefined {
  const configured = own(layers.config, provider) ?? own(layers.settings, provider);
  if (configured) return configured;
  for (const w of layers.workspace) if (w && providerOfModel(w.value) === provider) return w;
  const builtIn = own(PROVIDER_DEFAULT_MODELS, provider);
  return builtIn ? { value: builtIn, from: `default for ${provider}` } : undefined;
}

/** Said with a prompt whose model is a default: the code did not say, and how the user can. */
export function unresolvedModelNote(provider: string | undefined, model: SourcedModel): string {
  const how = provider
    ? `an annotation (\`// prompt-cost: model=…\`) on the call, or \`defaults.models.${provider}\` in .promptcost.yaml`
    : 'an annotation (`// prompt-cost: model=…`) on the call, or `defaults.model` in .promptcost.yaml';
  return `Model not resolved from the code: priced as ${model.value} (${model.from}). Set it with ${how}.`;
}
