// Tokens of what a call sends besides its messages: tool definitions (tools.ts), the structured-output
// schema, and images / PDFs / audio in the messages (images.ts). Each is an ExtraReport: its items, the
// method and its source, exact or an estimate.
import type { DetectedMedia, DetectedPrompt, DetectedSchema, ExtraReport } from '../model';
import type { EncodingName } from './encodings';
import { anthropicImageTokens, ANTHROPIC_IMAGE_SOURCE, DEFAULT_IMAGE_SIZE, geminiImageTokens, GEMINI_IMAGE_SOURCE, openaiImageTokens, OPENAI_IMAGE_SOURCE } from './images';
import type { TokenizerChoice } from './resolve';
import { countTools } from './tools';

/** Tokens assumed for a schema that cannot be read statically (a small object of a few fields). */
export const DEFAULT_SCHEMA_TOKENS = 150;

export interface ExtrasInputs {
  model: string;
  choice: TokenizerChoice;
  count: (text: string, encoding: EncodingName) => number;
  scaled: (tokens: number, choice: TokenizerChoice) => number;
  /** The size assumed for images whose size is not known, and where it was set. */
  imageSize?: { width: number; height: number; from: string };
}

export interface RequestExtras { tools?: ExtraReport; schema?: ExtraReport; media?: ExtraReport }

export function countSchema(s: DetectedSchema, i: ExtrasInputs): ExtraReport {
  const name = s.name ?? s.form;
  const where = { ...(s.unresolved?.file ? { file: s.unresolved.file } : {}), ...(s.unresolved?.range ?? s.range ? { range: s.unresolved?.range ?? s.range } : {}) };
  if (s.unresolved) {
    return {
      tokens: DEFAULT_SCHEMA_TOKENS, exact: false, method: `${s.form}: not readable statically, ${DEFAULT_SCHEMA_TOKENS} tokens assumed`, source: 'estimate',
      items: [{ name, tokens: DEFAULT_SCHEMA_TOKENS, exact: false, ...where, note: `${s.unresolved.reason}: ${DEFAULT_SCHEMA_TOKENS} tokens assumed` }],
    };
  }
  const text = s.schema ? JSON.stringify(s.schema) : '';
  const tokens = text ? i.scaled(i.count(text, i.choice.encoding), i.choice) : 0;
  return {
    tokens, exact: false,
    method: `${s.form}: the schema's JSON, counted with ${i.choice.encoding} (estimate: providers do not publish how a schema is rendered into the prompt)`,
    source: 'estimate', items: [{ name, tokens, exact: false, ...where }],
  };
}

function imageTokens(m: DetectedMedia, i: ExtrasInputs): { tokens: number; exact: boolean; note: string; source: string } {
  const size = m.width && m.height ? { width: m.width, height: m.height, from: 'code' } : i.imageSize ?? { ...DEFAULT_IMAGE_SIZE, from: 'default' };
  const assumed = size.from === 'code' ? `${size.width}×${size.height}` : `size not known statically: ${size.width}×${size.height} assumed (${size.from}; set images.width/height in .promptcost.yaml)`;
  if (i.choice.family === 'openai') {
    if (m.detail === 'low') return { tokens: openaiImageTokens(0, 0, 'low', i.model), exact: true, note: 'detail low: a flat rate', source: OPENAI_IMAGE_SOURCE };
    return { tokens: openaiImageTokens(size.width, size.height, m.detail, i.model), exact: size.from === 'code', note: `detail ${m.detail ?? 'auto (counted as high)'}, ${assumed}`, source: OPENAI_IMAGE_SOURCE };
  }
  if (i.choice.family === 'claude') return { tokens: anthropicImageTokens(size.width, size.height, i.model), exact: false, note: assumed, source: ANTHROPIC_IMAGE_SOURCE };
  if (i.choice.family === 'gemini') return { tokens: geminiImageTokens(size.width, size.height), exact: false, note: assumed, source: GEMINI_IMAGE_SOURCE };
  return { tokens: openaiImageTokens(size.width, size.height, m.detail), exact: false, note: `${assumed}; OpenAI's tile rule as an estimate for this provider`, source: OPENAI_IMAGE_SOURCE };
}

export function countMedia(media: DetectedMedia[], i: ExtrasInputs): ExtraReport {
  const items: ExtraReport['items'] = [];
  const sources = new Set<string>();
  const notCounted: string[] = [];
  for (const m of media) {
    if (m.kind === 'image') {
      const t = imageTokens(m, i);
      sources.add(t.source);
      items.push({ name: 'image', tokens: t.tokens, exact: t.exact, ...(m.range ? { range: m.range } : {}), note: t.note });
    } else {
      notCounted.push(m.kind === 'pdf' ? 'PDF' : m.kind);
      items.push({ name: m.kind === 'pdf' ? 'PDF' : m.kind, tokens: 0, exact: false, ...(m.range ? { range: m.range } : {}), note: 'not counted: its size depends on the content sent at run time' });
    }
  }
  const tokens = items.reduce((s, x) => s + x.tokens, 0);
  return {
    tokens, exact: items.every((x) => x.exact), method: 'per image by the provider\'s rule', source: [...sources].join('; ') || 'none',
    items, ...(notCounted.length ? { notes: [`${notCounted.join(', ')} in the messages: not counted (pages and seconds are only known at run time)`] } : {}),
  };
}

/** Everything besides the messages that a detected call sends, counted for `model`. */
export function countRequestExtras(d: DetectedPrompt, i: ExtrasInputs): RequestExtras {
  const out: RequestExtras = {};
  if (d.tools && (d.tools.definitions.length || d.tools.unresolved.length || d.tools.builtIn.length)) out.tools = countTools({ tools: d.tools, model: i.model, choice: i.choice, count: i.count, scaled: i.scaled });
  if (d.schema) out.schema = countSchema(d.schema, i);
  if (d.media?.length) out.media = countMedia(d.media, i);
  return out;
}
