// Prompty (.prompty): YAML frontmatter + a Jinja body split into messages by `system:` / `user:` lines.
// v1 frontmatter: model.configuration (azure_deployment | name | model) and model.parameters.max_tokens,
// sample: {var: value}. v2: model.id, model.provider, model.options (maxOutputTokens …), inputs.*.sample.
import { isMap, isScalar } from 'yaml';
import type { DetectedPrompt, PromptPart } from '../../model';
import { LineIndex } from '../../text';
import { skipLeadingTemplateComments, stripTemplateControl } from '../slots';
import { firstNum, get, getPath, nodeRange, OUTPUT_LIMIT_KEYS, parseYamlAt, samplesFrom, splitFrontmatter, str, verbatimPart, normaliseRole, fileError, type PromptFileReader } from './common';
import { setOwn } from '../../own';

/** Blank lines before the opening `---` (the Prompty runtime accepts them). */
const LEADING_BLANKS = /\s*/y;
// `\r` allowed before the line end: `$` (multiline) matches only before `\n`, and CRLF files are common.
const ROLE_LINE = /^[ \t]*#?[ \t]*(system|user|assistant|developer|human|ai)[ \t]*:[ \t\r]*$/gim;

export function splitRoleSections(text: string, bodyStart: number, lines: LineIndex, defaultRole: 'system' | 'user'): PromptPart[] {
  const body = text.slice(bodyStart);
  const markers = [...body.matchAll(ROLE_LINE)];
  const parts: PromptPart[] = [];
  const push = (role: string, s: number, e: number) => {
    // trim blank lines around the section, keeping offsets exact
    s = skipLeadingTemplateComments(text, s, e);
    while (e > s && /\s/.test(text[e - 1])) e--;
    // a section of nothing but comments or control markup sends nothing: no part
    if (e > s && /\S/.test(stripTemplateControl(text.slice(s, e)))) parts.push(verbatimPart(normaliseRole(role, defaultRole), text, s, e, lines, ['mustache']));
  };
  if (markers.length === 0) {
    push(defaultRole, bodyStart, text.length);
    return parts;
  }
  push(defaultRole, bodyStart, bodyStart + (markers[0].index ?? 0));
  markers.forEach((m, i) => {
    const start = bodyStart + (m.index ?? 0) + m[0].length;
    const end = i + 1 < markers.length ? bodyStart + (markers[i + 1].index ?? 0) : text.length;
    push(m[1], start, end);
  });
  return parts;
}

export const promptyReader: PromptFileReader = {
  format: 'prompty',
  matches: (name) => name.endsWith('.prompty'),
  read(text, ctx) {
    const lines = new LineIndex(text);
    const fm = splitFrontmatter(text, LEADING_BLANKS);
    if (!fm) {
      return { prompts: [], diagnostics: [fileError(ctx, lines.range(0, Math.min(text.length, 3)), 'a .prompty file starts with a --- YAML frontmatter block closed by ---')] };
    }
    const parsed = parseYamlAt(text, fm.yamlStart, fm.yamlEnd, ctx, lines);
    if (!parsed.ok) return { prompts: [], diagnostics: parsed.diagnostics };
    const y = parsed.yaml;
    const model = get(y.root, 'model');
    const notes: string[] = [];

    // v2: model.id (+ provider); v1: model.configuration.{azure_deployment|name|model}; a bare string also occurs.
    const idNode = [get(model, 'id'), getPath(model, 'configuration', 'azure_deployment'), getPath(model, 'configuration', 'name'), getPath(model, 'configuration', 'model'), isScalar(model) ? model : undefined]
      .find((n) => str(n) !== undefined);
    let modelId = str(idNode);
    const providerHint = str(get(model, 'provider')) ?? str(getPath(model, 'configuration', 'type'));
    if (modelId && providerHint && /ollama/i.test(providerHint) && !modelId.includes('/')) modelId = `ollama/${modelId}`;
    // `${env:AZURE_OPENAI_DEPLOYMENT}`: the deployment is chosen at run time, not a model id.
    if (modelId && /^\$\{/.test(modelId)) {
      notes.push(`the model is ${modelId}, set at run time: the default model is used`);
      modelId = undefined;
    }
    const limit = firstNum(get(model, 'options'), OUTPUT_LIMIT_KEYS) ?? firstNum(get(model, 'parameters'), OUTPUT_LIMIT_KEYS);

    const samples = samplesFrom(get(y.root, 'sample'), 'sample');
    const inputs = get(y.root, 'inputs');
    if (isMap(inputs)) {
      for (const pair of inputs.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
        const sample = str(get(pair.value, 'sample')) ?? str(get(pair.value, 'default'));
        if (key && sample !== undefined) setOwn(samples, key, { text: sample, from: 'sample' });
      }
    }

    const parts = splitRoleSections(text, fm.bodyStart, lines, 'system');
    if (!modelId && !notes.length) notes.push('no model in the frontmatter: the default model is used');
    const prompt: DetectedPrompt = {
      kind: 'prompty', source: 'prompt-file', confidence: 'call',
      range: lines.range(0, text.length), parts,
      model: modelId ? { id: modelId, from: 'file', range: nodeRange(y, idNode) } : undefined,
      outputTokens: limit ? { tokens: limit.value, from: `file:${limit.key}` } : undefined,
      slotSamples: samples, notes,
    };
    return { prompts: parts.length ? [prompt] : [], diagnostics: [] };
  },
};
