// GitHub Models prompt files (.prompt.yml / .prompt.yaml, or any YAML with `messages` + `model`):
//   model: openai/gpt-4o-mini
//   modelParameters: { max_tokens | maxTokens | max_completion_tokens }
//   messages: [{ role, content }], testData: [{ var: value }] — a message that is only a placeholder
//   sends each row's value, so each row is then a priced row of its own
import { isMap, isSeq } from 'yaml';
import type { PromptPart } from '../../model';
import { LineIndex } from '../../text';
import { fillPlaceholderParts, firstNum, get, nodeRange, normaliseRole, OUTPUT_LIMIT_KEYS, parseYamlAt, samplesFrom, seqItems, str, stringVars, yamlPart, type ParsedYaml, type PromptFileReader } from './common';

export function looksLikeGithubModels(text: string): boolean {
  return /^messages\s*:/m.test(text) && /^model\s*:/m.test(text);
}

export function readGithubModels(y: ParsedYaml) {
  const modelId = str(get(y.root, 'model'));
  const limit = firstNum(get(y.root, 'modelParameters'), OUTPUT_LIMIT_KEYS);
  const parts: PromptPart[] = [];
  for (const m of seqItems(get(y.root, 'messages'))) {
    const content = get(m, 'content');
    if (!content || str(content) === undefined) continue;
    parts.push(yamlPart(normaliseRole(str(get(m, 'role'))), y, content, ['mustache'], str(get(m, 'name'))));
  }
  const testData = get(y.root, 'testData');
  const samples = isSeq(testData) && isMap(testData.items[0]) ? samplesFrom(testData.items[0] as never, 'testData') : {};
  const messagesNode = get(y.root, 'messages');
  const base = {
    kind: 'github-models', source: 'prompt-file' as const, confidence: 'call' as const,
    range: nodeRange(y, messagesNode ?? (y.root as never)), parts,
    model: modelId ? { id: modelId, from: 'file' } : undefined,
    outputTokens: limit ? { tokens: limit.value, from: `file:modelParameters.${limit.key}` } : undefined,
    slotSamples: samples,
    notes: modelId ? [] : ['no model in the file: the default model is used'],
  };
  if (parts.length === 0) return { prompts: [], diagnostics: [] };
  // A message that is only `{{input}}` sends each testData row's value: one row per test case, the
  // value as that message's text (where it is written). `gh models eval` makes one call per row.
  const rows = seqItems(testData).map((item, i) => {
    const filled = fillPlaceholderParts(parts, stringVars(item), y);
    return filled && { ...base, parts: filled, range: nodeRange(y, item), label: `testData ${i + 1}`, slotSamples: samplesFrom(item, 'testData') };
  });
  if (rows.length && rows.some(Boolean)) {
    const all = rows.map((r, i) => r ?? { ...base, label: `testData ${i + 1}`, slotSamples: samplesFrom(seqItems(testData)[i], 'testData') });
    return { prompts: all.length === 1 ? [{ ...all[0], label: undefined }] : all, diagnostics: [] };
  }
  return { prompts: [base], diagnostics: [] };
}

export const githubModelsReader: PromptFileReader = {
  format: 'github-models',
  matches: (name, text) => /\.prompt\.ya?ml$/.test(name) || (/\.ya?ml$/.test(name) && looksLikeGithubModels(text)),
  read(text, ctx) {
    const parsed = parseYamlAt(text, 0, text.length, ctx, new LineIndex(text));
    if (!parsed.ok) return { prompts: [], diagnostics: parsed.diagnostics };
    return readGithubModels(parsed.yaml);
  },
};
