// GitHub Models prompt files (.prompt.yml / .prompt.yaml, or any YAML with `messages` + `model`):
//   model: openai/gpt-4o-mini
//   modelParameters: { max_tokens | maxTokens | max_completion_tokens }
//   messages: [{ role, content }], testData: [{ var: value }] — a message that is only a placeholder
//   sends each row's value, so each row is then a priced row of its own
import { isAlias, isMap, isSeq } from 'yaml';
import type { Diagnostic, PromptPart } from '../../model';
import { LineIndex } from '../../text';
import { fillPlaceholderParts, withoutInlined, firstNum, get, nodeRange, normaliseRole, OUTPUT_LIMIT_KEYS, parseYamlAt, samplesFrom, fileError, seqItems, str, stringVars, yamlPart, type ParsedYaml, type PromptFileReader, type ReadContext } from './common';

export function looksLikeGithubModels(text: string): boolean {
  return /^messages\s*:/m.test(text) && /^model\s*:/m.test(text);
}

export function readGithubModels(y: ParsedYaml, ctx: ReadContext) {
  const modelId = str(get(y.root, 'model'));
  const limit = firstNum(get(y.root, 'modelParameters'), OUTPUT_LIMIT_KEYS);
  const parts: PromptPart[] = [];
  const diagnostics: Diagnostic[] = [];
  const messages = get(y.root, 'messages');
  if (messages && !isSeq(messages)) {
    // A map, a string or an alias that could not be resolved: say so rather than find nothing.
    const what = isMap(messages) ? 'a map' : isAlias(messages) ? 'an alias that does not name a list' : 'not a list';
    diagnostics.push(fileError(ctx, nodeRange(y, messages), `\`messages\` is ${what}: it must be a list of { role, content } (- role: user …); nothing in it is counted`));
  }
  for (const m of seqItems(messages)) {
    const content = get(m, 'content');
    if (!content || str(content) === undefined) {
      diagnostics.push(fileError(ctx, nodeRange(y, m), isMap(m) ? 'this message has no text `content`; it is not counted' : 'this message is not a { role, content } map; it is not counted'));
      continue;
    }
    parts.push(yamlPart(normaliseRole(str(get(m, 'role'))), y, content, ['mustache'], str(get(m, 'name'))));
  }
  const testData = get(y.root, 'testData');
  const samples = isSeq(testData) && isMap(testData.items[0]) ? samplesFrom(testData.items[0] as never, 'testData') : {};
  const messagesNode = get(y.root, 'messages');
  const base = {
    kind: 'github-models', source: 'prompt-file' as const, confidence: 'call' as const,
    range: nodeRange(y, messagesNode ?? (y.root as never)), parts,
    model: modelId ? { id: modelId, from: 'file', range: nodeRange(y, get(y.root, 'model')) } : undefined,
    outputTokens: limit ? { tokens: limit.value, from: `file:modelParameters.${limit.key}` } : undefined,
    slotSamples: samples,
    notes: modelId ? [] : ['no model in the file: the default model is used'],
  };
  if (parts.length === 0) return { prompts: [], diagnostics };
  // A message that is only `{{input}}` sends each testData row's value: one row per test case, the
  // value as that message's text (where it is written). `gh models eval` makes one call per row.
  const rows = seqItems(testData).map((item, i) => {
    const inlined = new Set<string>();
    const filled = fillPlaceholderParts(parts, stringVars(item), y, inlined);
    return filled && { ...base, parts: filled, range: nodeRange(y, item), label: `testData ${i + 1}`, slotSamples: withoutInlined(samplesFrom(item, 'testData'), inlined) };
  });
  if (rows.length && rows.some(Boolean)) {
    const all = rows.map((r, i) => r ?? { ...base, label: `testData ${i + 1}`, slotSamples: samplesFrom(seqItems(testData)[i], 'testData') });
    // One test case: the file's one prompt, placed (and named) at its messages as without testData.
    return { prompts: all.length === 1 ? [{ ...all[0], range: base.range, label: undefined }] : all, diagnostics };
  }
  return { prompts: [base], diagnostics };
}

export const githubModelsReader: PromptFileReader = {
  format: 'github-models',
  matches: (name, text) => /\.prompt\.ya?ml$/.test(name) || (/\.ya?ml$/.test(name) && looksLikeGithubModels(text)),
  read(text, ctx) {
    const parsed = parseYamlAt(text, 0, text.length, ctx, new LineIndex(text));
    if (!parsed.ok) return { prompts: [], diagnostics: parsed.diagnostics };
    return readGithubModels(parsed.yaml, ctx);
  },
};
