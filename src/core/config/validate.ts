// A small validator for the subset of JSON Schema that schemas/promptcost.schema.json uses, run over the
// YAML node tree so every problem carries its line. The schema file is the one source of the format:
// the editor's YAML support, this validator and the docs all read it.
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { editDistance } from '../editDistance';
import { own } from '../own';

export interface SchemaNode {
  type?: 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean';
  properties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
  required?: string[];
  items?: SchemaNode;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  $ref?: string;
  definitions?: Record<string, SchemaNode>;
}

/** `namesField`: the message names the field itself (else it reads after the field's path). */
export interface SchemaProblem { path: string; message: string; node: Node | null; namesField?: boolean }

/** The known name `key` is most likely a typo of (the case aside, or one or two letters off). */
function nearestKey(key: string, known: string[]): string | undefined {
  const lower = key.toLowerCase();
  return known.find((k) => k.toLowerCase() === lower)
    ?? known.map((k) => ({ k, d: editDistance(lower, k.toLowerCase(), 2) })).filter((x) => x.d <= (key.length >= 5 ? 2 : 1)).sort((a, b) => a.d - b.d)[0]?.k;
}

function deref(schema: SchemaNode, root: SchemaNode): SchemaNode {
  if (!schema.$ref) return schema;
  const name = schema.$ref.replace('#/definitions/', '');
  const target = own(root.definitions, name);
  if (!target) throw new Error(`schema: unresolved $ref ${schema.$ref}`);
  return target;
}

function describe(node: Node | null): string {
  if (node === null) return 'nothing';
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) return node.value === null ? 'nothing' : JSON.stringify(node.value);
  return 'an unsupported value';
}

export function validateNode(node: Node | null, schemaIn: SchemaNode, root: SchemaNode, path: string, out: SchemaProblem[]): void {
  const schema = deref(schemaIn, root);
  switch (schema.type) {
    case 'object': {
      if (!isMap(node)) return void out.push({ path, node, message: `must be a mapping, got ${describe(node)}` });
      const seen = new Set<string>();
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        seen.add(key);
        const childPath = path ? `${path}.${key}` : key;
        const valueNode = (pair.value ?? null) as Node | null;
        const declared = own(schema.properties, key);
        if (declared) validateNode(valueNode, declared, root, childPath, out);
        else if (typeof schema.additionalProperties === 'object') validateNode(valueNode, schema.additionalProperties, root, childPath, out);
        else if (schema.additionalProperties === false) {
          const known = Object.keys(schema.properties ?? {});
          const near = nearestKey(key, known);
          const where = path ? ` in ${path}` : '';
          const expected = known.length ? `; ${path || 'the top level'} takes ${known.join(', ')}` : '';
          out.push({ path: childPath, node: (pair.key as Node) ?? node, namesField: true, message: `unknown field "${key}"${where}${near ? ` (did you mean "${near}"?)` : ''}${expected}` });
        }
      }
      for (const r of schema.required ?? []) if (!seen.has(r)) out.push({ path, node, message: `missing required field "${r}"` });
      return;
    }
    case 'array': {
      if (!isSeq(node)) return void out.push({ path, node, message: `must be a list, got ${describe(node)}` });
      node.items.forEach((item, i) => schema.items && validateNode(item as Node, schema.items, root, `${path}[${i}]`, out));
      return;
    }
    case 'string':
      if (!isScalar(node) || typeof node.value !== 'string') out.push({ path, node, message: `must be text, got ${describe(node)}` });
      return;
    case 'boolean':
      if (!isScalar(node) || typeof node.value !== 'boolean') out.push({ path, node, message: `must be true or false, got ${describe(node)}` });
      return;
    case 'number':
    case 'integer': {
      const v = isScalar(node) ? node.value : undefined;
      if (typeof v !== 'number' || !Number.isFinite(v)) return void out.push({ path, node, message: `must be a number, got ${describe(node)}` });
      if (schema.type === 'integer' && !Number.isInteger(v)) out.push({ path, node, message: `must be a whole number, got ${v}` });
      if (schema.minimum !== undefined && v < schema.minimum) out.push({ path, node, message: `must be at least ${schema.minimum}, got ${v}` });
      if (schema.exclusiveMinimum !== undefined && v <= schema.exclusiveMinimum) out.push({ path, node, message: `must be more than ${schema.exclusiveMinimum}, got ${v}` });
      if (schema.maximum !== undefined && v > schema.maximum) out.push({ path, node, message: `must be at most ${schema.maximum}, got ${v}` });
      return;
    }
    default:
      return;
  }
}
