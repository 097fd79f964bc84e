// A hook for prompt files that name a function as their prompt (promptfoo `file://prompts.py:fn`,
// `prompts.js:fn`): the text that function returns, as parts placed where its literals are written.
import type { PromptPart, Role } from '../../model';
import { PromptBuilder } from './calls';
import type { CodeProject } from './source';
import { exportedValue, followFunction, FUNCTION_NODE, newContext } from './values';

const DEFINITION = /^(function_definition|function_declaration|generator_function_declaration|method_definition)$/;

/** The parts of what `name` in `file` (root-relative) returns; undefined when it is no function or returns no text. */
export function functionReturnParts(project: CodeProject, file: string, name: string, role: Role): PromptPart[] | undefined {
  const f = project.get(file);
  if (!f) return undefined;
  const ctx = newContext(project);
  const r = exportedValue(f, name, ctx);
  if (!r || !(DEFINITION.test(r.node.type) || FUNCTION_NODE.test(r.node.type))) return undefined;
  const v = followFunction(r.file, r.node, ctx, undefined);
  if (!v) return undefined;
  const b = new PromptBuilder({ f: r.file, node: r.node, callee: '', segments: [], isNew: false, positional: [], named: new Map() }, ctx);
  b.addValue(role, v);
  return b.parts.map((p) => ({ ...p, file: p.file ?? r.file.file }));
}
