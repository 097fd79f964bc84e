// Code → prompts: every call site a finder recognises (one finder file per SDK family), then LangChain
// message lists, then — unless turned off — the prompt-named-constant heuristic.
import { Deadline, type FileBudgets } from '../../budgets';
import type { DetectedPrompt, Range } from '../../model';
import { callInfo, callsNamed, type CallInfo } from './calls';
import { anthropicFinder } from './finders/anthropic';
import { googleFinder } from './finders/google';
import { googleChatFinder } from './finders/googleChat';
import { isMessageConstructor, langchainFinder, messageListPrompt } from './finders/langchain';
import { litellmFinder } from './finders/litellm';
import { ollamaFinder } from './finders/ollama';
import { openaiFinder } from './finders/openai';
import { openaiAgentsFinder } from './finders/openaiAgents';
import { pydanticAiFinder } from './finders/pydanticAi';
import type { ClientKind, Finder, FinderEnv } from './finders/types';
import { vercelFinder } from './finders/vercel';
import { attachRequestExtras } from './extras';
import { mayAddressModel } from './addressed';
import { genaiscriptPrompts, isGenAIScript } from './genaiscript';
import { heuristicPrompts } from './heuristic';
import { isPromptModule } from './tsContainers';
import { IntervalSet } from './intervals';
import { ancestryOf } from './ancestry';
import { shapePrompts, type Claimed } from './shapes';
import { mergeAgentRuns } from './agentMerge';
import { annotationFor, parseAnnotations, type Annotation } from '../../config/annotations';
import type { SyntaxNode } from './parser';
import type { CodeFile, CodeProject, Lookups } from './source';
import { CHAT_MODEL_CLASS, evalModel, findDefinition, FUNCTION_NODE, newContext, resetShared, type ModelValue } from './values';

export { ensureLanguages, ensureRuntime, langForFile, type Lang } from './parser';
export { CodeProject, type CodeFile } from './source';

export const FINDERS: readonly Finder[] = [openaiFinder, openaiAgentsFinder, anthropicFinder, vercelFinder, langchainFinder, googleFinder, googleChatFinder, litellmFinder, ollamaFinder, pydanticAiFinder];

/** Function and method names some finder handles; only calls of these names are looked at. */
const FINDER_NAMES = 'create|parse|stream|countTokens|count_tokens|acreate|update|Agent|ToolLoopAgent|Experimental_Agent|generateText|streamText|generateObject|streamObject|fromMessages|from_messages|fromTemplate|from_template|PromptTemplate|createAgent|create_agent|create_react_agent|createReactAgent|generateContent|generateContentStream|generate_content|generate_content_stream|completion|acompletion|text_completion|chat|generate|RealtimeAgent|run|runStreamed|sendMessage|sendMessageStream|send_message|send_message_stream|sendClientContent|send_client_content|sendRealtimeInput|send_realtime_input|send|toolRunner|tool_runner|createAndPoll|createAndStream|create_and_poll|create_and_stream|invoke|ainvoke|batch|abatch|astream';
/** FINDER_NAMES plus SDK functions imported under another name (`from ollama import chat as ollama_chat`). */
function finderNames(f: CodeFile): string {
  const aliases: string[] = [];
  for (const [local, b] of f.imports) {
    if (local !== b.imported && /^(ollama|litellm)$/.test(b.module) && /^(chat|generate|completion|acompletion|text_completion)$/.test(b.imported) && /^[\w$]+$/.test(local)) aliases.push(local.replace(/\$/g, '\\$'));
    // from pydantic_ai import Agent as TypedAgent
    else if (local !== b.imported && /^pydantic_ai(\.|$)/.test(b.module) && b.imported === 'Agent' && /^\w+$/.test(local)) aliases.push(local);
  }
  return aliases.length ? `${FINDER_NAMES}|${aliases.join('|')}` : FINDER_NAMES;
}
/**
 * Python calls of a class given type arguments, `Agent[Deps, Out](…)`, that a finder handles (pydantic-ai's
 * Agent): the call's callee is the subscript, which the name search of callsNamed does not reach.
 */
function genericCalls(f: CodeFile): SyntaxNode[] {
  if (!f.isPython) return [];
  const names = [...f.imports].filter(([local, b]) => b.imported === 'Agent' && /^pydantic_ai(\.|$)/.test(b.module) && /^\w+$/.test(local)).map(([local]) => local);
  if (!names.length) return [];
  const out: SyntaxNode[] = [];
  for (const m of f.text.matchAll(new RegExp(`(?<![\\w.])(?:${names.join('|')})\\s*\\[`, 'g'))) {
    const subscript = f.tree.rootNode.descendantForIndex(m.index ?? 0)?.parent;
    const call = subscript?.type === 'subscript' ? subscript.parent : undefined;
    if (call?.type === 'call' && call.childForFieldName('function')?.id === subscript!.id) out.push(call);
  }
  return out;
}
const CHAT_MODEL_NAMES = 'Chat[A-Z]\\w*|AzureChatOpenAI|init_chat_model|initChatModel';
const MESSAGE_NAMES = '(?:System|Human|AI|Chat|Tool)Message';

/** A cheap test on the raw text before parsing: does the file mention anything a finder looks for? */
const CALL_KEYWORDS = /openai|anthropic|completions|messages\.(create|stream|parse)|generateText|streamText|generateObject|streamObject|Agent\(|langchain|PromptTemplate|Message\(|createAgent|create_agent|create_react_agent|generateContent|generate_content|litellm|ollama|responses\.|assistants\.|sendMessage|send_message|sendClientContent|send_client_content|live\.connect|interactions\.create|@openai\/agents/;
/** What the shape layer looks for: message shapes and prompt-named arguments. */
const SHAPE_KEYWORDS = /role["']?\s*[:=]|["'](?:user|assistant)[._]message["']|\bsystem["']?\s*[:=]|system_?[pP]rompt|[sS]ystem_?[iI]nstruction|[iI]nstructions|backstory|preamble|Message\s*\(|[[(]\s*["'](?:system|user|human|assistant|ai)["']\s*,|\bprompt["']?\s*[:=]|\b(Task|Agent)\s*\(|\bRunner\.run|\.run_(sync|stream)|\bdspy\b|Starter\s*\(|\.kickoff\w*\s*\(|[Pp]rompty|initiate_chat|\.run\w*\(\s*task\s*=|\.a?add_(?:ai|user)_message\s*\(|\.(?:a?chat|chat_stream|chatStream)\s*\(\s*message\s*=|\bprompt_?[tT]ext["']?\s*[:=]/;
const HEURISTIC_KEYWORDS = /prompt|instruction|(system|human|user)_?message|template|persona|preamble/i;

export function mayContainPrompts(text: string, heuristics: boolean, file?: string): boolean {
  return CALL_KEYWORDS.test(text) || (file !== undefined && isGenAIScript(file) && text.includes('$`')) || SHAPE_KEYWORDS.test(text) || (heuristics && (HEURISTIC_KEYWORDS.test(text) || (file !== undefined && isPromptModule(file)) || mayAddressModel(text)));
}

const MODULE_KIND: [RegExp, ClientKind][] = [
  [/^openai$/, 'openai'], [/^@anthropic-ai\/sdk|^anthropic$/, 'anthropic'], [/^ollama$/, 'ollama'], [/^@google\/genai|^google(\.genai)?$|^google\.generativeai$/, 'google'],
  [/^litellm/, 'litellm'], [/^ai$/, 'ai-sdk'], [/^@openai\/agents|^agents$/, 'openai-agents'], [/langchain/, 'langchain'],
];
/**
 * Providers' own SDKs shaped after OpenAI's (`client.chat.completions.create`), by module: Groq (`groq`,
 * `groq-sdk`), Together (`together`, `together-ai`), Cerebras (`cerebras.cloud.sdk`,
 * `@cerebras/cerebras_cloud_sdk`). The price data keys their models by these provider names.
 */
const COMPATIBLE_SDK: [RegExp, string][] = [
  [/^(groq|groq-sdk)$/, 'groq'], [/^(together|together-ai)$/, 'together'], [/^(cerebras\.cloud\.sdk|@cerebras\/cerebras_cloud_sdk)$/, 'cerebras'],
];
const CLASS_KIND: [RegExp, ClientKind][] = [
  [/(^|\.)(Async)?(Azure)?OpenAI$/, 'openai'], [/(^|\.)(Async)?Anthropic(Bedrock|Vertex|Foundry)?$/, 'anthropic'], [/(^|\.)Ollama$|^ollama\.(Async)?Client$/, 'ollama'],
  [/(^|\.)GoogleGenAI$|^genai\.Client$/, 'google'],
];

function makeEnv(f: CodeFile, project: CodeProject): { env: FinderEnv & { onConsume?: (key: string) => void }; consumed: Set<string> } {
  const ctx = newContext(project);
  const consumed = new Set<string>();
  let chatModel: ModelValue | undefined | null = null;
  let compatible: boolean | undefined;
  const moduleKind = (module: string | undefined) => (module ? MODULE_KIND.find(([re]) => re.test(module))?.[1] : undefined);
  /** The name a call is made on (`client`, `this.client`) and, when it is defined by a call, that call's callee. */
  const clientOf = (call: CallInfo): { root: string; ctor?: string } => {
    const root = call.segments[0] === 'this' || call.segments[0] === 'self' ? call.segments.slice(0, 2).join('.') : call.segments[0];
    let value = findDefinition(f, root, call.node)?.value;
    if (value?.type === 'await_expression') value = value.namedChildren[0] ?? undefined;
    if (!value || !(value.type === 'call_expression' || value.type === 'call' || value.type === 'new_expression')) return { root };
    return { root, ctor: (value.childForFieldName('function') ?? value.childForFieldName('constructor'))?.text ?? '' };
  };
  const env: FinderEnv & { onConsume?: (key: string) => void } = {
    ctx,
    importSource: (name) => f.imports.get(name)?.module,
    consume: (node) => {
      const key = rangeKey(node.startIndex, node.endIndex);
      consumed.add(key);
      env.onConsume?.(key);
    },
    clientKind(call: CallInfo) {
      const { root, ctor } = clientOf(call);
      if (ctor !== undefined) {
        const byClass = CLASS_KIND.find(([re]) => re.test(ctor))?.[1];
        if (byClass) return byClass;
        return moduleKind(f.imports.get(ctor.split('.')[0])?.module);
      }
      return moduleKind(f.imports.get(root)?.module) ?? (root === 'ollama' ? 'ollama' : undefined);
    },
    clientProvider(call: CallInfo) {
      // only a file importing such an SDK asks where its client comes from (no lookups recorded otherwise:
      // an edit of an OpenAI client's row then re-evaluates nothing it did not before)
      if (compatible === undefined) compatible = [...f.imports.values()].some((b) => COMPATIBLE_SDK.some(([re]) => re.test(b.module)));
      if (!compatible) return undefined;
      const { ctor } = clientOf(call);
      if (ctor === undefined) return undefined;
      const module = f.imports.get(ctor.split('.')[0])?.module;
      return module ? COMPATIBLE_SDK.find(([re]) => re.test(module))?.[1] : undefined;
    },
    fileChatModel() {
      if (f.lookups) f.lookups.fileWide = true;
      if (chatModel !== null) return chatModel;
      const ids = new Map<string, ModelValue>();
      for (const c of callsNamed(f, CHAT_MODEL_NAMES)) {
        const fn = (c.childForFieldName('function') ?? c.childForFieldName('constructor'))?.text ?? '';
        const name = fn.split('.').pop() ?? '';
        if (!CHAT_MODEL_CLASS.test(name) && !/^(init_chat_model|initChatModel)$/.test(name)) continue;
        const m = evalModel(f, c, ctx);
        if (!m) continue;
        const seen = ids.get(m.id);
        // Two chat models of the same id with different output limits: the limit is not known.
        const output = seen && seen.output?.tokens !== m.output?.tokens ? undefined : m.output;
        ids.set(m.id, { id: m.id, from: 'chat model in file', ...(output ? { output } : {}) });
      }
      chatModel = ids.size === 1 ? [...ids.values()][0] : undefined;
      return chatModel;
    },
  };
  return { env, consumed };
}

/** What evaluating one call gave, kept so that the next detection of the file can reuse it. */
export interface CallRecord {
  /** Offsets of the call node in the text it was found in. */
  start: number;
  end: number;
  prompt?: DetectedPrompt;
  /** Nodes the finder consumed (nested calls it covered), as `start:end`. */
  consumed: string[];
  /** Names it looked up in its file (definitions, imports). */
  names: string[];
  /** Rows its result depends on: the call, the definitions it used, the ranges it reports. */
  rows: [number, number][];
  fileWide: boolean;
  /** This detection took the result from the earlier one. */
  reused?: boolean;
}

/** A detection of the file before an edit confined to one row, whose calls may be reused. */
export interface Reuse {
  /** The earlier detection's calls, by `start:end` in the earlier text. */
  calls: Map<string, CallRecord>;
  row: number;
  /** The edit, as offsets: [start, oldEnd) in the earlier text became [start, newEnd). */
  start: number;
  oldEnd: number;
  newEnd: number;
  /** Names whose lookup the edit may change: assigned on the edited row (or on it at all, for an import row). */
  names: Set<string>;
}

const rangeKey = (start: number, end: number) => `${start}:${end}`;
/** A position as one number, line * LINE_KEY + character: no line of a file under MAX_FILE_BYTES is longer. */
const LINE_KEY = 2 ** 24;

/** Two ranges share a character. */
function overlaps(a: Range, b: Range): boolean {
  const before = (x: Range['start'], y: Range['start']) => x.line < y.line || (x.line === y.line && x.character <= y.character);
  return !before(a.end, b.start) && !before(b.end, a.start);
}

/**
 * A copy of `value` with the text offsets it carries in `file` (a run-time value's `{file, start, end}`,
 * a function marker's `$at`) moved by `delta` where they lie at or after `from`: ranges are by row and
 * stay, offsets after an edit on an earlier row do not.
 */
function shiftOffsets<T>(value: T, file: string, from: number, delta: number): T {
  if (!value || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => shiftOffsets(v, file, from, delta)) as T;
  const o = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) out[k] = shiftOffsets(v, file, from, delta);
  const move = (n: unknown) => (typeof n === 'number' && n >= from ? n + delta : n);
  if (o.file === file && typeof o.start === 'number' && typeof o.end === 'number') {
    out.start = move(o.start);
    out.end = move(o.end);
  }
  if (o.$file === file && typeof o.$at === 'number') out.$at = move(o.$at);
  return out as T;
}

/** Rows of every range in a detected prompt (parts, slots, fixes): conservative, other files included. */
function rowsOf(value: unknown, out: [number, number][] = []): [number, number][] {
  if (!value || typeof value !== 'object') return out;
  const r = value as { start?: { line?: unknown }; end?: { line?: unknown } };
  if (typeof r.start?.line === 'number' && typeof r.end?.line === 'number') out.push([r.start.line, r.end.line]);
  else for (const v of Object.values(value)) rowsOf(v, out);
  return out;
}

/**
 * The prompts in a parsed file. With `reuse`, a call whose result cannot have changed — not on the
 * edited row, none of its definitions or reported ranges on it, none of the names it looked up written
 * on it — keeps its earlier result; `records` receives what the next detection may reuse.
 */
export function detectInCode(f: CodeFile, project: CodeProject, options: { heuristics?: boolean; reuse?: Reuse; records?: CallRecord[]; budgets?: Partial<FileBudgets> } = {}): DetectedPrompt[] {
  const { env, consumed } = makeEnv(f, project);
  // One evaluation budget for the whole file: each step of evaluation checks it (values.ts).
  env.ctx.deadline = Deadline.start('evaluate', options.budgets, f.file);
  const prompts: DetectedPrompt[] = [];
  const { reuse, records } = options;
  const delta = reuse ? reuse.newEnd - reuse.oldEnd : 0;
  const toOld = (o: number) => (reuse && o >= reuse.newEnd ? o - delta : o);
  const toNew = (key: string) => {
    const [a, b] = key.split(':').map(Number);
    return rangeKey(reuse && a >= reuse.oldEnd ? a + delta : a, reuse && b >= reuse.oldEnd ? b + delta : b);
  };
  const reusable = (node: SyntaxNode): CallRecord | undefined => {
    if (!reuse) return undefined;
    const rec = reuse.calls.get(rangeKey(toOld(node.startIndex), toOld(node.endIndex)));
    if (!rec || rec.fileWide) return undefined;
    if (rec.rows.some(([a, b]) => a <= reuse.row && reuse.row <= b)) return undefined;
    if (rec.names.some((n) => n.split('.').some((segment) => reuse.names.has(segment)))) return undefined;
    return rec;
  };

  const generic = genericCalls(f);
  const calls = callsNamed(f, finderNames(f));
  for (const node of generic.length ? [...calls, ...generic].sort((a, b) => a.startIndex - b.startIndex) : calls) {
    if (consumed.has(rangeKey(node.startIndex, node.endIndex))) continue;
    const earlier = reusable(node);
    if (earlier) {
      const prompt = earlier.prompt && delta ? shiftOffsets(earlier.prompt, f.file, reuse!.oldEnd, delta) : earlier.prompt;
      const rec = { ...earlier, prompt, start: node.startIndex, end: node.endIndex, consumed: earlier.consumed.map(toNew), reused: true };
      for (const k of rec.consumed) consumed.add(k);
      if (rec.prompt) prompts.push(rec.prompt);
      records?.push(rec);
      continue;
    }
    const lookups: Lookups = { names: new Set(), rows: [], fileWide: false };
    const consumedHere: string[] = [];
    f.lookups = lookups;
    resetShared(env.ctx);
    env.onConsume = (key) => consumedHere.push(key);
    let found: DetectedPrompt | undefined;
    try {
      const call = callInfo(f, node, env.ctx);
      if (call) {
        for (const finder of FINDERS) {
          found = finder.find(call, env);
          if (found) break;
        }
        if (found) attachRequestExtras(found, call, env);
      }
    } finally {
      f.lookups = undefined;
      env.onConsume = undefined;
    }
    if (found) prompts.push(found);
    records?.push({
      start: node.startIndex, end: node.endIndex, prompt: found, consumed: consumedHere, names: [...lookups.names],
      rows: [[node.startPosition.row, node.endPosition.row], ...lookups.rows, ...rowsOf(found)], fileWide: lookups.fileWide, reused: false,
    });
  }

  // SystemMessage / HumanMessage lists outside templates: one prompt per list.
  const lists = new Set<number>();
  for (const node of callsNamed(f, MESSAGE_NAMES)) {
    if (consumed.has(rangeKey(node.startIndex, node.endIndex)) || !isMessageConstructor(node)) continue;
    const list = node.parent && /^(array|list)$/.test(node.parent.type) ? node.parent : undefined;
    if (list && lists.has(list.id)) continue;
    if (list) lists.add(list.id);
    const host = list?.parent?.type === 'arguments' || list?.parent?.type === 'argument_list' ? list.parent.parent : undefined;
    resetShared(env.ctx);
    const call = callInfo(f, host ?? node, env.ctx);
    if (!call) continue;
    const elements = list ? list.namedChildren.filter((c): c is SyntaxNode => !!c) : [node];
    const found = messageListPrompt(call, f, elements, env);
    // Messages made only of run-time values (converting chat history) carry no prompt text of their own.
    if (found && found.parts.some((p) => p.text.trim().length > 0)) prompts.push(found);
  }

  // GenAIScript scripts: the file is the prompt, written with `$` templates.
  prompts.push(...genaiscriptPrompts(f, env));

  // The shape layer: message-shaped values and prompt-named arguments no finder claimed.
  const claims: { file: string; range: Range }[] = [];
  for (const p of prompts) for (const part of p.parts) claims.push({ file: part.file ?? f.file, range: part.range });
  // This file's claims as offsets, indexed (the shape layer asks about its own file for every candidate).
  const ownClaims = new IntervalSet(claims.filter((c) => c.file === f.file).map((c) => [f.lines.offset(c.range.start), f.lines.offset(c.range.end)] as const));
  // A found call claims its whole range, except functions written inside it (a tool's `execute`
  // holding a prompt of its own, in an agent's configuration).
  const callClaims = new IntervalSet(prompts.map((p) => [f.lines.offset(p.range.start), f.lines.offset(p.range.end)] as const));
  // (walked up through the file's Ancestry: tree-sitter's descendantForIndex and `parent` each walk down
  // from the root, and this is asked per candidate per call holding it — 97 KB of a broken test file
  // whose calls nest hundreds deep: past the evaluation budget)
  const up = ancestryOf(f);
  const inFunctionWithin = (start: number, end: number, a: number, b: number) => {
    for (let n: SyntaxNode | null = up.at(start, end); n && n.startIndex >= a && n.endIndex <= b; n = up.parent(n)) {
      if (FUNCTION_NODE.test(n.type) && !(n.startIndex === a && n.endIndex === b)) return true;
    }
    return false;
  };
  const otherClaims = new Map<string, Range[]>();
  for (const c of claims) {
    if (c.file === f.file) continue;
    const list = otherClaims.get(c.file);
    if (list) list.push(c.range);
    else otherClaims.set(c.file, [c.range]);
  }
  const claimed: Claimed = (file, start, end) => {
    if (file === f.file) return ownClaims.overlaps(start, end) || callClaims.someOverlapping(start, end, (a, b) => !(a <= start && end <= b && inFunctionWithin(start, end, a, b)));
    const ranges = otherClaims.get(file);
    const lines = project.linesOf(file);
    if (!ranges || !lines) return false;
    const r = lines.range(start, end);
    return ranges.some((c) => overlaps(c, r));
  };
  prompts.push(...shapePrompts(f, env, claimed));

  if (options.heuristics !== false) {
    // Parts of this file by line: a candidate is taken when a part starts on or before its last line
    // and ends after its start (positions as line * LINE_KEY + character).
    const byLine = new IntervalSet(prompts.flatMap((p) => p.parts.filter((part) => !part.file).map((part) => [part.range.start.line * LINE_KEY, part.range.end.line * LINE_KEY + part.range.end.character] as const)));
    const taken = (start: number, end: number) => {
      const r = f.lines.range(start, end);
      return byLine.overlaps(r.start.line * LINE_KEY + r.start.character, (r.end.line + 1) * LINE_KEY);
    };
    prompts.push(...heuristicPrompts(f, env.ctx, taken));
  }
  const merged = mergeAgentRuns(prompts, f.file).sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  addAnnotationsElsewhere(merged, f.file, project);
  return merged;
}

/**
 * A prompt whose text is written in another file (an imported constant, an agent built there) takes
 * the annotation written above that text, as it would in its own file: the constant's author annotates
 * the constant, not every call that sends it. Read through the project, so the detection depends on it.
 */
function addAnnotationsElsewhere(prompts: DetectedPrompt[], file: string, project: CodeProject): void {
  const byFile = new Map<string, Annotation[]>();
  const annotationsOf = (other: string) => {
    let found = byFile.get(other);
    if (!found) byFile.set(other, (found = parseAnnotations(project.linesOf(other)?.text ?? '')));
    return found;
  };
  for (const p of prompts) {
    const lines = new Map<string, number[]>();
    const add = (other: string, line: number) => { if (other !== file) lines.set(other, [...(lines.get(other) ?? []), line]); };
    if (p.agentCall) add(p.agentCall.file, p.agentCall.range.start.line);
    for (const part of p.parts) if (part.file) add(part.file, part.range.start.line);
    for (const [other, at] of lines) {
      const annotations = annotationsOf(other);
      const a = annotations.length ? annotationFor(annotations, -1, -1, false, at) : undefined;
      if (!a) continue;
      // Origins name the file: "annotation:prompts.ts:3" (still an annotation for config/resolve.ts).
      const traffic = Object.fromEntries(Object.entries(a.traffic).map(([k, v]) => [k, { ...v, from: `annotation:${other}:${a.line + 1}` }]));
      p.annotationElsewhere = { file: other, line: a.line, ...(a.id ? { id: a.id } : {}), traffic };
      break;
    }
  }
}
