// "Compress prompt": plan (which literal, what is sent, what it costs), then finish with the model's
// reply (placeholders restored, guards checked, re-escaped, priced) — or the zero-cost whitespace tidy.
// The network call sits between the two, wherever the key is (the CLI, the VS Code client).
import { createTwoFilesPatch } from 'diff';
import * as path from 'path';
import type { AnalyzeOptions, Detection, Engine } from '../analyze';
import { ensureLanguages, langForFile } from '../detect/code/parser';
import { formatUsd, groupDigits } from '../format';
import type { DetectedPrompt, Position, PromptReport, Range } from '../model';
import { computeCost, lookupPrice } from '../prices';
import { chatOverheadTokens } from '../tokens';
import { resolveTokenizer } from '../tokens';
import type { ChatMessage } from './chat';
import { guardWarnings } from './guards';
import { toCell, type NotebookText } from '../detect/code/notebook';
import { LineIndex } from '../text';
import { applyView, LiteralError, locateLiteral, sourceForm, writeLiteral, type LiteralTarget } from './literal';
import { protect, restore, templatePlaceholders, type Protected } from './placeholders';

export { chatRewrite, ChatError, hostOf, stripFence, type ChatMessage, type ChatReply, type ChatRequest } from './chat';
export { CompressCache, cacheKey, contentKey } from './cache';
export { LiteralError } from './literal';

export const DEFAULT_COMPRESS_MODEL = 'gpt-4o-mini';
/** Below this many tokens a rewrite rarely saves anything worth a request. */
export const SHORT_PROMPT_TOKENS = 50;

/** Our instructions to the rewriting model (the prompt text goes in the user message). */
export const COMPRESS_INSTRUCTIONS = [
  'You shorten prompts written for language models. Rewrite the text the user sends so that it uses as few tokens as possible',
  'while keeping every instruction, constraint, number, name, example, format requirement and the exact meaning of every negation',
  '("never", "do not", "must not", "only"). Terse imperative lines are fine. Markers such as [[V1]] stand for values filled in later:',
  'keep each marker exactly as written, exactly once, where its value belongs; do not add markers, braces or placeholders of your own.',
  'Reply with the rewritten text only: no explanation, no quotes, no code fence.',
].join(' ');

export type CompressStatus = 'ok' | 'rejected' | 'no-saving' | 'error';

export interface CompressResult {
  status: CompressStatus;
  reason?: string;
  file: string;
  /** 1-based line of the literal's start. */
  line: number;
  /** The rewriting model. */
  model: string;
  /** The model the prompt is priced at (as `scan` prices it): tokens and the saving are in its terms. */
  promptModel?: string;
  before: { text: string; tokens: number };
  after?: { text: string; tokens: number };
  saved?: { tokens: number; perCallUsd: number; monthlyUsd: number };
  /**
   * Every prompt of the workspace that sends the rewritten text, each at its own model and traffic (the
   * prompt named first): `saved` is their sum. Absent when no workspace listing was given.
   */
  senders?: SenderSaving[];
  warnings: string[];
  diff?: string;
  applied: boolean;
  /** The edit that makes the rewrite (ok results). */
  /** In a notebook, `range` is within code cell `cell` (its index among all cells). */
  /** `file`: the root-relative file the edit goes into when it is not the one analysed (a flow's template, a promptfoo `file://` text). */
  edit?: { range: Range; newText: string; cell?: number; file?: string };
  /** The compress request's own tokens and cost (estimated before sending; from usage after). */
  request?: { tokens: number; costUsd?: number; cached?: boolean };
  notes?: string[];
}

/** One prompt's share of a rewrite's saving: `line` 1-based, `tokens` fewer input tokens per call in its tokenizer. */
export interface SenderSaving { id: string; file: string; line: number; model: string; tokens: number; perCallUsd: number; monthlyUsd: number }

/**
 * The workspace's prompts as `scan` lists them, and each file's options with the readers the scan gives
 * it: a rewrite is priced at every prompt that sends its text, not only at the one it was asked from.
 */
export interface Senders {
  prompts: PromptReport[];
  analyzeFor: (file: string) => AnalyzeOptions;
}

export class CompressError extends Error {
  /**
   * `at`: where the problem is (`line` 1-based), `detail`: what it is; the message says both.
   * `noPrompt`: no prompt of this file holds the line (a prompt of another file may send its text).
   */
  constructor(readonly at: { file: string; line?: number }, readonly detail: string, readonly usage = false, readonly noPrompt = false) {
    super(`${at.file}${at.line !== undefined ? `:${at.line}` : ''}: ${detail}`);
  }
}

// ---------------------------------------------------------------- text frame

interface Frame { lead: string; trail: string; indent: string }

/** Leading/trailing whitespace and the common indentation of lines 2…n: layout, not content, to the rewriter. */
function unframe(v: string): { core: string; frame: Frame } {
  const lead = /^\s*/.exec(v)![0];
  const rest = v.slice(lead.length);
  const trail = /\s*$/.exec(rest)![0];
  const core = rest.slice(0, rest.length - trail.length);
  const lines = core.split('\n');
  let indent: string | undefined;
  for (const l of lines.slice(1)) {
    if (!l.trim()) continue;
    const i = /^[ \t]*/.exec(l)![0];
    if (indent === undefined) indent = i;
    else {
      let k = 0;
      while (k < indent.length && k < i.length && indent[k] === i[k]) k++;
      indent = indent.slice(0, k);
    }
  }
  indent ??= '';
  const stripped = lines.map((l, i) => (i === 0 ? l : l.trim() ? l.slice(indent!.length) : ''));
  return { core: stripped.join('\n'), frame: { lead, trail, indent } };
}

function reframe(core: string, f: Frame): string {
  return f.lead + core.split('\n').map((l, i) => (i === 0 || !l.trim() ? l : f.indent + l)).join('\n') + f.trail;
}

// ---------------------------------------------------------------- choosing the part

/**
 * `line`/`character` 0-based; in a notebook (.ipynb `text`) they are within code cell `cell` (its index
 * among all cells). `in`: the position is in that root-relative file, whose text a prompt of `file` sends
 * (a flow's template, a promptfoo `file://` prompt): the part written there is the one rewritten.
 */
export interface Target { file: string; text: string; line: number; character?: number; part?: number; cell?: number; in?: string }

export interface PlanOptions {
  engine: Engine;
  analyze: AnalyzeOptions;
  /** The model that rewrites (promptCost.compress.model / --model). */
  compressModel: string;
}

export interface CompressPlan {
  file: string;
  line: number;
  target: LiteralTarget;
  prompt: PromptReport;
  /** The prompt's index among the file's prompts (to find it again in the rewritten file). */
  promptIndex: number;
  /**
   * The code the literal is found and rewritten in: the file, a notebook's code cells joined as Python,
   * or the file another file's prompt reads its text from (then `holder` is the file analysed).
   */
  source: { file: string; text: string; notebook?: NotebookText };
  holder?: { file: string; text: string };
  partIndex: number;
  view: { text: string; core: string; frame: Frame };
  before: { text: string; tokens: number };
  protectedText: Protected;
  messages: ChatMessage[];
  compressModel: string;
  request: { tokens: number; costUsd?: number };
  notes: string[];
}

function contains(r: Range, p: Position): boolean {
  const after = p.line > r.start.line || (p.line === r.start.line && p.character >= r.start.character);
  const before = p.line < r.end.line || (p.line === r.end.line && p.character <= r.end.character);
  return after && before;
}

/**
 * The prompt part named by FILE:LINE (and --part N), as the CLI contract says; `note` says which part
 * was taken when LINE names the prompt rather than a text of it (its call, a run's run-time input).
 */
export function choosePart(detected: DetectedPrompt[], reports: PromptReport[], t: Target): { prompt: number; part: number; note?: string } {
  const lineHits: { prompt: number; part: number; size: number }[] = [];
  const size = (r: Range) => (r.end.line - r.start.line) * 10000 + (r.end.character - r.start.character);
  // The parts written where the position is: in this file, or in the file `t.in` names.
  const here = (p: { file?: string }) => (t.in === undefined ? !p.file : p.file === t.in);
  detected.forEach((d, i) => d.parts.forEach((p, k) => {
    if (!here(p)) return;
    const onLine = p.range.start.line <= t.line && t.line <= p.range.end.line;
    const atChar = t.character === undefined || contains(p.range, { line: t.line, character: t.character });
    if (onLine && atChar) lineHits.push({ prompt: i, part: k, size: size(p.range) });
  }));
  lineHits.sort((a, b) => a.size - b.size);
  // A part on the line with no static text (a run's `question` argument) has nothing to rewrite: the line
  // names its prompt, whose largest static part (an agent's instructions) is taken below.
  const textual = lineHits.filter((h) => reports[h.prompt].parts[h.part].tokens > 0);
  // A position within a part (the editor's quick fix, a re-plan after an edit) names that part whatever its
  // number: a rewrite may change how many parts the prompt has (alternatives, folded fragments), so the
  // number alone would drift. The number only chooses among parts that all hold the position.
  if (t.character !== undefined && lineHits.length) return lineHits.find((h) => h.part === t.part) ?? lineHits[0];
  if (t.part === undefined && textual.length) return textual[0];
  // A range that ends at the start of a line (a YAML list item's) does not hold that line: it is the next item's.
  const lastLine = (r: Range) => (r.end.character === 0 && r.end.line > r.start.line ? r.end.line - 1 : r.end.line);
  // A line of the call that builds an agent names its run (the request that sends the agent's instructions).
  const within = (r: Range) => r.start.line <= t.line && t.line <= lastLine(r);
  const holding = lineHits.length ? lineHits[0].prompt : detected.findIndex((d) => within(d.range) || (d.agentCall?.file === t.file && within(d.agentCall.range)));
  if (holding < 0 || (t.in !== undefined && !lineHits.length)) throw new CompressError({ file: t.in ?? t.file, line: t.line + 1 }, `no prompt here (run \`prompt-cost scan ${t.in ?? t.file}\` to list them)`, true, true);
  const parts = detected[holding].parts;
  if (t.part !== undefined) {
    if (t.part < 0 || t.part >= parts.length) throw new CompressError({ file: t.file, line: t.line + 1 }, `--part ${t.part + 1} is out of range: this prompt has ${parts.length} part${parts.length === 1 ? '' : 's'}`, true);
    return { prompt: holding, part: t.part };
  }
  // The prompt's largest static part, wherever it is written (the file holding it is the one rewritten,
  // and the note says where): a call whose system text is imported and whose user text is a short
  // line here is worth compressing for the system text — 6 tokens rewritten would save nothing.
  // A run of an agent built in another file has only its input here: the agent's instructions are there.
  let best = -1;
  reports[holding].parts.forEach((p, k) => {
    if (p.tokens > 0 && (best < 0 || p.tokens > reports[holding].parts[best].tokens)) best = k;
  });
  if (best < 0) throw new CompressError({ file: t.file, line: t.line + 1 }, 'this prompt has no static text to rewrite');
  const chosen = reports[holding].parts[best];
  const runtime = [...new Set(lineHits.flatMap((h) => reports[h.prompt].parts[h.part].slots.map((s) => s.name)))];
  const agent = detected[holding].agentCall;
  const why = runtime.length ? `holds only run-time values (${runtime.join(', ')})`
    : agent?.file === t.file && within(agent.range) && !within(detected[holding].range) ? `is in the agent that ${t.file}:${detected[holding].range.start.line + 1} runs`
    : 'is in no text of the prompt';
  const note = `${t.in ?? t.file}:${t.line + 1} ${why}: compressing the prompt's largest static part, part ${best + 1} of ${parts.length} (${chosen.role}, ${chosen.tokens} tokens)${t.cell === undefined ? ` at ${chosen.file ?? t.file}:${chosen.range.start.line + 1}` : ''}; --part N picks another`;
  return { prompt: holding, part: best, note };
}

/** What compress would send for the part at `t`, with its own cost; throws CompressError when there is nothing to rewrite. */
export async function planCompress(t: Target, o: PlanOptions): Promise<CompressPlan> {
  const lang = langForFile(t.file);
  if (lang) await ensureLanguages([lang]);
  const detection = o.engine.detectSync(t.file, t.text, o.analyze);
  const analysis = o.engine.price(detection, o.analyze);
  // A notebook: the cells' code joined as Python (as the engine reads it), the cell's line placed in it.
  let source: CompressPlan['source'] = { file: t.file, text: t.text };
  if (detection.notebook) {
    const nb = detection.notebook;
    const cell = nb.cells.find((c) => c.index === t.cell);
    if (!cell) throw new CompressError({ file: t.file }, t.cell === undefined ? 'name a code cell (compress rewrites a prompt in one notebook cell)' : `cell ${t.cell + 1} is not a code cell`, true);
    source = { file: `${t.file}.py`, text: nb.text, notebook: nb };
    t = { ...t, line: cell.startLine + t.line };
  }
  const at = choosePart(detection.detected, analysis.prompts, t);
  const part = detection.detected[at.prompt].parts[at.part];
  const prompt = analysis.prompts[at.prompt];
  const notes: string[] = at.note ? [at.note] : [];
  let holder: CompressPlan['holder'];
  if (part.file) {
    // The text is in the file this one names: that file is rewritten, and the prompt priced again from here.
    const text = o.analyze.readWorkspaceFile?.(part.file);
    if (text === undefined) throw new CompressError({ file: t.file, line: prompt.range.start.line + 1 }, `this prompt's text is in ${part.file}, which cannot be read from here; run \`prompt-cost compress ${part.file}:${part.range.start.line + 1}\``);
    const refLang = langForFile(part.file);
    if (refLang) await ensureLanguages([refLang]);
    holder = { file: t.file, text: t.text };
    source = { file: part.file, text };
    notes.push(`the text of ${t.file}:${prompt.range.start.line + 1} is written in ${part.file}: the rewrite edits that file (every prompt that sends it changes)`);
  }
  const where = { file: source.notebook ? t.file : source.file, line: part.range.start.line + 1 };
  let target: LiteralTarget;
  try {
    target = await locateLiteral(source.file, source.text, part.range);
  } catch (e) {
    if (e instanceof LiteralError) throw new CompressError(where, e.message);
    throw e;
  }
  const visible = applyView(target.content, target.view);
  // The literal must hold this part's text and nothing else (a Semantic Kernel template holds several
  // messages; a %-formatted string has values the engine filled in): compared without whitespace,
  // run-time values or template markup.
  const bare = (s: string) => s.replace(/[\ue000-\uf8ff]/g, '').split(/\s+/).join('');
  const strip = (s: string) => bare(templatePlaceholders(s).reduceRight((t, p) => t.slice(0, p.start) + t.slice(p.end), s));
  if (strip(visible) !== strip(part.text)) throw new CompressError(where, `the ${target.description} here holds more than this part's text (or values filled in by the program); compress rewrites a literal that is exactly one part`);
  const { core, frame } = unframe(visible);
  if (!core.replace(/[\ue000-\uf8ff]/g, '').trim()) throw new CompressError(where, 'this part has no static text to rewrite');
  const before = { text: sourceForm(visible, target.slots), tokens: o.engine.counter.count(sourceForm(visible, target.slots), prompt.model.id).tokens };
  const p = protect(core, target.slots);
  const messages: ChatMessage[] = [{ role: 'system', content: COMPRESS_INSTRUCTIONS }, { role: 'user', content: p.text }];
  const choice = resolveTokenizer(o.compressModel);
  const content = messages.reduce((n, m) => n + o.engine.counter.encodingTokens(m.content, choice.encoding), 0);
  const requestTokens = o.engine.counter.scaled(content + chatOverheadTokens(messages, choice.encoding), choice);
  const outputGuess = o.engine.counter.scaled(o.engine.counter.encodingTokens(p.text, choice.encoding), choice);
  const pricing = lookupPrice(o.compressModel, o.analyze.config.prices);
  const cost = pricing.priced ? computeCost(pricing, { inputTokens: requestTokens, outputTokens: outputGuess }, { callsPerDay: 1, daysPerMonth: 1 }).perCallUsd : undefined;
  if (before.tokens < SHORT_PROMPT_TOKENS) {
    // The text on the line may be a run's short input while the agent's instructions are the prompt's bulk.
    const bulk = prompt.parts.reduce((best, p, k) => (p.tokens > (best < 0 ? before.tokens : prompt.parts[best].tokens) ? k : best), -1);
    const other = bulk >= 0 && bulk !== at.part ? `; the prompt's largest static part is part ${bulk + 1} (${prompt.parts[bulk].role}, ${prompt.parts[bulk].tokens} tokens): --part ${bulk + 1}` : '';
    notes.push(`this part is ${before.tokens} tokens: short prompts rarely shrink${other}`);
  }
  return {
    file: holder ? source.file : t.file, line: (source.notebook ? toCell(source.notebook, target.range).range : target.range).start.line + 1, target, prompt, promptIndex: at.prompt, partIndex: at.part, source, ...(holder ? { holder } : {}),
    view: { text: visible, core, frame }, before, protectedText: p, messages, compressModel: o.compressModel,
    request: { tokens: requestTokens, ...(cost !== undefined ? { costUsd: cost } : {}) }, notes,
  };
}

function result(plan: CompressPlan, status: CompressStatus, extra: Partial<CompressResult> = {}): CompressResult {
  return { status, file: plan.file, line: plan.line, model: plan.compressModel, promptModel: plan.prompt.model.id, before: plan.before, warnings: [], applied: false, ...(plan.notes.length ? { notes: plan.notes } : {}), ...extra };
}

/** An error before or during the request, in the result shape. */
export function errorResult(plan: CompressPlan, reason: string): CompressResult {
  return result(plan, 'error', { reason });
}

/**
 * The saving of the rewrite as the prompt pays it: the prompt priced in the rewritten file against the
 * prompt as it is, so a part inside a cached prefix saves at the cached input price (reads at the hit
 * rate, writes on misses) and tiers apply as they do to the bill. Falls back to the uncached input price
 * when the rewritten file no longer lines up prompt for prompt.
 */
export function rewriteSaving(plan: CompressPlan, updatedText: string, tokens: number, o: PlanOptions): { tokens: number; perCallUsd: number; monthlyUsd: number } {
  const before = plan.prompt.cost;
  if (before.priced && before.perCallUsd !== undefined && before.monthlyUsd !== undefined) {
    const prompts = o.engine.price(detectUpdated(plan, updatedText, o), o.analyze).prompts;
    const after = prompts[plan.promptIndex]?.cost;
    if (prompts[plan.promptIndex]?.model.id === plan.prompt.model.id && after?.perCallUsd !== undefined && after.monthlyUsd !== undefined) {
      // 12 significant digits: the difference of two sums carries float noise (…0000004) otherwise.
      const usd = (x: number) => Number(Math.max(0, x).toPrecision(12));
      return { tokens, perCallUsd: usd(before.perCallUsd - after.perCallUsd), monthlyUsd: usd(before.monthlyUsd - after.monthlyUsd) };
    }
  }
  return savingOf(plan.prompt, tokens, o.analyze);
}

/** Saving of `tokens` fewer input tokens per call, at the prompt's model and traffic (uncached input price). */
export function savingOf(prompt: PromptReport, tokens: number, analyze: AnalyzeOptions): { tokens: number; perCallUsd: number; monthlyUsd: number } {
  const pricing = lookupPrice(prompt.model.id, analyze.config.prices);
  if (!pricing.priced) return { tokens, perCallUsd: 0, monthlyUsd: 0 };
  const c = computeCost(pricing, { inputTokens: tokens, outputTokens: 0 }, { callsPerDay: prompt.traffic.callsPerDay, daysPerMonth: prompt.traffic.daysPerMonth });
  return { tokens, perCallUsd: c.perCallUsd ?? 0, monthlyUsd: c.monthlyUsd ?? 0 };
}

/** The model's reply → a checked rewrite of the literal (or why not). Never throws for a bad reply. */
export async function finishCompress(plan: CompressPlan, reply: string, o: PlanOptions & { text: string; senders?: Senders; usage?: { inputTokens: number; outputTokens: number }; cached?: boolean }): Promise<CompressResult> {
  const request = requestFigures(plan, o);
  // Every outcome names the model of the prompt that sends the text (as a saving is counted in), not the
  // model of the part's own row (a constant's: the default).
  const sending = sendingPrompts(plan, o);
  const promptModel = sending[0]?.prompt.model.id ?? plan.prompt.model.id;
  const restored = restore(reply.trim(), plan.protectedText);
  if (!restored.ok) return result(plan, 'rejected', { reason: restored.reason, request, promptModel });
  if (!restored.text.replace(/[\ue000-\uf8ff]/g, '').trim()) return result(plan, 'rejected', { reason: 'the rewrite left no text of its own, only the run-time values', request, promptModel });
  return { ...(await writeRewrite(plan, restored.text, o, request, guardWarnings(plan.protectedText.text, reply, sentinelRe(plan.protectedText)), sending)), promptModel };
}

/** The prompts that send the plan's text (none for a notebook's cell: its senders are not looked up). */
function sendingPrompts(plan: CompressPlan, o: { senders?: Senders }): { prompt: PromptReport; part: number }[] {
  return o.senders && !plan.source.notebook ? sendersOf(plan, o.senders.prompts) : [];
}

function requestFigures(plan: CompressPlan, o: { usage?: { inputTokens: number; outputTokens: number }; cached?: boolean; analyze: AnalyzeOptions }): CompressResult['request'] {
  if (o.cached) return { tokens: 0, costUsd: 0, cached: true };
  if (!o.usage) return plan.request;
  const pricing = lookupPrice(plan.compressModel, o.analyze.config.prices);
  const costUsd = pricing.priced ? computeCost(pricing, { inputTokens: o.usage.inputTokens, outputTokens: o.usage.outputTokens }, { callsPerDay: 1, daysPerMonth: 1 }).perCallUsd : undefined;
  return { tokens: o.usage.inputTokens + o.usage.outputTokens, ...(costUsd !== undefined ? { costUsd } : {}) };
}

function sentinelRe(p: Protected): RegExp {
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`${esc(p.open)}\\s*\\d+\\s*${esc(p.close)}`, 'g');
}

async function writeRewrite(plan: CompressPlan, core: string, o: PlanOptions & { text: string; senders?: Senders }, request: CompressResult['request'], warnings: string[], sending = sendingPrompts(plan, o), frame = unframe(plan.target.content).frame): Promise<CompressResult> {
  const t = plan.target;
  const content = reframe(core, frame);
  const visible = applyView(content, t.view);
  if (unframe(visible).core !== unframe(reframe(core, { ...frame, lead: '', trail: '' })).core && t.view.dedent) {
    return result(plan, 'rejected', { reason: `the rewrite does not survive the ${t.view.dedent} call around the literal`, request, warnings });
  }
  let written: { newText: string };
  try {
    written = await writeLiteral(plan.source.file, plan.source.text, t, content);
  } catch (e) {
    if (e instanceof LiteralError) return result(plan, 'rejected', { reason: e.message, request, warnings });
    throw e;
  }
  const afterText = sourceForm(visible, t.slots);
  // Tokens in the tokenizer of the first prompt that sends the text: the one asked from, else the workspace's first.
  const promptModel = sending[0]?.prompt.model.id ?? plan.prompt.model.id;
  const count = (s: string) => o.engine.counter.count(s, promptModel).tokens;
  const before = promptModel === plan.prompt.model.id ? plan.before : { text: plan.before.text, tokens: count(plan.before.text) };
  const after = { text: afterText, tokens: count(afterText) };
  const base = { before, promptModel, after, warnings, request, diff: plan.before.text === afterText ? '' : createTwoFilesPatch(`${plan.file}:${plan.line} (before)`, `${plan.file}:${plan.line} (after)`, ensureNewline(plan.before.text), ensureNewline(afterText), undefined, undefined, { context: 3 }) };
  if (after.tokens >= before.tokens) {
    return result(plan, 'no-saving', { ...base, reason: `no saving: the rewrite is ${after.tokens} tokens, the prompt ${before.tokens}` });
  }
  const code = plan.source.text;
  const lines = new LineIndex(code);
  const updated = code.slice(0, lines.offset(t.range.start)) + written.newText + code.slice(lines.offset(t.range.end));
  // The rewrite must still be found where it is written: a prompt the heuristic found by its wording
  // ("Summarize the following …") is one only while it reads so, and a part left with a word or two
  // (`query: ${query}`) is no text of its own. Either would vanish from the report, not cost less.
  if (!stillFound(plan, updated, o)) {
    return result(plan, 'rejected', { ...base, reason: plan.prompt.confidence === 'heuristic' ? 'the rewrite would no longer be found as a prompt: this one is found by how its text reads (keep its opening words)' : 'the rewrite would no longer be found as a prompt part: too little text of its own is left' });
  }
  const nb = plan.source.notebook;
  // … and read back as the same part: a rewrite that leaves the literal holding more than the part (a
  // nested template the detection now reads apart) could not be compressed or checked again
  if (!nb && !plan.holder) {
    const back = await planCompress({ file: plan.file, text: updated, line: t.range.start.line, character: t.range.start.character, part: plan.partIndex }, o).then((x) => x.before.text, () => undefined);
    if (back !== afterText) return result(plan, 'rejected', { ...base, reason: 'the rewrite would not read back as the same prompt part: keep the text around its run-time values as it is' });
  }
  const edit = nb ? { ...toCell(nb, t.range), newText: written.newText } : { range: t.range, newText: written.newText, ...(plan.holder ? { file: plan.source.file } : {}) };
  const tokens = before.tokens - after.tokens;
  if (!sending.length) return result(plan, 'ok', { ...base, saved: rewriteSaving(plan, updated, tokens, o), edit });
  const senders = senderSavings(plan, updated, afterText, sending.map((s) => s.prompt), { engine: o.engine, senders: o.senders! });
  const usd = (x: number) => Number(x.toPrecision(12));
  const saved = { tokens, perCallUsd: usd(senders.reduce((n, x) => n + x.perCallUsd, 0)), monthlyUsd: usd(senders.reduce((n, x) => n + x.monthlyUsd, 0)) };
  return result(plan, 'ok', { ...base, saved, senders, edit });
}

const atOrBefore = (a: Position, b: Position) => a.line < b.line || (a.line === b.line && a.character <= b.character);

/**
 * The prompts of `prompts` that send the plan's text — a part written in the same file, over the same
 * range — each with that part's index; the prompt the plan was made from first, the rest in their order.
 */
export function sendersOf(plan: CompressPlan, prompts: PromptReport[]): { prompt: PromptReport; part: number }[] {
  const r = plan.target.range;
  const out: { prompt: PromptReport; part: number }[] = [];
  for (const p of prompts) {
    const part = p.parts.findIndex((x) => (x.file ?? p.file) === plan.source.file && x.cell === undefined && atOrBefore(x.range.start, r.end) && atOrBefore(r.start, x.range.end));
    if (part >= 0) out.push({ prompt: p, part });
  }
  // By place, not id: the workspace numbers ids that prompts of several files share (id, id#2…).
  const own = out.findIndex((s) => s.prompt.file === plan.prompt.file && samePosition(s.prompt.range.start, plan.prompt.range.start));
  if (own > 0) out.unshift(...out.splice(own, 1));
  return out;
}

const samePosition = (a: Position, b: Position) => a.line === b.line && a.character === b.character;

/**
 * Each sender's saving as `scan` prices it: its file analysed as it is and with `updated` as the
 * source's text, at that prompt's model, tokenizer and traffic (a part in a cached prefix saves at the
 * cached price). Where the analyses no longer line up, the uncached input price of the tokens saved.
 */
function senderSavings(plan: CompressPlan, updated: string, afterText: string, sending: PromptReport[], o: { engine: Engine; senders: Senders }): SenderSaving[] {
  const edited = plan.source.file;
  const priced = new Map<string, { before: PromptReport[]; after: PromptReport[] } | undefined>();
  const priceFile = (file: string) => {
    const analyze = o.senders.analyzeFor(file);
    const own = file === edited;
    const text = own ? plan.source.text : file === plan.holder?.file ? plan.holder.text : analyze.readWorkspaceFile?.(file);
    if (text === undefined) return undefined;
    const dir = path.posix.dirname(file);
    const readWorkspaceFile = (rel: string) => (rel === edited ? updated : analyze.readWorkspaceFile?.(rel));
    const readRelative = (p: string) => (path.posix.normalize(path.posix.join(dir, p.replace(/\\/g, '/'))) === edited ? updated : analyze.readRelative?.(p));
    return {
      before: o.engine.price(o.engine.detectSync(file, text, analyze), analyze).prompts,
      after: o.engine.price(o.engine.detectSync(file, own ? updated : text, { ...analyze, readWorkspaceFile, readRelative, project: undefined }), analyze).prompts,
    };
  };
  // 12 significant digits: the difference of two sums carries float noise (…0000004) otherwise.
  const usd = (x: number) => Number(Math.max(0, x).toPrecision(12));
  return sending.map((p) => {
    if (!priced.has(p.file)) priced.set(p.file, priceFile(p.file));
    const both = priced.get(p.file);
    // Found by place: one file's analysis does not number the ids the workspace shares (id#2).
    const i = both ? both.before.findIndex((q) => samePosition(q.range.start, p.range.start)) : -1;
    const [b, a] = i >= 0 ? [both!.before[i], both!.after[i]] : [];
    const row = { id: p.id, file: p.file, line: p.range.start.line + 1, model: p.model.id };
    if (b && a && a.id === b.id && a.model.id === b.model.id && b.cost.perCallUsd !== undefined && b.cost.monthlyUsd !== undefined && a.cost.perCallUsd !== undefined && a.cost.monthlyUsd !== undefined) {
      return { ...row, tokens: b.tokens.input - a.tokens.input, perCallUsd: usd(b.cost.perCallUsd - a.cost.perCallUsd), monthlyUsd: usd(b.cost.monthlyUsd - a.cost.monthlyUsd) };
    }
    const tokens = o.engine.counter.count(plan.before.text, p.model.id).tokens - o.engine.counter.count(afterText, p.model.id).tokens;
    return { ...row, ...savingOf(p, tokens, o.senders.analyzeFor(p.file)) };
  });
}

/** Does a prompt part still hold the literal's start once `updated` replaces the source? */
function stillFound(plan: CompressPlan, updated: string, o: PlanOptions): boolean {
  const at = plan.target.range.start;
  const inSource = (file: string | undefined) => (plan.holder ? file === plan.source.file : !file);
  return detectUpdated(plan, updated, o).detected.some((d) => d.parts.some((p) => inSource(p.file) && contains(p.range, at)));
}

/**
 * The analysed file's detection once `updated` is the source's text: the source itself, or — when the
 * text is in a file another one reads (a flow's template) — that other file, reading `updated` for it.
 */
function detectUpdated(plan: CompressPlan, updated: string, o: PlanOptions): Detection {
  if (!plan.holder) return o.engine.detectSync(plan.source.file, updated, o.analyze);
  const edited = plan.source.file;
  const dir = path.posix.dirname(plan.holder.file);
  const readWorkspaceFile = (rel: string) => (rel === edited ? updated : o.analyze.readWorkspaceFile?.(rel));
  const readRelative = (p: string) => (path.posix.normalize(path.posix.join(dir, p.replace(/\\/g, '/'))) === edited ? updated : o.analyze.readRelative?.(p));
  return o.engine.detectSync(plan.holder.file, plan.holder.text, { ...o.analyze, readWorkspaceFile, readRelative, project: undefined });
}

const ensureNewline = (s: string) => (s.endsWith('\n') ? s : s + '\n');

// ---------------------------------------------------------------- tidy

/** Trailing spaces, runs of blank lines, and (where the indentation is sent) common indentation. */
export function tidyText(core: string): string {
  return core.split('\n').map((l) => l.replace(/[ \t]+$/, '')).join('\n').replace(/\n{3,}/g, '\n\n');
}

/** "Tidy prompt whitespace": the same result shape, no network. */
export async function tidyCompress(plan: CompressPlan, o: PlanOptions & { text: string; senders?: Senders }): Promise<CompressResult> {
  const t = plan.target;
  const frame = unframe(t.content).frame;
  // Where the program dedents, indentation is not sent: keep it. Elsewhere it is sent, and goes.
  const tidyFrame = t.view.dedent ? frame : { ...frame, indent: '', lead: frame.lead.replace(/[ \t]+$/, '') };
  const core = tidyText(unframe(applyView(t.content, t.view)).core);
  if (reframe(core, tidyFrame) === t.content) return result({ ...plan, compressModel: 'none' }, 'no-saving', { reason: 'nothing to tidy: no trailing spaces, blank-line runs or common indentation' });
  const r = await writeRewrite({ ...plan, compressModel: 'none' }, core, o, { tokens: 0, costUsd: 0 }, [], undefined, tidyFrame);
  return r;
}

/**
 * The diff editor's title: the saving per call and per month at the prompt's traffic — or, for text
 * several prompts send, the month's total over them (each at its own traffic) — and the request's own cost.
 */
export function savingTitle(r: CompressResult, callsPerDay: number): string {
  if (!r.saved || !r.after) return `${r.file}:${r.line}: ${r.status}`;
  const request = r.request?.cached ? 'cached, no request' : r.request?.costUsd !== undefined ? `request ${formatUsd(r.request.costUsd)}` : 'request unpriced';
  const tokens = `−${groupDigits(r.saved.tokens)} token${r.saved.tokens === 1 ? '' : 's'}/call (${groupDigits(r.before.tokens)} → ${groupDigits(r.after.tokens)})`;
  const n = r.senders?.length ?? 0;
  if (n > 1) return `${tokens} on ${r.promptModel} · ${formatUsd(r.saved.monthlyUsd)}/month over the ${n} prompts that send it · ${request}`;
  return `${tokens} · ${formatUsd(r.saved.perCallUsd)}/call · ${formatUsd(r.saved.monthlyUsd)}/month at ${groupDigits(callsPerDay)} calls/day · ${request}`;
}
