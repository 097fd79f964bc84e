// Prompt containers (Python): a class or module that exists to hold prompts — `class EditBlockPrompts(
// CoderPrompts)` whose attributes are read as `self.gpt_prompts.main_system`, a `prompts.py` of module
// constants and prompt-building functions. Each text constant written in its body, and each function
// defined there that returns text, is a prompt candidate whatever it is called (`main_system`,
// `files_content_prefix`, `curate_sources`); the heuristic judges each as it judges a prompt-named one
// (long enough, not SQL / HTML / error text).
import type { Role } from '../../model';
import type { SyntaxNode } from './parser';
import type { CodeFile } from './source';

export interface ContainerMember {
  /** The member's name (a constant or a function). */
  name: string;
  /** The value (an expression) or the function definition. */
  node: SyntaxNode;
  /** The dictionary key, for an entry of a dict constant. */
  key?: string;
  role: Role;
  /** Why it is a candidate, for the finding's note. */
  why: string;
}

/** A class named as a holder of prompts, or deriving from one (`CoderPrompts`, `PromptFamily`, `ReviewTemplates`). */
const CONTAINER_CLASS = /prompt|instruction|Templates\b/i;
/** A module named as a holder of prompts: prompts.py, base_prompts.py, prompt.py, templates.py, or any module in a prompts/ folder. */
const CONTAINER_MODULE = /(^|\/)prompts?\/[^/]+\.py$|(^|[/_-])prompts?\.py$|(^|[/_-])(templates|instructions)\.py$/i;

const TEXT_VALUE = /^(string|concatenated_string|binary_operator|call|parenthesized_expression|conditional_expression)$/;

function roleForName(name: string): Role {
  if (/reply|assistant|answer/i.test(name)) return 'assistant';
  if (/system|instruction|persona|role|rules|guideline|reminder/i.test(name)) return 'system';
  return 'user';
}

/** The members of one body (a module or a class block): text assignments, dict entries, functions. */
function bodyMembers(body: SyntaxNode, why: string, out: ContainerMember[]): void {
  for (const stmt of body.namedChildren) {
    if (!stmt) continue;
    if (stmt.type === 'expression_statement') {
      const a = stmt.namedChildren[0];
      if (a?.type !== 'assignment') continue;
      const left = a.childForFieldName('left');
      const right = a.childForFieldName('right');
      if (left?.type !== 'identifier' || !right) continue;
      if (right.type === 'dictionary') {
        for (const pair of right.namedChildren) {
          const v = pair?.type === 'pair' ? pair.childForFieldName('value') : undefined;
          const k = pair?.childForFieldName('key');
          if (v && TEXT_VALUE.test(v.type)) out.push({ name: left.text, node: v, key: k?.text.replace(/^[a-zA-Z]*["']+|["']+$/g, ''), role: roleForName(left.text), why });
        }
      } else if (TEXT_VALUE.test(right.type)) out.push({ name: left.text, node: right, role: roleForName(left.text), why });
      continue;
    }
    const def = stmt.type === 'decorated_definition' ? stmt.childForFieldName('definition') : stmt;
    if (def?.type !== 'function_definition') continue;
    const name = def.childForFieldName('name')?.text;
    if (name && !/^__\w+__$/.test(name)) out.push({ name, node: def, role: roleForName(name), why });
  }
}

/** The prompt candidates of `f`'s prompt containers (Python only; none when it has none). */
export function containerMembers(f: CodeFile): ContainerMember[] {
  if (!f.isPython) return [];
  const out: ContainerMember[] = [];
  const root = f.tree.rootNode;
  if (CONTAINER_MODULE.test(f.file)) bodyMembers(root, 'is written in a prompts module', out);
  // classes at module level (and in a module-level `if`/`try`): their names or their bases say prompts
  const classes: SyntaxNode[] = [];
  for (const stmt of root.namedChildren) {
    const c = stmt?.type === 'decorated_definition' ? stmt.childForFieldName('definition') : stmt;
    if (c?.type === 'class_definition') classes.push(c);
  }
  for (const c of classes) {
    const name = c.childForFieldName('name')?.text ?? '';
    const bases = c.childForFieldName('superclasses')?.text ?? '';
    if (!CONTAINER_CLASS.test(name) && !CONTAINER_CLASS.test(bases)) continue;
    const body = c.childForFieldName('body');
    if (body) bodyMembers(body, `is an attribute of the prompt class \`${name}\``, out);
  }
  return out;
}
