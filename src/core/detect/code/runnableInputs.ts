// Values filled into a LangChain prompt template's variables by the runnable it starts:
// `prompt.pipe(model).invoke({ pageText: page })`, `const chain = prompt.pipe(model); chain.invoke({…})`,
// `RunnableSequence.from([prompt, model]).invoke({…})`, Python `(prompt | llm).invoke({"doc": "…"})`.
// The template is reported where it is written (the LangChain finder); the text a caller writes for
// one of its variables is the user's text where that literal is written, whatever the variable is named.
import type { DetectedPrompt } from '../../model';
import { callInfo, PromptBuilder } from './calls';
import type { FinderEnv } from './finders/types';
import type { SyntaxNode } from './parser';
import { finish, type Claimed } from './shapes';
import type { CodeFile } from './source';
import { callArguments, evalTextOrUndefined, inlineText, MARKER_RE, resolveExpression } from './values';

const INVOKE_CALL = /\.(a?invoke|a?stream|a?batch)\s*\(/g;
const MADE_BY = /^(fromTemplate|from_template|fromMessages|from_messages|fromPromptMessages|from_prompt_messages)$/;
const TEMPLATE_CLASS = /^(Chat)?PromptTemplate$/;
const CHAIN_NAME = /^(self\.|this\.)?[A-Za-z_]\w*(_chain|Chain)$|^(self\.|this\.)?chain$/;
const TEXT_NODE = /^(string|template_string|concatenated_string|binary_expression|binary_operator)$/;
import { TEST_FILE } from '../shared';
export { TEST_FILE };

/** Is `n` (through names, `.pipe(…)` / `|` chains and `RunnableSequence.from([…])`) a runnable that starts at a prompt template? */
function startsAtTemplate(file: CodeFile, n: SyntaxNode | null | undefined, env: FinderEnv, depth = 0): boolean {
  if (!n || depth > 8) return false;
  // a chain by its name (`qa_chain`, `self.stage_analyzer_chain`, `summaryChain`): LangChain's chains
  // (LLMChain and the classes built on it) fill a prompt template with the input's values
  if (depth === 0 && CHAIN_NAME.test(n.text) && /langchain/.test(file.text)) return true;
  const r = resolveExpression(file, n, env.ctx);
  const f = r?.file ?? file;
  let node = r?.node ?? n;
  while (node.type === 'parenthesized_expression' && node.namedChildren[0]) node = node.namedChildren[0];
  if (node.type === 'binary_operator' && node.children[1]?.text === '|') return startsAtTemplate(f, node.childForFieldName('left'), env, depth + 1);
  if (node.type === 'new_expression') return TEMPLATE_CLASS.test(node.childForFieldName('constructor')?.text.split('.').pop() ?? '');
  if (node.type !== 'call_expression' && node.type !== 'call') return false;
  const fn = node.childForFieldName('function');
  if (!fn) return false;
  if (fn.type === 'identifier') return f.isPython && TEMPLATE_CLASS.test(fn.text);
  if (fn.type !== 'member_expression' && fn.type !== 'attribute') return false;
  const object = fn.childForFieldName('object');
  const method = fn.childForFieldName(fn.type === 'attribute' ? 'attribute' : 'property')?.text ?? '';
  if (method === 'pipe') return startsAtTemplate(f, object, env, depth + 1);
  if (MADE_BY.test(method)) return TEMPLATE_CLASS.test(object?.text.split('.').pop() ?? '');
  if (method === 'from' && /(^|\.)RunnableSequence$/.test(object?.text ?? '')) {
    const list = callArguments(node).positional[0];
    return list?.type === 'array' && startsAtTemplate(f, list.namedChildren[0], env, depth + 1);
  }
  return false;
}

export function runnableInputPrompts(f: CodeFile, env: FinderEnv, claimed: Claimed): DetectedPrompt[] {
  const out: DetectedPrompt[] = [];
  if (TEST_FILE.test(f.file)) return out;
  const root = f.tree.rootNode;
  for (const m of f.text.matchAll(INVOKE_CALL)) {
    const at = (m.index ?? 0) + 1;
    const prop = root.descendantForIndex(at, at + m[1].length);
    const fn = prop?.parent;
    const call = fn?.parent;
    if (!fn || !call || (call.type !== 'call_expression' && call.type !== 'call') || call.childForFieldName('function')?.id !== fn.id) continue;
    if (claimed(f.file, call.startIndex, call.endIndex)) continue;
    const args = callArguments(call);
    const input = args.positional[0] ?? args.named.get('input');
    const obj = input && resolveExpression(f, input, env.ctx);
    if (!obj || (obj.node.type !== 'object' && obj.node.type !== 'dictionary')) continue;
    if (!startsAtTemplate(f, fn.childForFieldName('object'), env)) continue;
    const info = callInfo(f, call, env.ctx);
    if (!info) continue;
    const b = new PromptBuilder(info, env.ctx);
    const keys: string[] = [];
    for (const p of obj.node.namedChildren) {
      if (!p) continue;
      const value = p.type === 'pair' ? p.childForFieldName('value') : p.type === 'shorthand_property_identifier' ? p : null;
      if (!value) continue;
      const r = resolveExpression(obj.file, value, env.ctx);
      if (!r) continue;
      if (TEXT_NODE.test(r.node.type)) b.addText('user', { file: obj.file, node: value });
      else {
        // `self.stage` set from `STAGES.get(key)` in another method, `"\n".join(f"{k}: {v}" for k, v in STAGES.items())`:
        // a value whose text the program writes (the texts a lookup may take, each where it is written)
        if (!/^(call|call_expression|subscript|subscript_expression|attribute|member_expression|conditional_expression|ternary_expression|boolean_operator)$/.test(r.node.type)) continue;
        const v = evalTextOrUndefined(obj.file, value, env.ctx);
        if (!v || !/\p{L}{2}/u.test(inlineText(env.ctx, v).replace(MARKER_RE, ' '))) continue;
        b.addValue('user', v);
      }
      keys.push((p.type === 'pair' ? p.childForFieldName('key')?.text : p.text)?.replace(/^["'`]|["'`]$/g, '') ?? '');
    }
    // what another layer reports already is not reported twice; a word or two alone is a value (a topic, a name)
    b.parts.splice(0, b.parts.length, ...b.parts.filter((p) => {
      const lines = p.file ? env.ctx.project.linesOf(p.file) : f.lines;
      if (lines && claimed(p.file ?? f.file, lines.offset(p.range.start), lines.offset(p.range.end))) return false;
      return p.text.split(/\s+/).filter((w) => /[a-zA-Z]{2,}/.test(w)).length >= 3 || p.text.trim().includes('\n');
    }));
    const found = finish(b, info, 'shape.argument', `\`${keys.join('`, `')}\` of \`${m[1]}(…)\` on a prompt template's runnable: values filled into its variables`, env, () => false);
    if (found) out.push(found);
  }
  return out;
}
