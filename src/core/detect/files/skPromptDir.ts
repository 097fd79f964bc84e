// Semantic Kernel prompt folders: `Plugins/<Plugin>/<Function>/skprompt.txt` holds the template (SK's
// `{{$input}}` variables; chat templates mark messages with <message role="system">…</message>), and
// `config.json` beside it its settings: `execution_settings` keyed by service id (model_id, max_tokens)
// in current SK, `completion` (max_tokens) in the first format, and `input_variables` (name, default) /
// `input.parameters` (name, defaultValue) for sample values. SK loads such folders by the folder, not the
// file name (ImportPluginFromPromptDirectory / add_plugin(parent_directory=…)), so the name alone counts.
// Format: https://learn.microsoft.com/semantic-kernel/concepts/prompts/ (prompt template config).
import type { DetectedPrompt, PromptPart } from '../../model';
import { LineIndex } from '../../text';
import type { SlotSyntax } from '../slots';
import { normaliseRole, verbatimPart, type PromptFileReader } from './common';
import { setOwn } from '../../own';
import { OUTPUT_LIMIT_KEYS } from '../shared';

const SK: readonly SlotSyntax[] = ['sk'];
const MESSAGE = /<message\s+role=["'](\w+)["'][^>]*>([\s\S]*?)<\/message>/g;

interface SkConfig { model?: string; maxTokens?: { value: number; key: string }; samples: Record<string, { text: string; from: string }>; error?: string }

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function readConfig(raw: string | undefined): SkConfig {
  const out: SkConfig = { samples: {} };
  if (raw === undefined) return out;
  let cfg: unknown;
  try { cfg = JSON.parse(raw); } catch (e) { return { ...out, error: `config.json beside it is not valid JSON (${(e as Error).message}); its settings are not used` }; }
  if (!isObj(cfg)) return out;
  const settings: Json[] = [];
  if (isObj(cfg.execution_settings)) {
    for (const [service, s] of Object.entries(cfg.execution_settings)) {
      if (!isObj(s)) continue;
      settings.push(s);
      const id = s.model_id ?? s.ai_model_id;
      out.model ??= typeof id === 'string' ? id : service !== 'default' ? service : undefined;
    }
  }
  if (isObj(cfg.completion)) settings.push(cfg.completion);
  for (const s of settings) {
    for (const k of OUTPUT_LIMIT_KEYS) {
      if (!out.maxTokens && typeof s[k] === 'number' && Number.isFinite(s[k])) out.maxTokens = { value: s[k] as number, key: k };
    }
  }
  const vars = Array.isArray(cfg.input_variables) ? cfg.input_variables : isObj(cfg.input) && Array.isArray(cfg.input.parameters) ? cfg.input.parameters : [];
  for (const v of vars) {
    if (!isObj(v) || typeof v.name !== 'string') continue;
    const def = v.default ?? v.defaultValue;
    if (typeof def === 'string' && def) setOwn(out.samples, v.name, { text: def, from: 'config.json' });
  }
  return out;
}

export const skPromptDirReader: PromptFileReader = {
  format: 'semantic-kernel',
  matches: (name) => /(^|\/)skprompt\.txt$/.test(name),
  read(text, ctx) {
    const lines = new LineIndex(text);
    const cfg = readConfig(ctx.readRelative?.('config.json'));
    const parts: PromptPart[] = [];
    for (const m of text.matchAll(MESSAGE)) {
      const inner = (m.index ?? 0) + m[0].indexOf('>') + 1;
      let s = inner;
      let e = inner + m[2].length;
      while (s < e && /\s/.test(text[s])) s++;
      while (e > s && /\s/.test(text[e - 1])) e--;
      if (e > s) parts.push(verbatimPart(normaliseRole(m[1]), text, s, e, lines, SK));
    }
    if (!parts.length) {
      let s = 0;
      let e = text.length;
      while (s < e && /\s/.test(text[s])) s++;
      while (e > s && /\s/.test(text[e - 1])) e--;
      if (e > s) parts.push(verbatimPart('user', text, s, e, lines, SK));
    }
    if (!parts.length) return { prompts: [], diagnostics: [] };
    const prompt: DetectedPrompt = {
      kind: 'semantic-kernel', source: 'prompt-file', confidence: 'call', range: lines.range(0, text.length), parts,
      model: cfg.model ? { id: cfg.model, from: 'file' } : undefined,
      outputTokens: cfg.maxTokens ? { tokens: cfg.maxTokens.value, from: `config.json:${cfg.maxTokens.key}` } : undefined,
      slotSamples: cfg.samples,
      notes: [
        'a Semantic Kernel prompt function (skprompt.txt; settings from config.json beside it)',
        ...(cfg.model ? [] : ['no model_id in config.json: the default model is used']),
        ...(cfg.error ? [cfg.error] : []),
      ],
    };
    return { prompts: [prompt], diagnostics: [] };
  },
};
