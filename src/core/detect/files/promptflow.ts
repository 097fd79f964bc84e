// Prompt flow DAG flows (flow.dag.yaml): each `type: llm` node (or a custom LLM tool with a prompt
// template, `source.type: package_with_prompt`) renders the Jinja file its `source.path` names and sends
// it — split into messages by `system:` / `user:` / `assistant:` lines for the chat API, as one text for
// completion. The model is the node's `deployment_name` (Azure) or `model`; `max_tokens` its output limit.
// A node with `use_variants: true` is each variant of its `node_variants` entry (a variant is a node of
// its own). A `type: prompt` node renders its Jinja file for another node (a python tool that calls a
// model) to send: the same text, whose model the flow does not name.
import { isMap, isScalar, type Node } from 'yaml';
import type { DetectedPrompt } from '../../model';
import { LineIndex } from '../../text';
import * as path from 'path';
import { fileError, get, getPath, OUTPUT_LIMIT_KEYS, firstNum, nodeRange, parseYamlAt, seqItems, str, verbatimPart, type PromptFileReader } from './common';
import { splitRoleSections } from './prompty';

const FLOW_NAME = /(^|\/)flow\.dag\.ya?ml$/;

export const promptflowReader: PromptFileReader = {
  format: 'promptflow',
  matches: (name, text) => FLOW_NAME.test(name) || (/\.ya?ml$/.test(name) && /promptflow\/[^\s]*Flow\.schema\.json/.test(text) && /^nodes\s*:/m.test(text)),
  read(text, ctx) {
    const lines = new LineIndex(text);
    const parsed = parseYamlAt(text, 0, text.length, ctx, lines);
    if (!parsed.ok) return { prompts: [], diagnostics: parsed.diagnostics };
    const y = parsed.yaml;
    const prompts: DetectedPrompt[] = [];
    const diagnostics = [];
    for (const { node, name } of flowNodes(y.root)) {
      const type = str(get(node, 'type'));
      const sourcePath = str(getPath(node, 'source', 'path'));
      const promptNode = type === 'prompt';
      if (!sourcePath || !(type === 'llm' || promptNode || str(getPath(node, 'source', 'type')) === 'package_with_prompt')) continue;
      const content = ctx.readRelative?.(sourcePath);
      const at = nodeRange(y, node as Node);
      if (content === undefined) {
        diagnostics.push({ ...fileError(ctx, at, `cannot read the prompt template ${sourcePath} of node ${name ?? '?'}; it is not counted`), severity: 'warning' as const });
        continue;
      }
      const file = path.posix.normalize(path.posix.join(path.posix.dirname(ctx.file), sourcePath.replace(/\\/g, '/')));
      const tLines = new LineIndex(content);
      const inputs = get(node, 'inputs');
      const completion = str(get(node, 'api')) === 'completion';
      const body = /\S/.test(content) ? [content.search(/\S/), content.length - (content.length - content.trimEnd().length)] : [0, 0];
      const defaultRole = promptNode && !/system/i.test(`${name ?? ''} ${sourcePath}`) ? 'user' : 'system';
      const parts = (completion ? [verbatimPart('user', content, body[0], body[1], tLines, ['mustache'])] : splitRoleSections(content, 0, tLines, defaultRole))
        .filter((p) => /\S/.test(p.text))
        .map((p) => ({ ...p, file }));
      if (!parts.length) continue;
      const model = str(get(inputs, 'deployment_name')) ?? str(get(inputs, 'model'));
      const limit = firstNum(inputs, OUTPUT_LIMIT_KEYS);
      const usable = model && !/^\$\{/.test(model) ? model : undefined;
      prompts.push({
        kind: 'promptflow', source: 'prompt-file', confidence: 'call', range: at, parts,
        model: usable ? { id: usable, from: 'file' } : undefined,
        outputTokens: limit ? { tokens: limit.value, from: `file:inputs.${limit.key}` } : undefined,
        label: name,
        notes: usable ? [] : [promptNode ? 'a prompt node: the node that sends its text names no model here, so the default model is used' : 'no model in the node: the default model is used'],
      });
    }
    return { prompts, diagnostics };
  },
};

/** The flow's nodes, a node that uses variants as each of its variants' nodes (named `node.variant`). */
function flowNodes(root: Node | null): { node: Node; name?: string }[] {
  const out: { node: Node; name?: string }[] = [];
  for (const node of seqItems(get(root, 'nodes'))) {
    if (!isMap(node)) continue;
    const name = str(get(node, 'name'));
    const useVariants = get(node, 'use_variants');
    if (name && isScalar(useVariants) && useVariants.value === true) {
      const variants = getPath(root, 'node_variants', name, 'variants');
      if (isMap(variants)) {
        for (const pair of variants.items) {
          const v = get(pair.value, 'node');
          if (isMap(v)) out.push({ node: v, name: `${name}.${isScalar(pair.key) ? String(pair.key.value) : '?'}` });
        }
      }
      continue;
    }
    out.push({ node: node as Node, name });
  }
  return out;
}

const FLOW_TEMPLATE_NAME = /\.(jinja2?|j2)$/i;
const FLOW_FILES = ['flow.dag.yaml', 'flow.dag.yml'];
/** Prose: words of letters outside the template's markup. */
const templateWords = (text: string) => text.replace(/\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}|\{#[\s\S]*?#\}/g, ' ').split(/\s+/).filter((w) => /\p{L}{2}/u.test(w)).length;

/**
 * A Jinja template in a prompt flow's folder (beside its flow.dag.yaml) that no node of the flow names: a
 * prompt kept for a variant or for a tool the flow is switched to (prompt flow renders Jinja only as
 * prompts), read as the flow reads its own, split by `system:` / `user:` lines. Found by its place, not by
 * a node: `confidence: heuristic`, and left to a prompt of code that reads it (workspace foundElsewhere).
 */
export const flowTemplateReader: PromptFileReader = {
  format: 'promptflow',
  byPlace: true,
  matches: (name, text) => FLOW_TEMPLATE_NAME.test(name) && !/\{\{#message\s|<message\s+role=/.test(text),
  read(text, ctx) {
    const flow = FLOW_FILES.map((f) => ctx.readRelative?.(f)).find((t) => t !== undefined);
    const base = ctx.file.slice(ctx.file.lastIndexOf('/') + 1);
    // a template a node names is read with that node (its model, its output limit)
    if (flow === undefined || flow.includes(base)) return { prompts: [], diagnostics: [] };
    // markup (an HTML page the flow renders), or a line or two, is not a prompt
    if (/^\s*</.test(text) || templateWords(text) < 8) return { prompts: [], diagnostics: [] };
    const lines = new LineIndex(text);
    const parts = splitRoleSections(text, 0, lines, 'user').filter((p) => /\S/.test(p.text));
    if (!parts.length) return { prompts: [], diagnostics: [] };
    return {
      prompts: [{
        kind: 'promptflow', source: 'prompt-file', confidence: 'heuristic', range: lines.range(0, text.length), parts,
        notes: ['a Jinja template in a prompt flow\'s folder that no node of the flow names (a variant\'s prompt): the default model is used'],
      }],
      diagnostics: [],
    };
  },
};
