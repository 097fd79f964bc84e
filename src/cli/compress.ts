// prompt-cost compress FILE:LINE — a cheap model's shorter rewrite of one prompt part, as a unified diff
// with its saving. Nothing is sent unless the user says yes (or --yes), nothing written without --apply.
// Exit: 0 ok / no-saving, 1 rejected / error / declined, 2 usage (no terminal to ask on without --yes).
import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import type { CompressResult } from '../core/compress';
import { formatUsd, groupDigits } from '../core/format';
import { toPosix } from '../core/text';
import { readNamedFile } from './inputs';
import { emptyValueText, optionErrorText } from './args';
import { readNumberOption } from './numberOptions';
import { COMMAND_HELP } from './help';

/* eslint-disable @typescript-eslint/no-require-imports */
const core = () => require('../core/compress') as typeof import('../core/compress');

export interface CompressIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  cwd: string;
  env: Record<string, string | undefined>;
  /** Asks on the terminal; undefined when standard input is not one (then only --yes sends). */
  ask?: (question: string) => Promise<string | undefined>;
}

export class CompressUsageError extends Error {}

export async function compressCommand(args: string[], io: CompressIo): Promise<number> {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    throw new CompressUsageError(optionErrorText(e, OPTIONS));
  }
  const { values, positionals } = parsed;
  const empty = emptyValueText(values);
  if (empty) throw new CompressUsageError(empty);
  if (values.help) {
    io.stdout(COMMAND_HELP.compress);
    return 0;
  }
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new CompressUsageError(`--format must be one of text, json, got "${format}"`);
  try {
    return await compressWith(values, positionals, format, io);
  } catch (e) {
    // --format json promises one object on stdout: a usage error (no key, bad FILE:LINE, …) is one too,
    // with the same exit code 2 and the message on stderr.
    if (format === 'json' && e instanceof CompressUsageError) {
      const m = /^(.+):(\d+)$/.exec(positionals[0] ?? '');
      io.stdout(JSON.stringify({ status: 'error', reason: e.message, file: m ? toPosix(m[1]) : positionals[0] ?? null, line: m ? Number(m[2]) : null, model: values.model ?? 'gpt-4o-mini', warnings: [], applied: false }, null, 2) + '\n');
    }
    throw e;
  }
}

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true; strict: true }>>['values'];

async function compressWith(values: Values, positionals: string[], format: 'text' | 'json', io: CompressIo): Promise<number> {
  if (positionals.length !== 1) throw new CompressUsageError('compress takes one FILE:LINE, e.g. `prompt-cost compress src/bot.ts:12`');
  const m = /^(.+):(\d+)$/.exec(positionals[0]);
  if (!m || Number(m[2]) < 1) throw new CompressUsageError(`"${positionals[0]}" is not FILE:LINE (LINE 1-based), e.g. src/bot.ts:12`);
  const [, fileArg, lineArg] = m;
  const number = (name: 'part' | 'timeout') => {
    const r = readNumberOption(values[name], name);
    if (r.problem) throw new CompressUsageError(r.problem);
    return r.value;
  };
  const part = number('part');
  const timeout = number('timeout') ?? 60;
  const abs = path.resolve(io.cwd, fileArg);
  if (/\.ipynb$/i.test(fileArg)) throw new CompressUsageError(`${fileArg}: the CLI rewrites code and prompt files; for a notebook cell use "Compress prompt" on the cell in VS Code`);
  // A regular, readable UTF-8 file (a named pipe is refused at once, never waited on).
  let text: string;
  try {
    text = readNamedFile(io.cwd, fileArg).text;
  } catch (e) {
    throw new CompressUsageError((e as Error).message);
  }
  const baseURL = values['base-url'] ?? (io.env.OPENAI_BASE_URL || undefined);
  if (baseURL !== undefined && !/^https?:\/\/[^\s/]+/.test(baseURL)) throw new CompressUsageError(`--base-url must be an http(s) URL, got "${baseURL}"`);
  // OpenAI itself needs a key; a server of your own (Ollama, vLLM…) named by --base-url may not (the
  // request goes without an Authorization header), and one that does answers 401, which is reported.
  // The key is checked only once there is something to send.
  const apiKey = io.env.OPENAI_API_KEY || undefined;
  const model = values.model ?? 'gpt-4o-mini';

  const c = core();
  const { Engine } = require('../core/analyze') as typeof import('../core/analyze');
  const { fileReaders, loadConfig, workspaceReader } = require('../core/workspace') as typeof import('../core/workspace');
  const { snapshotDir } = require('../core/tokens/encodings') as typeof import('../core/tokens/encodings');
  const rel = toPosix(path.relative(io.cwd, abs));
  const config = loadConfig(io.cwd);
  const engine = new Engine();
  // The files the scan reads for this one (config.json beside a skprompt.txt, a flow's templates, imports):
  // the prompt is found and priced as `scan` finds and prices it — its model, its parts.
  const reader = workspaceReader(io.cwd);
  const optionsFor = (file: string, extra: Partial<import('../core/analyze').AnalyzeOptions> = {}) => ({ engine, analyze: { config, ...fileReaders(io.cwd, file, reader), ...extra }, compressModel: model });
  let options = optionsFor(rel);
  // stdout holds the result only: an error is said on stderr (with --format json the object still goes to stdout).
  const print = (r: CompressResult) => {
    if (r.status === 'error') io.stderr(`${r.file}:${r.line}: error: ${r.reason}\n`);
    if (format === 'json') io.stdout(JSON.stringify(publicResult(r), null, 2) + '\n');
    else if (r.status !== 'error') io.stdout(textResult(r));
    return r.status === 'ok' || r.status === 'no-saving' ? 0 : 1;
  };

  // The workspace as `scan` lists it, scanned once: who sends a file's text, and at what price.
  let scanned: Promise<import('../core/model').ScanReport> | undefined;
  const scan = () => (scanned ??= scanWorkspaceOf(io.cwd));
  let plan: import('../core/compress').CompressPlan;
  const target = { file: rel, text, line: Number(lineArg) - 1, part: part === undefined ? undefined : part - 1 };
  try {
    try {
      plan = await c.planCompress(target, options);
    } catch (e) {
      // No prompt of this file holds the line: a prompt of another file may send this file's text (a flow's
      // template, a promptfoo file:// prompt), or code load it as a prompt. The workspace scan knows.
      const sent = e instanceof c.CompressError && e.noPrompt ? await sentFromElsewhere(io.cwd, rel, target.line, await scan()) : undefined;
      if (!sent) throw e;
      if (sent.loadedAs) {
        options = optionsFor(rel, { promptText: sent.loadedAs });
        plan = await c.planCompress(target, options);
      } else {
        options = optionsFor(sent.file);
        plan = await c.planCompress({ ...target, file: sent.file, text: sent.text, in: rel }, options);
      }
    }
  } catch (e) {
    if (e instanceof c.CompressError && e.usage) throw new CompressUsageError(e.message);
    if (!(e instanceof c.CompressError)) throw e;
    return print({ status: 'error', reason: e.detail, file: e.at.file, line: e.at.line ?? Number(lineArg), model, before: { text: '', tokens: 0 }, warnings: [], applied: false });
  }
  // What the user should know before anything is sent (which part was taken, a short part, another file edited).
  for (const n of plan.notes) io.stderr(`note: ${n}\n`);
  const dir = snapshotDir();
  const cache = new c.CompressCache(compressCacheFile(dir));
  const key = c.cacheKey({ messages: plan.messages, model, baseURL });
  let reply = cache.get(key);
  const cached = !!reply;
  if (!reply) {
    if (!apiKey && !baseURL) throw new CompressUsageError('no API key: set OPENAI_API_KEY, or name a server that needs none with --base-url (nothing was sent)');
    // The prompt goes to a third party: asked first, as in VS Code (a cached reply sends nothing, asks nothing).
    // --yes skips the question, not the telling: what goes where is still said, on stderr.
    const host = c.hostOf(baseURL);
    const { consentMessage, consentPreview, consentSummary, sendingSummary } = require('../core/compress/consent') as typeof import('../core/compress/consent');
    const consent = { host, model, file: plan.file, line: plan.line, endLine: plan.target.range.end.line + 1, requestTokens: plan.request.tokens, requestCostUsd: plan.request.costUsd, sent: plan.messages.find((m) => m.role === 'user')?.content ?? '' };
    if (values.yes) io.stderr(`${sendingSummary(consent)}\n`);
    else {
      if (!io.ask) throw new CompressUsageError(`compress would send the text of ${plan.file}:${plan.line} to ${host}, and standard input is not a terminal to ask on: pass --yes to send it (nothing was sent)`);
      io.stderr(`${consentSummary(consent)}\n\n${consentPreview(consent.sent)}\n\n`);
      const answer = await io.ask(`${consentMessage(consent)} [y/N] `);
      if (!/^\s*y(es)?\s*$/i.test(answer ?? '')) return print(c.errorResult(plan, `not sent: you did not answer yes, so nothing went to ${host} (--yes sends without asking)`));
    }
    try {
      reply = await c.chatRewrite({ apiKey, baseURL, model, messages: plan.messages, timeoutMs: timeout * 1000 });
    } catch (e) {
      if (e instanceof c.ChatError) return print(c.errorResult(plan, e.message));
      throw e;
    }
    cache.set(key, reply);
    // Also by content alone: the HTML report's compression lever finds it whatever model wrote it.
    cache.set(c.contentKey(plan.messages), reply);
  }
  // The saving is every sending prompt's, each priced in its own file as the scan prices it.
  const senders = { prompts: (await scan()).prompts, analyzeFor: (file: string) => optionsFor(file).analyze };
  const result = await c.finishCompress(plan, reply.text, { ...options, text: plan.holder?.text ?? text, usage: reply.usage, cached, senders });
  if (values.apply && result.status === 'ok' && result.edit) {
    // The file the rewrite goes into: FILE, or the file its prompt reads the text from (a template).
    const edited = plan.source.file;
    const editedAbs = path.resolve(io.cwd, edited);
    if (fs.readFileSync(editedAbs, 'utf8') !== plan.source.text) return print({ ...result, status: 'error', reason: `${edited} changed while compress ran; run it again` });
    const { LineIndex } = require('../core/text') as typeof import('../core/text');
    const lines = new LineIndex(plan.source.text);
    const updated = plan.source.text.slice(0, lines.offset(result.edit.range.start)) + result.edit.newText + plan.source.text.slice(lines.offset(result.edit.range.end));
    fs.writeFileSync(editedAbs, updated);
    result.applied = true;
  }
  return print(result);
}

/**
 * The prompt of another file that sends the text at `rel`:`row` (its file and text), or the way code
 * loads `rel` as a prompt of its own — as `scan` lists them; undefined when the workspace has neither.
 */
async function sentFromElsewhere(cwd: string, rel: string, row: number, report: import('../core/model').ScanReport): Promise<{ file: string; text: string; loadedAs?: undefined } | { loadedAs: { role: import('../core/model').Role }; file?: undefined; text?: undefined } | undefined> {
  const { promptAt } = require('./explain') as typeof import('./explain');
  const prompt = promptAt(report.prompts, rel, row);
  if (!prompt) return undefined;
  if (prompt.file === rel) {
    const role = prompt.parts.find((p) => !p.file)?.role;
    return prompt.kind === 'prompt-text' && role ? { loadedAs: { role } } : undefined;
  }
  try {
    return { file: prompt.file, text: readNamedFile(cwd, prompt.file).text };
  } catch {
    return undefined;
  }
}

function scanWorkspaceOf(cwd: string): Promise<import('../core/model').ScanReport> {
  const ws = require('../core/workspace') as typeof import('../core/workspace');
  const { scanCacheDir } = require('./main') as typeof import('./main');
  return ws.scanWorkspace({ root: cwd, workers: 0, cacheDir: scanCacheDir() });
}

/** The CLI's compress cache (beside the tokenizer snapshots), read by `scan --format html` too. */
export function compressCacheFile(dir = (require('../core/tokens/encodings') as typeof import('../core/tokens/encodings')).snapshotDir()): string | undefined {
  return dir ? path.join(dir, 'compress-cache.json') : undefined;
}

const OPTIONS = {
  part: { type: 'string' }, model: { type: 'string' }, 'base-url': { type: 'string' }, timeout: { type: 'string' },
  apply: { type: 'boolean' }, yes: { type: 'boolean', short: 'y' }, format: { type: 'string' }, help: { type: 'boolean', short: 'h' },
} as const;

/** The CLI's JSON contract: the result without the editor-only fields. */
function publicResult(r: CompressResult) {
  const { edit: _edit, request: _request, notes: _notes, ...rest } = r;
  return rest;
}

function textResult(r: CompressResult): string {
  const out: string[] = [];
  if (r.diff && r.status !== 'rejected') out.push(r.diff.replace(/^={10,}\n/, ''));
  if (r.status === 'ok' && r.after && r.saved) {
    // Text several prompts send: the total over them, then each prompt's share at its model and traffic.
    const many = r.senders && r.senders.length > 1 ? r.senders : undefined;
    const dollars = many ? `${formatUsd(r.saved.monthlyUsd)}/month over the ${many.length} prompts that send it` : `${formatUsd(r.saved.perCallUsd)}/call, ${formatUsd(r.saved.monthlyUsd)}/month`;
    out.push(`${r.file}:${r.line}: saves ${groupDigits(r.saved.tokens)} token${r.saved.tokens === 1 ? '' : 's'}/call (${groupDigits(r.before.tokens)} → ${groupDigits(r.after.tokens)})${r.promptModel ? ` on ${r.promptModel}` : ''}, ${dollars}${r.request?.cached ? ' · from the cache, no request' : r.request?.costUsd !== undefined ? ` · the request cost ${formatUsd(r.request.costUsd)}` : ''}${r.applied ? ' · applied' : ' · not applied (use --apply)'}`);
    for (const x of many ?? []) out.push(`  ${x.id} (${x.file}:${x.line}, ${x.model}): −${groupDigits(x.tokens)} token${x.tokens === 1 ? '' : 's'}/call, ${formatUsd(x.perCallUsd)}/call, ${formatUsd(x.monthlyUsd)}/month`);
  } else {
    // A no-saving reason says so itself ("no saving: the rewrite is …").
    out.push(`${r.file}:${r.line}: ${r.status === 'no-saving' ? r.reason ?? 'no saving' : `${r.status}${r.reason ? `: ${r.reason}` : ''}`}`);
  }
  for (const w of r.warnings) out.push(`warning: ${w}`);
  return out.join('\n') + '\n';
}
