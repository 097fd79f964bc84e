// The fallback: a long string assigned to a prompt-like name (SYSTEM_PROMPT, instructions,
// summary_template, system_message) that no call site used. Reported with confidence "heuristic".
// Strings that read as SQL, HTML, CSS, logs or errors are not prompts, whatever they are called.
import type { DetectedPrompt, Role } from '../../model';
import { TEST_FILE, TRANSLATION_PATH } from '../shared';
import { addressedTexts } from './addressed';
import { builderTexts } from './builderTexts';
import { ancestryOf } from './ancestry';
import { containerMembers } from './pyContainers';
import { tsModuleMembers, tsPromptFunctions } from './tsContainers';
import { definitionsOf, promptLikeNames, type CodeFile, type Definition } from './source';
import type { SlotSyntax } from '../slots';
import { PromptBuilder, type CallInfo } from './calls';
import type { SyntaxNode } from './parser';
import { evalText, findDefinition, finishText, FUNCTION_NODE, inlineText, resetShared, type EvalContext } from './values';

const PROMPT_NAME = /(prompt|instructions?|(system|human|user)_?message|_template$|template$|^template_|persona|preamble|_role$)/i;
const NOT_PROMPT_NAME = /(url|path|file|dir|id|key|token|regex|pattern|css|html|sql|query|color|colour|style|class|selector|env|header|label|placeholder|title|button|tooltip)s?$/i;
/** `obj.system_message =`: a prompt-like attribute name after a dot (the object is checked in the tree). */
const ATTRIBUTE_PROMPT = /(?<=[\w)\]]\.)((?:[A-Za-z_]\w*?)?(?:prompt|instructions?|(?:system|human|user)_?message|template|persona|preamble)\w*)\s*=(?!=)/gi;
/** `agent.prompt_templates["planning"]["task"] +=`, `PROMPTS[key] =`: an entry of a prompt-named store. */
const STORE_ENTRY = /(?<![\w$])((?:[A-Za-z_]\w*?)?(?:prompt|instructions?|template)s?\w*)\s*\[[^\]\n]{1,200}\](?:\s*\[[^\]\n]{1,200}\])*\s*\+?=(?!=)/gi;
/** A string that opens by telling a model who it is or what to act as. */
const PERSONA_TEXT = /(?<![\w])[rRbBuUfF]{0,2}(?:"""|'''|"|')\s*(?:You are|You're|Act as|Act like)\s+(?:an?|the)\s/g;
/** A JS object literal declared at the top of a module: `export const name = {`. */
const MODULE_OBJECT = /^(?:export\s+)?(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=\n]{1,200})?=\s*\{/gm;
/** Keys of texts shown to people or read as metadata, in an object that also holds prompts. */
const SHOWN_KEY = /(label|title|subtitle|heading|caption|description|desc|placeholder|tooltip|hint|help|greeting|welcome|message|msg|notice|error|warning|toast|banner|text|example|name|version|model)s?$/i;
/** Text laid out as a prompt section: a markdown heading, or a line break between words. */
const SECTIONED = /^["'`]\s*#{1,4} \p{L}|^["'`][^\n]*\p{L}[^\n]*(?:\n|\\n)[^\n]*\p{L}/u;
const PROMPT_FUNCTION = /(?<![\w$.])(?:def|function)\s+([A-Za-z_$][\w$]*(?:prompt|instructions?)[\w$]*)\s*\(/gi;
/** Text that opens by telling a model who it is or what to act as. */
const ADDRESS_TEXT = /^\s*(You are|You're|Act as|Act like)\s/;
export const MIN_HEURISTIC_CHARS = 60;
const TS_FUNCTION_VALUE = /^(arrow_function|function_expression|function)$/;
const isCall = (n: SyntaxNode) => n.type === 'call_expression';
/** Under a name that says prompt outright (`prompt`, `user_prompt`, `instructions`), a shorter text counts. */
export const MIN_STRONG_CHARS = 15;

/** Text that is code or markup rather than natural-language instructions. */
export function looksLikeNonPrompt(text: string): string | undefined {
  const t = text.trim();
  // `select` alone starts instructions too ("Select the best option …"): SQL selects `*` or columns
  if (/^select\s+(\*|distinct\b|top\s+\d|[\w."`[\]]+(\s*,|\s+from\b|\s+as\b))/i.test(t)) return 'SQL';
  if (/^(insert\s+into|update\s+\w+\s+set|delete\s+from|create\s+(table|index|view)|with\s+\w+\s+as\s*\()\b/i.test(t)) return 'SQL';
  if (/^<(!doctype|html|div|span|p|table|svg|style|script|head|body|section|ul|a)\b/i.test(t)) return 'HTML';
  // selectors then a declaration block; bounded classes only (no nested quantifiers on prose)
  if (/^[.#@]?[\w-][\w\s.#>+~,:()-]{0,200}\{[^{}]*:[^{}]*;/.test(t)) return 'CSS';
  // … unless it goes on to tell the model what to answer (a retry prompt: "Error parsing response: … Please
  // output your response EXACTLY as requested.")
  if (/^\s*(error|warning|failed|exception|traceback)\b[:\s]/i.test(t) && !/\b(output|format|write|give|return|fix|correct) your (response|answer|reply|output)\b|\byour (response|answer|reply) (must|should)\b|\brespond (only )?with\b/i.test(t)) return 'error message';
  const words = t.split(/\s+/).filter((w) => /[a-zA-Z]{2,}/.test(w)).length;
  if (words < 8) return 'too few words';
  return undefined;
}

/** Words of a text: Latin ones, and for Chinese or Japanese (written without spaces) a word per two characters. */
function wordCount(text: string): number {
  const latin = text.split(/\s+/).filter((w) => /[a-zA-Z]{2,}/.test(w)).length;
  const han = text.match(/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/gu)?.length ?? 0;
  return latin + Math.floor(han / 2);
}

/** Words of a name that say its text is shown to the app's user: an error, a notice, a confirmation. */
const NOTICE_WORDS = new Set(['error', 'errors', 'err', 'warning', 'warn', 'notice', 'alert', 'toast', 'notification', 'success', 'failure', 'fail', 'failed', 'confirm', 'confirmation', 'banner', 'snackbar']);
/** Phrases an app says to its user: a failure, a retry, an outcome, a question before a destructive action. */
const USER_NOTICE = /\b(something went wrong|please try again|try again later|an (unexpected |unknown |internal )?error (has )?occurred|we('re| are) sorry|contact (our )?support|(cannot|can't|can ?not) be undone|are you sure you want to|do you (really )?want to (delete|remove|discard|leave|continue|proceed|save|quit|exit|cancel|reset|overwrite|log out|sign out)|(has|have) been (successfully )?(saved|deleted|updated|created|sent|removed|archived)|check your (internet |network )?connection)\b/i;
/** Words that speak to or about a model, or ask for a reply in a form: text with them is written for a model. */
const MODEL_WORDS = /\b(you are|you're|act as|respond|reply|answer|return|output|summari[sz]e|classify|extract|translate|the following|below|json|assistant|the user|the text|the conversation)\b/i;
/** A text that opens with a task for a model ("Fix the code …", "Given the error …"), under whatever name. */
const TASK_OPENING = /^(please\s+)?(summari[sz]e|translate|explain|analy[sz]e|fix|improve|rewrite|review|classify|extract|generate|write|create|describe|identify|evaluate|convert|correct|provide|list|determine|compare|suggest|consider|think|given|based on|use|make sure|ensure|remember|note)\b/i;
/** The longest text read as a notice: an app's notices and confirmations are a sentence or two. */
const MAX_NOTICE_CHARS = 240;

/**
 * Text for the app's user, not a model: a short notice or confirmation ("Something went wrong … Please try
 * again later.", "Are you sure you want to delete this project?"), or any short text kept under an error or
 * notice name (ERROR_TEMPLATE, saveFailedMessage) that says nothing to a model. A name that says prompt keeps
 * its text unless the text reads as a notice.
 */
function forTheAppUser(name: string, text: string): boolean {
  const t = text.trim();
  if (t.length > MAX_NOTICE_CHARS || MODEL_WORDS.test(t)) return false;
  if (USER_NOTICE.test(t)) return true;
  if (TASK_OPENING.test(t)) return false;
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase().split(/[^a-z0-9]+/);
  return !STRONG_NAME.test(name) && words.some((w) => NOTICE_WORDS.has(w));
}

/** Names that say "prompt" outright: a shorter text under them is still a prompt. */
const STRONG_NAME = /(prompt|instructions?|system_?message|persona|preamble)/i;

/** How the file uses `name`: a constant handed to HumanMessage / a user message is the user's text. */
function roleByUse(f: CodeFile, name: string): 'user' | undefined {
  return userNames(f).has(name) ? 'user' : undefined;
}

// HumanMessage(x), UserMessage(content=x), ("user", x), { role: "user", content: x }: x is the user's text.
const USER_USE = /(?:Human|User)Message(?:PromptTemplate\.from_?[tT]emplate)?\(\s*(?:content\s*[=:]\s*)?([A-Za-z_$][\w$]*)|["'](?:user|human)["']\s*,\s*([A-Za-z_$][\w$]*)|role["']?\s*[:=]\s*["'](?:user|human)["']\s*,\s*["']?content["']?\s*[:=]\s*([A-Za-z_$][\w$]*)/g;
const userNamesOf = new WeakMap<CodeFile, Set<string>>();

/** The names the file hands over as the user's text: one pass over the text per parse, not one per name. */
function userNames(f: CodeFile): Set<string> {
  let names = userNamesOf.get(f);
  if (!names) {
    names = new Set();
    for (const m of f.text.matchAll(USER_USE)) names.add(m[1] ?? m[2] ?? m[3]);
    userNamesOf.set(f, names);
  }
  return names;
}

function synthetic(f: CodeFile, node: SyntaxNode): CallInfo {
  return { f, node, callee: '', segments: [], isNew: false, positional: [], named: new Map() };
}

/** How a candidate found other than by its own name is judged: as a strong name, with this role and note. */
export interface HeuristicHint {
  role?: Role; why: string; minWords?: number;
  /** Plain words (letters, not markup or names) the text needs: a wrapper tag around a value has none. */
  prose?: number;
  /** Text that opens like an error is still a candidate (a prompts module's tool-failure message to the model). */
  errors?: boolean;
}

/** Words of plain prose: letters, maybe bracketed or punctuated (`[Continue`, `user!]`), no markup or identifiers. */
function proseWords(text: string): number {
  return text.split(/\s+/).filter((w) => /^[(["'`]*\p{L}[\p{L}'’-]*[.,:;!?)\]"'`]*$/u.test(w)).length;
}

/**
 * The last read of a local `name` after `name += …` statements that follow its definition `d` in the same
 * function (so evaluating it takes what they add), or undefined when nothing is added to it.
 */
function useAfterAppends(f: CodeFile, name: string, d: Definition): SyntaxNode | undefined {
  if (!d.scope || !/^[A-Za-z_$][\w$]*$/.test(name)) return undefined;
  const region = f.text.slice(d.value.endIndex, d.scope.endIndex);
  const escaped = name.replace(/[$]/g, '\\$&');
  if (!new RegExp(`(?<![\\w$.])${escaped}\\s*\\+=`).test(region)) return undefined;
  let last: SyntaxNode | undefined;
  for (const m of region.matchAll(new RegExp(`(?<![\\w$.])${escaped}(?![\\w$])`, 'g'))) {
    const at = d.value.endIndex + (m.index ?? 0);
    const id = f.tree.rootNode.descendantForIndex(at, at + name.length);
    const p = id?.parent;
    if (!id || id.text !== name || !/^(identifier|shorthand_property_identifier)$/.test(id.type) || !p) continue;
    // the left of an assignment (`prompt += …`, `prompt = …`) writes the name; a read is anything else
    if (/assignment|variable_declarator/.test(p.type) && (p.childForFieldName('left') ?? p.childForFieldName('name'))?.id === id.id) continue;
    if (findDefinition(f, name, id)?.value.id !== d.value.id) continue;
    last = id;
  }
  return last;
}

export function heuristicPrompts(f: CodeFile, ctx: EvalContext, taken: (start: number, end: number) => boolean): DetectedPrompt[] {
  const found: DetectedPrompt[] = [];
  // A prompt-named constant no call uses, in a test, is the test's data (`SYSTEM_PROMPT = "…"` handed to
  // the program's own function); what a test sends through an SDK is found by the call.
  if (TEST_FILE.test(f.file)) return found;
  const seen = new Set<number>();
  /** Where the found prompts' parts (of this file) start, as `line:character`: asked once per candidate. */
  const foundStarts = new Set<string>();
  const startKey = (r: DetectedPrompt['range']) => `${r.start.line}:${r.start.character}`;
  const consider = (bare: string, node: SyntaxNode, key?: string, hint?: HeuristicHint) => {
    if (seen.has(node.id)) return;
    seen.add(node.id);
    if (taken(node.startIndex, node.endIndex)) return;
    resetShared(ctx);
    const value = evalText(f, node, ctx);
    if (value.origin.file !== f.file) return; // an imported constant is reported where it is written
    // derived from a prompt found already (x = PROMPT.replace(…)): not a second prompt
    if (taken(value.origin.start, value.origin.end)) return;
    const whole = finishText(ctx, { ...value, text: inlineText(ctx, value) }).text;
    // under a prompt-like name, text that opens by telling a model who it is ("You are {name}") is a prompt however short
    const strong = !!hint || STRONG_NAME.test(bare) || ADDRESS_TEXT.test(whole);
    const why = hint?.errors && looksLikeNonPrompt(whole) === 'error message' ? undefined : looksLikeNonPrompt(whole);
    if (hint?.prose && proseWords(whole) < hint.prose) return;
    const words = wordCount(whole);
    // a member of a prompts module or class is for the model even when it reads as a notice (a failure it is told of)
    if (!hint && forTheAppUser(bare, whole)) return;
    if (strong ? whole.trim().length < MIN_STRONG_CHARS || words < (hint?.minWords ?? 3) || (why && why !== 'too few words') : whole.trim().length < MIN_HEURISTIC_CHARS || why) return;
    const role = roleByUse(f, bare) ?? hint?.role ?? (/user|human|question|query|template/i.test(key ?? bare) ? 'user' : 'system');
    const template = /template/i.test(bare) || /\{[A-Za-z_]\w*\}/.test(whole) ? (['single', 'mustache'] as SlotSyntax[]) : undefined;
    const b = new PromptBuilder(synthetic(f, node), ctx);
    b.addValue(role, value, { template });
    const built = b.build('heuristic', undefined, undefined);
    if (!built) return;
    // a prompt factory's call (`genPrompt: makePrompt({ message: '…' })`): the factory's own text is
    // reported once, each call adds the texts it passes
    if (isCall(node)) {
      built.parts = built.parts.filter((p) => p.file || !foundStarts.has(startKey(p.range)));
      if (!built.parts.some((p) => !p.file && /\p{L}{2}/u.test(p.text))) return;
      // the branch taken where the factory's longer text is left out (reported with the factory) is this call's text
      if (built.parts.every((p) => p.alternative)) delete built.parts[0].alternative;
    }
    const range = built.parts.find((p) => !p.file)?.range ?? built.range;
    // one literal, one finding: a function returning a prompt-named local is that local's prompt
    if (foundStarts.has(startKey(range))) return;
    for (const x of built.parts) if (!x.file) foundStarts.add(startKey(x.range));
    found.push({
      ...built, confidence: 'heuristic', range,
      notes: [hint ? `"${bare}${key ? `[${key}]` : ''}" ${hint.why}; no LLM call using it was found in this file` : `"${bare}${key ? `[${key}]` : ''}" looks like a prompt but no LLM call using it was found in this file`, ...(built.notes ?? [])],
    });
  };
  for (const name of promptLikeNames(f)) {
    const defs = definitionsOf(f, name);
    const bare = name.replace(/^(this|self)\./, '');
    if (!PROMPT_NAME.test(bare) || NOT_PROMPT_NAME.test(bare)) continue;
    for (const d of defs) {
      const node = d.value;
      // PROMPTS = {"triage": "…", …}: each entry is a prompt
      if (node.type === 'object' || node.type === 'dictionary') {
        for (const pair of node.namedChildren) {
          const v = pair?.type === 'pair' ? pair.childForFieldName('value') : undefined;
          const k = pair?.childForFieldName('key');
          if (v && /string|binary|template|call|parenthesized/.test(v.type)) consider(bare, v, k?.text.replace(/^["'`]|["'`]$/g, ''));
        }
        continue;
      }
      // const prompt = cond ? "…" : "…", const buildPrompt = (…) => `…`: the texts it may hold or return
      if (!/string|concatenated_string|binary_expression|binary_operator|call_expression|call|parenthesized_expression|ternary_expression|conditional_expression/.test(node.type) && !(!f.isPython && TS_FUNCTION_VALUE.test(node.type))) continue;
      // prompt = f"…" and then prompt += """…""": the text as its last use after the additions reads it
      consider(bare, useAfterAppends(f, name, d) ?? node);
    }
  }
  const up = ancestryOf(f);
  // export const agentConfig = { systemPrompt: `…`, summaryPrompt: `…`, retries: 3 }: an object at module level
  // that names two or more of its entries as prompts holds prompts, whatever it is called
  // a translations module's objects are what the app shows, whatever their keys are named
  if (!f.isPython && !TRANSLATION_PATH.test(f.file)) {
    for (const m of f.text.matchAll(MODULE_OBJECT)) {
      if (PROMPT_NAME.test(m[1]) && !NOT_PROMPT_NAME.test(m[1])) continue; // read by name above
      const at = (m.index ?? 0) + m[0].length - 1;
      const obj = up.parent(up.at(at, at + 1));
      const declarator = obj && up.parent(obj);
      if (obj?.type !== 'object' || declarator?.type !== 'variable_declarator' || declarator.childForFieldName('value')?.id !== obj.id) continue;
      const declParent = up.parent(declarator);
      const statement = declParent && up.parent(declParent)?.type === 'export_statement' ? up.parent(declParent) : declParent;
      if (!statement || up.parent(statement)?.type !== 'program') continue;
      const entries = obj.namedChildren.flatMap((pair) => {
        const key = pair?.type === 'pair' ? pair.childForFieldName('key')?.text.replace(/^["'`]|["'`]$/g, '') : undefined;
        const v = pair?.childForFieldName('value');
        return key && v && !NOT_PROMPT_NAME.test(key) ? [{ key, v, named: PROMPT_NAME.test(key) }] : [];
      });
      if (entries.filter((e) => e.named).length < 2) continue;
      for (const { key, v, named } of entries) {
        if (named && /string|template|binary|call|parenthesized/.test(v.type)) consider(key, v, undefined, { why: `is one of the prompts of \`${m[1]}\`` });
        // the sections kept beside them (`AI_EXPERTISE: "# Expertise\n\nYou have access to …"`) are prompt text too
        // when they read as prose written out in sections or lines, not a setting, a label or a notice
        else if (!named && /^(string|template_string)$/.test(v.type) && !SHOWN_KEY.test(key) && SECTIONED.test(v.text)) consider(key, v, undefined, { why: `is kept among the prompts of \`${m[1]}\``, prose: 2 });
      }
    }
  }
  // def review_prompt(text): return f"…" — a function named as a prompt returns one
  for (const m of f.text.matchAll(PROMPT_FUNCTION)) {
    const bare = m[1];
    if (NOT_PROMPT_NAME.test(bare) || !PROMPT_NAME.test(bare)) continue;
    let fn: SyntaxNode | null = up.at((m.index ?? 0) + m[0].indexOf(bare));
    while (fn && !FUNCTION_NODE.test(fn.type)) fn = up.parent(fn);
    if (fn && fn.childForFieldName('name')?.text === bare) consider(bare, fn);
  }
  // interpreter.system_message = """…""", agent.llm.prompt_template = "…": a prompt-named attribute of an object
  if (f.isPython) {
    for (const m of f.text.matchAll(ATTRIBUTE_PROMPT)) {
      const at = m.index ?? 0;
      const id = up.at(at, at + m[1].length);
      const target = id && up.parent(id);
      const assignment = target && up.parent(target);
      if (!id || id.text !== m[1] || target?.type !== 'attribute' || assignment?.type !== 'assignment') continue;
      if (assignment.childForFieldName('left')?.id !== target.id || /^(self|cls)$/.test(target.childForFieldName('object')?.text ?? '')) continue;
      const value = assignment.childForFieldName('right');
      if (!value || NOT_PROMPT_NAME.test(m[1]) || !PROMPT_NAME.test(m[1])) continue;
      if (/string|binary_operator|call|parenthesized/.test(value.type)) consider(m[1], value);
    }
  }
  // self.prompt_templates["system"] = "…", agent.prompt_templates["managed_agent"]["task"] += "…": a store of prompts, by key
  if (f.isPython) {
    for (const m of f.text.matchAll(STORE_ENTRY)) {
      const at = m.index ?? 0;
      const id = up.at(at, at + m[1].length);
      if (!id || id.text !== m[1] || NOT_PROMPT_NAME.test(m[1])) continue;
      const idParent = up.parent(id);
      let left: SyntaxNode = idParent?.type === 'attribute' && idParent.childForFieldName('attribute')?.id === id.id ? idParent : id;
      let key: string | undefined;
      for (let above = up.parent(left); above?.type === 'subscript' && above.childForFieldName('value')?.id === left.id; above = up.parent(left)) {
        left = above;
        key = left.childForFieldName('subscript')?.text.replace(/^[a-zA-Z]*["']+|["']+$/g, '');
      }
      const assignment = up.parent(left);
      if (left.type !== 'subscript' || !assignment || !/^(augmented_)?assignment$/.test(assignment.type) || assignment.childForFieldName('left')?.id !== left.id) continue;
      const value = assignment.childForFieldName('right');
      if (value && /string|binary_operator|call|parenthesized/.test(value.type)) consider(m[1], value, key, { role: /system|instruction/i.test(`${m[1]} ${key ?? ''}`) ? 'system' : 'user', why: 'is an entry of a store of prompts' });
    }
  }
  // "You are a meticulous research assistant. …" wherever it is written: text addressed to a model
  if (f.isPython) {
    for (const m of f.text.matchAll(PERSONA_TEXT)) {
      let n: SyntaxNode | null = up.at((m.index ?? 0) + m[0].length - 1);
      while (n && n.type !== 'string') n = up.parent(n);
      if (!n) continue;
      for (let q = up.parent(n); q && (q.type === 'concatenated_string' || q.type === 'parenthesized_expression' || (q.type === 'binary_operator' && q.children[1]?.text === '+')); q = up.parent(n)) n = q;
      const p = up.parent(n);
      // a docstring, or text printed, logged or raised, is for people
      if (!p || p.type === 'expression_statement') continue;
      const pp = p.type === 'argument_list' || p.type === 'keyword_argument' ? up.parent(p) : undefined;
      const call = p.type === 'keyword_argument' ? pp && up.parent(pp) : pp;
      // a tool's description is read by the model as tool metadata, counted with the tools, not as a prompt
      if (p.type === 'keyword_argument' && /description/i.test(p.childForFieldName('name')?.text ?? '')) continue;
      if (call?.type === 'call' && /(^|\.)(print|echo|write|markdown|info|debug|warning|warn|error|exception|critical|log|\w*Error|\w*Exception)$/.test(call.childForFieldName('function')?.text ?? '')) continue;
      consider('text', n, undefined, { role: 'system', why: 'reads as instructions to a model ("You are …")', minWords: 8 });
    }
  }
  // getSystemPrompt() { … }, genPrompt: async () => …: a method or function-valued property named as a prompt
  for (const fn of tsPromptFunctions(f)) consider(fn.name, fn.node);
  // a class or module that holds prompts (`class EditBlockPrompts(CoderPrompts)`, prompts.py, prompts.ts): its texts
  for (const m of containerMembers(f)) consider(m.name, m.node, m.key, { role: m.role, why: m.why });
  for (const m of tsModuleMembers(f)) consider(m.name, m.node, m.key, { role: m.role, why: m.why, prose: 3, errors: true });
  // "Summarize the following …", "You are …" wherever it is written in JS/TS: text addressed to a model
  for (const t of addressedTexts(f)) consider('text', t.node, undefined, { role: t.role, why: 'reads as instructions to a model', minWords: 6 });
  // the prose a prompt-building function writes in pieces it assembles (sections pushed onto a list, parts per
  // model): each piece is prompt text, unless a prompt found already holds it
  const within = found.flatMap((p) => p.parts.filter((x) => !x.file).map((x) => [f.lines.offset(x.range.start), f.lines.offset(x.range.end)] as const));
  for (const t of builderTexts(f)) {
    if (within.some(([s, e]) => s <= t.node.startIndex && t.node.endIndex <= e)) continue;
    consider('text', t.node, undefined, { role: t.role, why: `is written in \`${t.name}\`, which builds a prompt`, minWords: 5, prose: 5 });
  }
  return found;
}
