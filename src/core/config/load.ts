// .promptcost.yaml → PromptCostConfig. A broken file never throws: every problem is reported with file,
// line and field, and the parts that are valid still apply (the rest falls back to the defaults).
import { isMap, isScalar, isSeq, LineCounter, type Node, type YAMLMap } from 'yaml';
import schemaJson from '../../../schemas/promptcost.schema.json';
import type { Range } from '../model';
import { validateNode, type SchemaNode, type SchemaProblem } from './validate';
import { parseYaml, unclosedQuoteAt, yamlErrorText } from '../yamlErrors';
import { emptyConfig, TRAFFIC_FIELDS, type PromptCostConfig, type SourcedTraffic } from './types';
import { setOwn } from '../own';

export const CONFIG_FILE_NAME = '.promptcost.yaml';
const schema = schemaJson as SchemaNode;

function nodeRange(node: Node | null | undefined, lines: LineCounter): Range {
  const [start, , end] = node?.range ?? [0, 0, 0];
  const s = lines.linePos(start);
  const e = lines.linePos(end);
  return { start: { line: s.line - 1, character: s.col - 1 }, end: { line: e.line - 1, character: e.col - 1 } };
}

function getNode(map: unknown, key: string): Node | undefined {
  if (!isMap(map)) return undefined;
  return (map as YAMLMap).get(key, true) as Node | undefined;
}

export function parseConfig(text: string, file = CONFIG_FILE_NAME): PromptCostConfig {
  const config = emptyConfig();
  config.file = file;
  const lines = new LineCounter();
  const doc = parseYaml(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  for (const err of doc.errors) {
    const [start, end] = unclosedQuoteAt(text, err) ?? err.pos;
    const s = lines.linePos(start);
    const e = lines.linePos(end);
    config.problems.push({
      file, field: '(yaml)',
      message: `${file}:${s.line}: YAML error: ${yamlErrorText(err.message)}`, fatal: true,
      range: { start: { line: s.line - 1, character: s.col - 1 }, end: { line: e.line - 1, character: e.col - 1 } },
    });
  }
  if (doc.errors.length > 0) return config;
  const root = doc.contents as Node | null;
  if (root === null || (isScalar(root) && root.value === null)) return config; // an empty file is fine
  // Text or a list (the wrong file named, e.g. --config /etc/passwd): nothing in it can apply, so the run
  // stops. What it holds is not repeated: the file may be anything, secrets included.
  if (!isMap(root)) {
    const range = nodeRange(root, lines);
    const got = isSeq(root) ? 'a list' : isScalar(root) ? (typeof root.value === 'string' ? 'plain text' : `a single ${typeof root.value === 'number' ? 'number' : 'value'}`) : 'something else';
    config.problems.push({
      file, field: '(root)', range, fatal: true,
      message: `${file}:${range.start.line + 1}: the config must be a mapping of fields (such as \`defaults:\`, \`overrides:\`, \`budget:\`), but the file holds ${got}`,
    });
    return config;
  }

  const problems: SchemaProblem[] = [];
  validateNode(root, schema, schema, '', problems);
  const badNodes = new Set<Node>();
  for (const p of problems) {
    if (p.node) badNodes.add(p.node);
    const range = nodeRange(p.node, lines);
    // A budget or threshold the gate cannot read would silently switch the gate off: those fail a CLI run.
    const gate = /^(budget|thresholds)(\.|$)/.test(p.path);
    config.problems.push({ file, field: p.path || '(root)', range, message: `${file}:${range.start.line + 1}: ${p.namesField ? '' : `${p.path || 'the file'} `}${p.message}`, ...(gate ? { fatal: true } : {}) });
  }

  const origin = (node: Node | undefined) => `${file}:${nodeRange(node ?? null, lines).start.line + 1}`;
  const valid = (node: Node | undefined): node is Node => node !== undefined && !badNodes.has(node) && isScalar(node);

  const readTraffic = (map: unknown): SourcedTraffic => {
    const t: SourcedTraffic = {};
    for (const field of TRAFFIC_FIELDS) {
      const n = getNode(map, field);
      if (valid(n)) (t as Record<string, unknown>)[field] = { value: (n as { value: unknown }).value, from: origin(n) };
    }
    return t;
  };

  config.defaults = readTraffic(getNode(root, 'defaults'));
  const models = getNode(getNode(root, 'defaults'), 'models');
  if (isMap(models)) {
    for (const pair of models.items) {
      const v = pair.value as Node;
      if (valid(v) && isScalar(pair.key)) (config.defaults.models ??= {})[String(pair.key.value)] = { value: String((v as { value: unknown }).value), from: origin(v) };
    }
  }

  const overrides = getNode(root, 'overrides');
  if (isSeq(overrides)) {
    for (const item of overrides.items as Node[]) {
      if (!isMap(item)) continue;
      const path = getNode(item, 'path');
      const id = getNode(item, 'id');
      const o = {
        path: valid(path) ? String((path as { value: unknown }).value) : undefined,
        id: valid(id) ? String((id as { value: unknown }).value) : undefined,
        traffic: readTraffic(item),
        from: origin(item),
      };
      if (o.path === undefined && o.id === undefined) {
        const range = nodeRange(item, lines);
        config.problems.push({ file, field: 'overrides', range, message: `${file}:${range.start.line + 1}: an override needs a path or an id to say which prompts it applies to` });
        continue;
      }
      config.overrides.push(o);
    }
  }

  const variables = getNode(root, 'variables');
  if (isMap(variables)) {
    for (const pair of variables.items) {
      const v = pair.value as Node;
      if (valid(v) && isScalar(pair.key)) setOwn(config.variables, String(pair.key.value), { tokens: (v as { value: number }).value, from: origin(v) });
    }
  }

  const prices = getNode(root, 'prices');
  if (isMap(prices)) {
    for (const pair of prices.items) {
      const p = pair.value as Node;
      if (!isMap(p) || !isScalar(pair.key)) continue;
      const num = (k: string) => {
        const n = getNode(p, k);
        return valid(n) ? ((n as { value: number }).value as number) : undefined;
      };
      const input = num('inputUsdPerMillion');
      const output = num('outputUsdPerMillion');
      if (input === undefined || output === undefined) continue; // reported by validation
      setOwn(config.prices, String(pair.key.value), {
        inputUsdPerMillion: input, outputUsdPerMillion: output,
        cachedInputUsdPerMillion: num('cachedInputUsdPerMillion'), cacheWriteUsdPerMillion: num('cacheWriteUsdPerMillion'),
        from: origin(p),
      });
    }
  }

  const monthly = getNode(getNode(root, 'budget'), 'monthlyUsd');
  if (valid(monthly)) config.budget = { monthlyUsd: (monthly as { value: number }).value, from: origin(monthly) };

  const thresholds = getNode(root, 'thresholds');
  for (const k of ['promptTokens', 'promptMonthlyUsd'] as const) {
    const n = getNode(thresholds, k);
    if (valid(n)) config.thresholds[k] = { value: (n as { value: number }).value, from: origin(n) };
  }

  const images = getNode(root, 'images');
  const width = getNode(images, 'width');
  const height = getNode(images, 'height');
  if (valid(width) || valid(height)) {
    config.images = {
      width: valid(width) ? (width as { value: number }).value : 1024, height: valid(height) ? (height as { value: number }).value : 1024,
      from: origin(valid(width) ? width : height),
    };
  }

  const deployments = getNode(root, 'deployments');
  if (isMap(deployments)) {
    for (const pair of deployments.items) {
      const v = pair.value as Node;
      if (valid(v) && isScalar(pair.key)) setOwn(config.deployments, String(pair.key.value), String((v as { value: unknown }).value));
    }
  }

  const exclude = getNode(root, 'exclude');
  if (isSeq(exclude)) for (const n of exclude.items as Node[]) if (valid(n)) config.exclude.push(String((n as { value: unknown }).value));
  const batchable = getNode(root, 'batchable');
  if (isSeq(batchable)) for (const n of batchable.items as Node[]) if (valid(n)) config.batchable.push(String((n as { value: unknown }).value));

  return config;
}
