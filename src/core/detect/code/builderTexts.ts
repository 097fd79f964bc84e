// The prose literals written inside a function that builds a prompt (`buildSystemPromptSections`,
// `enhanceUserMessage`, `def build_review_prompt(…)`). Such a function often assembles its text in pieces
// the evaluator cannot follow to the return value — sections pushed onto a list of objects, parts joined
// from a local array, branches per model — yet a reviewer reads every sentence in it as prompt text. Each
// literal (its whole `+` chain or template) that reads as prose is a heuristic candidate of its own; what
// the function visibly hands to people (a log, an error, a label, a docstring) is not.
import type { Role } from '../../model';
import { ancestryOf, type Ancestry } from './ancestry';
import type { SyntaxNode } from './parser';
import type { CodeFile } from './source';

/**
 * A function that builds a prompt or a message by its name: `buildSystemPromptSections`,
 * `enhanceUserMessage`, `getPlannerPrompt`, `build_review_prompt`, `system_message_for`. Not one that
 * handles one (`setPrompt`, `onUserMessage`, `parse_prompt`, `send_message`).
 */
const BUILDER_NAME = /^(?!_*(?:set|on|handle|render|show|use|display|print|log|ask|read|parse|validate|save|load|fetch|delete|update|remove|edit|select|open|close|toggle|is|has|should|can|count|estimate|send|submit|run|execute|call|invoke|apply|store|cache|track|register|insert|add|append|push|copy|clear|reset|test|mock|check|stream|process|receive|post|emit|dispatch|format_?output|extract)(?:[A-Z_]|$))[A-Za-z_$][\w$]*?(?:[Pp]rompt|PROMPT|[Ii]nstructions?|(?:[Ss]ystem|[Uu]ser|[Hh]uman)_?[Mm]essage)(?:[A-Z_]\w*|s)?$/;
/**
 * A function that builds the message a program sends back to a model to have it redo its answer
 * (`format_output_revision_message`, `buildRetryMessage`, `correction_message`): its prose is for the model.
 */
const REVISION_NAME = /^[A-Za-z_$][\w$]*?(?:[Rr]evision|[Rr]evise|[Rr]etry|[Cc]orrection)_?[Mm]essage$/;
const TS_FUNCTION = /^(function_declaration|generator_function_declaration|method_definition|arrow_function|function_expression|function)$/;
/** Calls whose argument is read by people or code, not a model. */
const PEOPLE_CALL = /(^|\.)(log|info|debug|warn|warning|error|trace|fatal|print|println|write|alert|confirm|toast|notify|note|intro|outro|cancel|echo|say|display|show\w*|setStatus|t|\$t|i18n|gettext|_|translate|formatMessage|includes|startsWith|endsWith|indexOf|match|test|search|split|replace|replaceAll|querySelector|getElementById|getAttribute|get|has|require|import|Error|\w*Error|\w*Exception|raise|assert|expect|exit|setFailed|\w*Failed|fail\w*|abort|die)$/;
/** Keys whose values are for people or code: ids, labels, sources, descriptions. */
const PEOPLE_KEY = /^(id|key|name|type|label|title|subtitle|heading|caption|description|desc|placeholder|tooltip|hint|help|source|path|file|url|icon|error|errorMessage|warning|notice|toast|version|model)$/i;
const TEXT = /^(string|template_string)$/;
/** Where a function named for a prompt or a message may be declared (its name in group 1). */
const TS_SITE = /(?<![\w$.])(?:async\s+)?(?:get\s+)?([A-Za-z_$][\w$]*(?:[Pp]rompt|PROMPT|[Ii]nstructions?|[Mm]essage)[\w$]*)\s*(?:[(<]|:\s*[A-Za-z_$][\w$.]*(?:<[^=\n]{0,80}>)?\s*=\s*(?:async\b|function\b|\()|[:=]\s*(?:async\b|function\b|\(|[A-Za-z_$][\w$]*\s*=>))/g;
const PY_SITE = /(?<![\w.])def\s+([A-Za-z_]\w*(?:prompt|PROMPT|Prompt|instructions?|_message|Message)\w*)\s*\(/g;

/** Words of plain prose: letters, maybe bracketed or punctuated, no markup or identifiers. */
function proseWords(text: string): number {
  return text.split(/\s+/).filter((w) => /^[(["'`*#-]*\p{L}[\p{L}'’-]*[.,:;!?)\]"'`*]*$/u.test(w)).length;
}

function functionName(up: Ancestry, fn: SyntaxNode): string | undefined {
  const own = fn.childForFieldName('name')?.text;
  if (own) return own;
  const p = up.parent(fn);
  if (p?.type === 'variable_declarator' || p?.type === 'public_field_definition') return p.childForFieldName('name')?.text;
  if (p?.type === 'pair') return p.childForFieldName('key')?.text.replace(/^["'`]|["'`]$/g, '');
  return undefined;
}

/** The outermost expression a literal is part of: `+` chains, parentheses, a template it sits in, Python implicit concatenation. */
function textRoot(up: Ancestry, n: SyntaxNode): SyntaxNode {
  let top = n;
  for (;;) {
    const p = up.parent(top);
    if (!p) return top;
    const pp = p.type === 'template_substitution' || p.type === 'interpolation' ? up.parent(p) : null;
    if (p.type === 'parenthesized_expression' || p.type === 'concatenated_string' || ((p.type === 'binary_expression' || p.type === 'binary_operator') && p.childForFieldName('operator')?.text === '+')) top = p;
    else if (pp && (pp.type === 'template_string' || pp.type === 'string')) top = pp;
    else return top;
  }
}

/** Is the text at `n` (a textRoot) for people or code: logged, thrown, compared, a label, a docstring? */
function forPeople(up: Ancestry, n: SyntaxNode, fn: SyntaxNode): boolean {
  for (let p: SyntaxNode | null = up.parent(n), depth = 0; p && p.id !== fn.id && depth < 8; p = up.parent(p), depth++) {
    if (p.type === 'throw_statement' || p.type === 'raise_statement' || p.type === 'assert_statement' || /^jsx_/.test(p.type)) return true;
    // a bare literal statement: a Python docstring, a JS directive
    if (p.type === 'expression_statement') return p.namedChildren.length === 1 && p.namedChildren[0]?.id === n.id;
    if (p.type === 'binary_expression' || p.type === 'binary_operator' || p.type === 'comparison_operator') {
      if (!/^\+$/.test(p.childForFieldName('operator')?.text ?? '+')) return true;
    }
    if (p.type === 'arguments' || p.type === 'argument_list') {
      const call = up.parent(p);
      const callee = call?.childForFieldName(call.type === 'new_expression' ? 'constructor' : 'function')?.text ?? '';
      if (PEOPLE_CALL.test(callee.replace(/\s+/g, ''))) return true;
      continue;
    }
    if (p.type === 'pair' || p.type === 'keyword_argument') {
      const key = (p.childForFieldName('key') ?? p.childForFieldName('name'))?.text.replace(/^["'`]|["'`]$/g, '') ?? '';
      if (PEOPLE_KEY.test(key)) return true;
      continue;
    }
    if (p.type === 'subscript' || p.type === 'subscript_expression' || p.type === 'case_clause' || p.type === 'switch_case' || p.type === 'case_pattern') return true;
  }
  return false;
}

export interface BuilderText { node: SyntaxNode; name: string; role: Role }

/** Helpers whose names say they handle text rather than write it (the same verbs BUILDER_NAME turns away). */
const HANDLER_NAME = /^_*(?:set|on|handle|render|show|use|display|print|log|ask|read|parse|validate|save|load|fetch|delete|update|remove|edit|select|open|close|toggle|is|has|should|can|count|estimate|send|submit|run|execute|call|invoke|apply|store|cache|track|register|insert|add|append|push|copy|clear|reset|test|mock|check|stream|process|receive|post|emit|dispatch|extract|find|filter|sort|map|compare|match|detect|format_?output)(?:[A-Z_]|$)/;

/**
 * The function of this file a builder's call names (`this.baseEnhancement(…)`, `withRules(…)`), when the
 * builder uses what it returns (returned, assigned, pushed, put in a template) and its name is no
 * handler's; undefined otherwise.
 */
function usedHelper(f: CodeFile, up: Ancestry, call: SyntaxNode, fnType: RegExp): SyntaxNode | undefined {
  const callee = call.childForFieldName('function');
  const name = callee?.type === 'identifier' ? callee.text : callee?.type === 'member_expression' && callee.childForFieldName('object')?.type === 'this' ? callee.childForFieldName('property')?.text : undefined;
  if (!name || HANDLER_NAME.test(name)) return undefined;
  let p = up.parent(call);
  while (p && (p.type === 'await_expression' || p.type === 'parenthesized_expression' || p.type === 'as_expression')) p = up.parent(p);
  if (!p || !/^(return_statement|variable_declarator|template_substitution|array|arrow_function|assignment_expression|augmented_assignment_expression|binary_expression|arguments)$/.test(p.type)) return undefined;
  if (p.type === 'arguments') {
    const outer = up.parent(p)?.childForFieldName('function');
    if (!/(^|\.)(push|unshift|concat|join)$/.test(outer?.text ?? '')) return undefined;
  }
  const site = new RegExp(`(?<![\\w$.])(?:async\\s+)?(?:private\\s+|protected\\s+|public\\s+|static\\s+)*${name.replace(/\$/g, '\\$')}\\s*(?:[(<]|=\\s*(?:async\\s*)?(?:function\\b|\\())`, 'g');
  for (const m of f.text.matchAll(site)) {
    const at = (m.index ?? 0) + m[0].lastIndexOf(name);
    const id = up.at(at, at + name.length);
    if (!id || id.text !== name) continue;
    let fn: SyntaxNode | null | undefined = up.parent(id);
    if (fn && !fnType.test(fn.type)) {
      const value = fn.type === 'variable_declarator' || fn.type === 'public_field_definition' ? fn.childForFieldName('value') : undefined;
      fn = value && fnType.test(value.type) ? value : undefined;
    }
    if (fn && fn.id !== call.id) return fn;
  }
  return undefined;
}

/** Prose literals inside the prompt-building functions of `f`, outside the texts they visibly give people. */
export function builderTexts(f: CodeFile): BuilderText[] {
  if (/(^|\/)(__tests__|tests?|spec|e2e|fixtures?|mocks?|locales?|i18n|docs?)\/|\.(test|spec|stories|mock)\.[cm]?[jt]sx?$|(^|\/)test_[^/]*\.py$|_test\.py$/.test(f.file)) return [];
  const up = ancestryOf(f);
  const out: BuilderText[] = [];
  const seen = new Set<number>();
  const fnType = f.isPython ? /^function_definition$/ : TS_FUNCTION;
  const literal = f.isPython ? /^string$/ : TEXT;
  const visited = new Set<number>();
  const visit = (fn: SyntaxNode, name: string, depth = 0) => {
    if (visited.has(fn.id)) return;
    visited.add(fn.id);
    const role: Role = /user|human/i.test(name) ? 'user' : /system|instruction/i.test(name) ? 'system' : 'user';
    const stack: SyntaxNode[] = [fn];
    while (stack.length) {
      const n = stack.pop()!;
      if (n.id !== fn.id && fnType.test(n.type)) continue; // a nested function is judged by its own name
      // a helper of this file whose result the builder uses (`return this.withReminders(message)`): its
      // prose is the builder's too (two calls deep at most)
      if (n.type === 'call_expression' && depth < 2 && !f.isPython) {
        const helper = usedHelper(f, up, n, fnType);
        if (helper) visit(helper, name, depth + 1);
      }
      if (literal.test(n.type)) {
        const root = textRoot(up, n);
        if (seen.has(root.id)) continue;
        seen.add(root.id);
        // a list of lines joined into one text is one piece, at its first literal
        const list = up.parent(root);
        if (list && (list.type === 'array' || list.type === 'list')) {
          const first = list.namedChildren.find((c) => !!c && c.type !== 'comment');
          if (first && first.id !== root.id && literal.test(first.type)) continue;
        }
        if (proseWords(root.text) < 5 || forPeople(up, root, fn)) continue;
        out.push({ node: root, name, role });
        continue;
      }
      for (let i = n.namedChildCount - 1; i >= 0; i--) {
        const c = n.namedChild(i);
        if (c) stack.push(c);
      }
    }
  };
  const site = f.isPython ? PY_SITE : TS_SITE;
  site.lastIndex = 0;
  for (const m of f.text.matchAll(site)) {
    const name = m[1];
    if (!BUILDER_NAME.test(name) && !REVISION_NAME.test(name)) continue;
    const at = (m.index ?? 0) + m[0].indexOf(name);
    const id = up.at(at, at + name.length);
    if (!id || id.text !== name) continue;
    let fn: SyntaxNode | null | undefined = up.parent(id);
    if (fn && !fnType.test(fn.type)) {
      // const buildPrompt = (…) => …, buildPrompt: function (…) { … }
      const value = fn.type === 'variable_declarator' || fn.type === 'public_field_definition' || fn.type === 'pair' ? fn.childForFieldName(fn.type === 'pair' ? 'value' : 'value') : undefined;
      fn = value && fnType.test(value.type) ? value : undefined;
    }
    if (fn && functionName(up, fn) === name) visit(fn, name);
  }
  return out;
}
