// The server side of "Compress prompt": code actions that run the client's command, and the two requests
// around the network call — prepare (what would be sent, its tokens and cost) and finish (the reply
// checked, re-escaped and priced, as an edit bound to the document version it was computed for). The
// call itself happens in the client, where the key is: no key ever reaches this process.
import { CodeActionKind, type CodeAction, type Connection, type Diagnostic as LspDiagnostic, type Range } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { AnalyzeOptions } from '../core/analyze';
import { Engine } from '../core/analyze';
import { finishCompress, planCompress, savingTitle, sendersOf, tidyCompress, CompressError, type CompressPlan, type CompressResult, type Senders } from '../core/compress';
import { RewriteLedger } from '../core/compress/savings';
import type { DetectedPrompt, PromptReport } from '../core/model';
import { contains } from './convert';
import {
  CompressFinishRequest, CompressPrepareRequest, TidyRequest,
  type CompressFinishParams, type CompressPrepareParams, type CompressPrepared, type CompressOutcome, type CompressTarget,
} from './protocol';

export interface CompressHost {
  /** The document (a notebook cell's, with `cell` its index and `notebookText` the notebook as .ipynb JSON). */
  target(uri: string): Promise<{ doc: TextDocument; rel: string; cell?: number; notebookText?: string } | undefined>;
  /** Price options (config, settings) and detect options for a file. */
  options(rel: string): AnalyzeOptions;
  /** The workspace's prompts that send text written in `rel` (a constant's importers too), as the scan prices them. */
  promptsUsing(rel: string): PromptReport[];
}

/** The rewrites finished this session: the report panel's compression lever. */
export const rewriteLedger = new RewriteLedger();

export const COMPRESS_COMMAND = 'promptCost.compressPrompt';
export const TIDY_COMMAND = 'promptCost.tidyPrompt';

/** Plans waiting for their reply, by id (a few: one per compress the user started). */
const plans = new Map<string, { plan: CompressPlan; text: string; uri: string; version: number; rel: string }>();
let nextId = 1;
// Its own engine: planning parses the file again, which must not disturb the incremental trees of the
// engine that serves keystrokes.
const engine = new Engine();

/** "Compress prompt" (and "Tidy prompt whitespace") on the prompt part under the cursor. */
export function compressActions(args: {
  uri: string; version: number; range: Range; prompts: PromptReport[]; detected: DetectedPrompt[] | undefined;
  rel: string; cell?: number; diagnostics: LspDiagnostic[]; only?: string[];
}): CodeAction[] {
  const wants = (kind: string) => !args.only || args.only.some((o) => kind === o || kind.startsWith(`${o}.`));
  const actions: CodeAction[] = [];
  const at = args.range.start;
  for (const [i, p] of args.prompts.entries()) {
    if (p.file !== args.rel) continue;
    // In a notebook, the parts written in this cell (ranges are within their cell).
    const k = p.parts.findIndex((part) => !part.file && part.cell === args.cell && part.tokens > 0 && contains(part.range, at));
    if (k < 0) continue;
    const target: CompressTarget = { uri: args.uri, version: args.version, position: at, part: k };
    if (!wants(CodeActionKind.RefactorRewrite)) break;
    actions.push({ title: 'Compress prompt', kind: CodeActionKind.RefactorRewrite, command: { title: 'Compress prompt', command: COMPRESS_COMMAND, arguments: [target] } });
    const text = args.detected?.[i]?.parts[k]?.text ?? '';
    if (/[ \t]+\n|\n[ \t]*\n[ \t]*\n|\n[ \t]+\S/.test(text)) {
      actions.push({ title: 'Tidy prompt whitespace', kind: CodeActionKind.RefactorRewrite, command: { title: 'Tidy prompt whitespace', command: TIDY_COMMAND, arguments: [target] } });
    }
    break;
  }
  // Over budget: the same action as a quick fix on the diagnostic.
  for (const d of args.diagnostics) {
    if (String(d.code) !== 'prompt-over-budget' || !wants(CodeActionKind.QuickFix)) continue;
    const p = args.prompts.find((x) => x.file === args.rel && x.diagnostics.some((y) => y.code === 'prompt-over-budget' && y.cell === args.cell && y.range.start.line === d.range.start.line));
    const k = p ? largestPart(p, args.cell) : -1;
    if (!p || k < 0) continue;
    const target: CompressTarget = { uri: args.uri, version: args.version, position: p.parts[k].range.start, part: k };
    actions.push({ title: 'Compress prompt', kind: CodeActionKind.QuickFix, diagnostics: [d], command: { title: 'Compress prompt', command: COMPRESS_COMMAND, arguments: [target] } });
  }
  return actions;
}

/** The largest part with static text written in this file (in a notebook: in cell `cell`, where the edit goes). */
function largestPart(p: PromptReport, cell: number | undefined): number {
  let best = -1;
  p.parts.forEach((part, k) => {
    if (!part.file && part.cell === cell && part.tokens > 0 && (best < 0 || part.tokens > p.parts[best].tokens)) best = k;
  });
  return best;
}

async function planAt(host: CompressHost, t: CompressTarget, compressModel: string): Promise<{ plan: CompressPlan; doc: TextDocument; rel: string; text: string } | { error: string }> {
  const found = await host.target(t.uri);
  if (!found || (found.cell !== undefined && found.notebookText === undefined)) return { error: 'Prompt Cost: compress works on code and prompt files, and on cells of a notebook saved in the workspace.' };
  if (t.version !== undefined && found.doc.version !== t.version) return { error: 'Prompt Cost: the file changed — run compress again.' };
  try {
    const text = found.notebookText ?? found.doc.getText();
    const plan = await planCompress({ file: found.rel, text, line: t.position.line, character: t.position.character, part: t.part, cell: found.cell }, { engine, analyze: host.options(found.rel), compressModel });
    // The editor applies the rewrite to this document; text written in another file is the CLI's to edit.
    if (plan.holder) return { error: `Prompt Cost: this prompt's text is written in ${plan.file}; run \`prompt-cost compress ${plan.file}:${plan.line}\` in a terminal to rewrite it there.` };
    return { plan, doc: found.doc, rel: found.rel, text };
  } catch (e) {
    if (e instanceof CompressError) return { error: `Prompt Cost: ${e.message}` };
    throw e;
  }
}

/** The prompts that send the plan's text, to price the rewrite at each of them as the CLI does. */
function sendersFor(host: CompressHost, plan: CompressPlan): Senders {
  return { prompts: host.promptsUsing(plan.source.file), analyzeFor: (file) => host.options(file) };
}

/** `senders`: the prompts that send the text (the title's traffic is the first one's). */
function outcome(r: CompressResult, plan: CompressPlan, senders: Senders, uri: string, version: number): CompressOutcome {
  const callsPerDay = (sendersOf(plan, senders.prompts)[0]?.prompt ?? plan.prompt).traffic.callsPerDay;
  return { ...r, uri, version, title: savingTitle(r, callsPerDay), callsPerDay };
}

export function registerCompress(connection: Connection, host: CompressHost): void {
  connection.onRequest(CompressPrepareRequest, async (p: CompressPrepareParams): Promise<CompressPrepared | { error: string }> => {
    const r = await planAt(host, p.target, p.model);
    if ('error' in r) return r;
    const id = String(nextId++);
    plans.set(id, { plan: r.plan, text: r.text, uri: p.target.uri, version: r.doc.version, rel: r.rel });
    while (plans.size > 8) plans.delete(plans.keys().next().value as string);
    return {
      id, messages: r.plan.messages, before: r.plan.before, requestTokens: r.plan.request.tokens,
      ...(r.plan.request.costUsd !== undefined ? { requestCostUsd: r.plan.request.costUsd } : {}),
      notes: r.plan.notes, description: r.plan.target.description, file: r.plan.file, line: r.plan.line,
    };
  });
  connection.onRequest(CompressFinishRequest, async (p: CompressFinishParams): Promise<CompressOutcome | { error: string }> => {
    const entry = plans.get(p.id);
    if (!entry) return { error: 'Prompt Cost: this compress request is no longer known to the server — run it again.' };
    plans.delete(p.id);
    const senders = sendersFor(host, entry.plan);
    const r = await finishCompress(entry.plan, p.reply, { engine, analyze: host.options(entry.rel), compressModel: entry.plan.compressModel, text: entry.text, usage: p.usage, cached: p.cached, senders });
    if (r.status === 'ok' && r.saved) {
      // Each sending prompt's own share; a text no listed prompt sends (its file not scanned yet) is the plan's.
      if (r.senders) sendersOf(entry.plan, senders.prompts).forEach((s, i) => rewriteLedger.record(s.prompt, s.part, r.senders![i].monthlyUsd));
      else rewriteLedger.record(entry.plan.prompt, entry.plan.partIndex, r.saved.monthlyUsd);
    }
    return outcome(r, entry.plan, senders, entry.uri, entry.version);
  });
  connection.onRequest(TidyRequest, async (t: CompressTarget): Promise<CompressOutcome | { error: string }> => {
    const r = await planAt(host, t, 'none');
    if ('error' in r) return r;
    const senders = sendersFor(host, r.plan);
    const result = await tidyCompress(r.plan, { engine, analyze: host.options(r.rel), compressModel: 'none', text: r.text, senders });
    return outcome(result, r.plan, senders, t.uri, r.doc.version);
  });
}
