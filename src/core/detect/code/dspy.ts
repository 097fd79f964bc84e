// DSPy signatures: `class X(dspy.Signature)` is a prompt DSPy writes for the model — the class's
// docstring is its instructions, each `dspy.InputField(prefix=…, desc=…)` / `dspy.OutputField(…)` adds
// its prefix and description to the text sent. One prompt per signature class; the values at run time
// (the fields' contents) are not known here.
import type { DetectedPrompt, Role } from '../../model';
import { PromptBuilder } from './calls';
import type { FinderEnv } from './finders/types';
import type { SyntaxNode } from './parser';
import { finish, lastName, synthetic, type Claimed } from './shapes';
import type { CodeFile } from './source';
import { callInfo } from './calls';
import { callArguments } from './values';

const SIGNATURE_CLASS = /^[ \t]*class\s+\w+\s*\(\s*([\w.]*Signature)\s*\)\s*:/gm;
const FIELD = /^(InputField|OutputField)$/;

export function dspyPrompts(f: CodeFile, env: FinderEnv, claimed: Claimed): DetectedPrompt[] {
  if (!f.isPython || !f.text.includes('Signature')) return [];
  const out: DetectedPrompt[] = [];
  for (const m of f.text.matchAll(SIGNATURE_CLASS)) {
    const base = m[1];
    // dspy.Signature, or Signature imported from dspy
    const fromDspy = base.startsWith('dspy.') || /^dspy(\.|$)/.test(env.importSource(base.split('.')[0]) ?? '');
    if (!fromDspy) continue;
    let cls: SyntaxNode | null = f.tree.rootNode.descendantForIndex((m.index ?? 0) + m[0].indexOf('class'));
    while (cls && cls.type !== 'class_definition') cls = cls.parent;
    const body = cls?.childForFieldName('body');
    if (!cls || !body || claimed(f.file, cls.startIndex, cls.endIndex)) continue;
    const b = new PromptBuilder(synthetic(f, cls), env.ctx);
    for (const stmt of body.namedChildren) {
      if (!stmt || stmt.type !== 'expression_statement') continue;
      const e = stmt.namedChildren[0];
      if (!e) continue;
      if (e.type === 'string' && stmt === body.namedChildren.find((c) => c && c.type !== 'comment')) {
        b.addText('system', { file: f, node: e }); // the docstring: the signature's instructions
        continue;
      }
      // topic = dspy.InputField(prefix="…", desc="…")
      const value = e.type === 'assignment' ? e.childForFieldName('right') : undefined;
      if (!value || value.type !== 'call') continue;
      const field = lastName(value.childForFieldName('function')?.text ?? '');
      if (!FIELD.test(field)) continue;
      const { named } = callArguments(value);
      const role: Role = field === 'InputField' ? 'user' : 'system';
      for (const key of ['prefix', 'desc']) {
        const v = named.get(key);
        if (v && /string/.test(v.type)) b.addText(key === 'desc' ? 'system' : role, { file: f, node: v });
      }
    }
    const found = finish(b, synthetic(f, cls), 'dspy.signature', 'a `dspy.Signature` class (docstring and field prefixes)', env, () => false);
    if (found) out.push(found);
  }
  return out;
}

/** `self.gen = dspy.ChainOfThought(Sig)`, `predict = dspy.Predict("question -> answer")`: a DSPy module made. */
const MODULE_MADE = /(?<![\w.])((?:self\.)?[A-Za-z_]\w*)\s*=\s*(dspy\.)?(Predict|ChainOfThought|ChainOfThoughtWithHint|ReAct|ProgramOfThought|MultiChainComparison|Refine|BestOfN|CodeAct)\s*\(/g;

/**
 * Calls of a DSPy module: `self.gen_persona(topic=topic, examples=…)`. Each keyword argument fills one of
 * its signature's input fields, sent to the model as the user's text; text written for one is a part
 * where it is written.
 */
export function dspyModuleCallPrompts(f: CodeFile, env: FinderEnv, claimed: Claimed): DetectedPrompt[] {
  if (!f.isPython || !f.text.includes('dspy')) return [];
  const out: DetectedPrompt[] = [];
  const names = new Set<string>();
  for (const m of f.text.matchAll(MODULE_MADE)) {
    if (m[2] || /^dspy(\.|$)/.test(env.importSource(m[3]) ?? '')) names.add(m[1]);
  }
  const root = f.tree.rootNode;
  for (const name of names) {
    for (const c of f.text.matchAll(new RegExp(`(?<![\\w.])${name.replace(/\./g, '\\.')}\\s*\\(`, 'g'))) {
      const at = c.index ?? 0;
      let call: SyntaxNode | null = root.descendantForIndex(at, at + name.length);
      while (call && call.type !== 'call' && call.endIndex <= at + c[0].length + 1) call = call.parent;
      if (!call || call.type !== 'call' || call.childForFieldName('function')?.text !== name) continue;
      if (claimed(f.file, call.startIndex, call.endIndex)) continue;
      const { named } = callArguments(call);
      if (!named.size) continue;
      const info = callInfo(f, call, env.ctx) ?? synthetic(f, call);
      const b = new PromptBuilder(info, env.ctx);
      for (const v of named.values()) b.addText('user', { file: f, node: v });
      const found = finish(b, info, 'shape.argument', `keyword arguments of the DSPy module \`${name}(…)\`: its input fields`, env, () => true);
      if (found) out.push(found);
    }
  }
  return out;
}
