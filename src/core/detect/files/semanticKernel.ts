// Semantic Kernel prompt YAML: `template` (+ template_format: semantic-kernel | handlebars | jinja2),
// `input_variables` (name, default), `execution_settings` keyed by service id (model_id, max_tokens).
// Chat templates mark messages with <message role="system">…</message>.
import { isMap, isScalar, type Node } from 'yaml';
import type { DetectedPrompt, PromptPart } from '../../model';
import { LineIndex } from '../../text';
import type { SlotSyntax } from '../slots';
import { firstNum, get, nodeRange, normaliseRole, OUTPUT_LIMIT_KEYS, parseYamlAt, seqItems, str, yamlPart, type PromptFileReader } from './common';
import { setOwn } from '../../own';

export function looksLikeSemanticKernel(text: string): boolean {
  return /^template\s*:/m.test(text) && /^(execution_settings|input_variables|template_format)\s*:/m.test(text);
}

const MESSAGE = /<message\s+role=["'](\w+)["']\s*>([\s\S]*?)<\/message>/g;

export const semanticKernelReader: PromptFileReader = {
  format: 'semantic-kernel',
  matches: (name, text) => /\.ya?ml$/.test(name) && looksLikeSemanticKernel(text),
  read(text, ctx) {
    const parsed = parseYamlAt(text, 0, text.length, ctx, new LineIndex(text));
    if (!parsed.ok) return { prompts: [], diagnostics: parsed.diagnostics };
    const y = parsed.yaml;
    const template = get(y.root, 'template');
    const body = str(template);
    if (!template || body === undefined) return { prompts: [], diagnostics: [] };
    const format = (str(get(y.root, 'template_format')) ?? 'semantic-kernel').toLowerCase();
    const syntaxes: SlotSyntax[] = format === 'semantic-kernel' ? ['sk'] : ['mustache'];

    // execution_settings: { default: {...}, gpt-4o: { model_id: gpt-4o, max_tokens: 500 } }
    let modelId: string | undefined;
    let limit: { value: number; key: string } | undefined;
    const settings = get(y.root, 'execution_settings');
    if (isMap(settings)) {
      for (const pair of settings.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : '';
        const s = pair.value as Node;
        modelId ??= str(get(s, 'model_id')) ?? str(get(s, 'ai_model_id')) ?? (key && key !== 'default' ? key : undefined);
        limit ??= firstNum(s, OUTPUT_LIMIT_KEYS);
      }
    }
    const samples: Record<string, { text: string; from: string }> = {};
    for (const v of seqItems(get(y.root, 'input_variables'))) {
      const name = str(get(v, 'name'));
      const def = str(get(v, 'default'));
      if (name && def !== undefined) setOwn(samples, name, { text: def, from: 'input_variables.default' });
    }

    const whole = yamlPart('user', y, template, syntaxes);
    const messages = [...body.matchAll(MESSAGE)];
    const parts: PromptPart[] = messages.length === 0 ? [whole]
      : messages.map((m) => ({ ...yamlPart(normaliseRole(m[1]), y, template, syntaxes), text: m[2].trim(), slots: whole.slots.filter((s) => m[2].includes(`${s.name}`)) }));
    const prompt: DetectedPrompt = {
      kind: 'semantic-kernel', source: 'prompt-file', confidence: 'call', range: nodeRange(y, template), parts,
      model: modelId ? { id: modelId, from: 'file' } : undefined,
      outputTokens: limit ? { tokens: limit.value, from: `file:execution_settings.${limit.key}` } : undefined,
      slotSamples: samples,
      notes: modelId ? [] : ['no model_id in execution_settings: the default model is used'],
    };
    return { prompts: [prompt], diagnostics: [] };
  },
};
