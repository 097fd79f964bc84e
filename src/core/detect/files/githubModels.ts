// GitHub Models prompt files (.prompt.yml / .prompt.yaml, or any YAML with `messages` + `model`):
//   model: openai/gpt-4o-mini
//   modelParameters: { max_tokens | maxTokens | max_completion_tokens }
//   messages: [{ role, content }], testData: [{ var: value }] — test cases, not traffic: the file is one
//   prompt, its slots sized from the rows' values
import { isAlias, isMap, isSeq } from 'yaml';
import type { Diagnostic, PromptPart } from '../../model';
import { LineIndex } from '../../text';
import { fillPlaceholderParts, withoutInlined, firstNum, get, nodeRange, normaliseRole, OUTPUT_LIMIT_KEYS, parseYamlAt, samplesFrom, fileError, seqItems, str, stringVars, typicalSamples, yamlPart, type ParsedYaml, type PromptFileReader, type ReadContext } from './common';

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
  const cases = seqItems(testData);
  // testData rows are test cases (`gh models eval` makes one call per row), not traffic: the file is one
  // prompt. With one row, a message that is only `{{input}}` sends that row's value, which is then its
  // text, where the row writes it; with several, each slot is sized from a typical row (samples below).
  if (cases.length === 1) {
    const inlined = new Set<string>();
    const filled = fillPlaceholderParts(parts, stringVars(cases[0]), y, inlined);
    if (filled) return { prompts: [{ ...base, parts: filled, slotSamples: withoutInlined(samples, inlined) }], diagnostics };
  }
  if (cases.length > 1) return { prompts: [{ ...base, slotSamples: typicalSamples(cases.map((row, i) => samplesFrom(row, `testData row ${i + 1}`)), 'rows') }], diagnostics };
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
