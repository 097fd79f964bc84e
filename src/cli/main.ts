// prompt-cost: count | cost | scan. Exit codes: 0 ok, 1 over budget, 2 bad usage or input.
import * as path from 'path';
import { BUILT_IN_DEFAULTS } from '../core/config/resolve';
import { overrideProblems } from '../core/config/warnings';
import type { PromptCostConfig } from '../core/config/types';
import type { PromptReport, ScanReport, UnreadableFile } from '../core/model';
import type { CustomPrice } from '../core/prices';
import { formatTokens, formatUsd, groupDigits } from '../core/format';
import { TokenCounter } from '../core/tokens';
import { TOOL_VERSION } from '../core/version';
import { readNamedFile, statNamed, UsageError } from './inputs';
import { nearestNames, parse } from './args';
import { numberOption } from './numberOptions';
import { COMMANDS, COMMAND_HELP, GENERAL_HELP, type Command } from './help';

// Each command loads what it needs when it runs: `count` must start fast, and the price database and
// the YAML and scanning code are most of the bundle's start-up cost.
/* eslint-disable @typescript-eslint/no-require-imports */
const prices = () => require('../core/prices') as typeof import('../core/prices');
const workspace = () => require('../core/workspace') as typeof import('../core/workspace');
const suggest = () => require('../core/models/suggest') as typeof import('../core/models/suggest');
const formatters = () => ({
  table: (require('../core/report/table') as typeof import('../core/report/table')).formatTable,
  markdown: (require('../core/report/markdown') as typeof import('../core/report/markdown')).formatMarkdown,
  csv: (require('../core/report/csv') as typeof import('../core/report/csv')).formatCsv,
  sarif: (require('../core/report/sarif') as typeof import('../core/report/sarif')).formatSarif,
  json: (r: unknown) => JSON.stringify(r, null, 2) + '\n',
  html: (r: ScanReport, customPrices?: Record<string, CustomPrice>, rewrites?: Record<string, { monthlySavingsUsd: number }>, batchable?: string[]) => (require('./html') as typeof import('./html')).reportHtml(r, customPrices, rewrites, batchable),
});

export { UsageError, parse };

/** Default table width when stdout is not a terminal (a CI log, a file): fits a log viewer and a review pane. */
export const DEFAULT_TABLE_WIDTH = 120;

/** Narrower than this, a table's columns no longer fit their headers: a narrower $COLUMNS gets this. */
const MIN_TABLE_WIDTH = 40;

/** The width tables are fitted to: the terminal's, else $COLUMNS (at least MIN_TABLE_WIDTH), else DEFAULT_TABLE_WIDTH. */
export function terminalWidth(io: Io): number {
  if (io.columns && io.columns > 0) return io.columns;
  const env = Number((io.env ?? process.env).COLUMNS);
  return Number.isInteger(env) && env > 0 ? Math.max(MIN_TABLE_WIDTH, env) : DEFAULT_TABLE_WIDTH;
}

/** Where scans keep per-file detections between runs: the user's cache folder (PROMPT_COST_CACHE_DIR; empty turns it off). */
export function scanCacheDir(): string | undefined {
  return (require('../core/detectionCache') as typeof import('../core/detectionCache')).DetectionCache.defaultDir();
}

export interface Io {
  stdout: (s: string) => void;
  /** Bytes for stdout as they are (UTF-8 text already); stdout(text) when absent. */
  stdoutBytes?: (b: Buffer) => void;
  stderr: (s: string) => void;
  readStdin: () => Buffer;
  stderrIsTTY: boolean;
  /** The terminal's width when stdout is one (tables fit it, explain wraps to it). */
  columns?: number;
  cwd: string;
  /** Asks the user one question and returns the answer; undefined when standard input is not a terminal. */
  ask?: (question: string) => Promise<string | undefined>;
  /** The environment (OPENAI_API_KEY, OPENAI_BASE_URL for compress); process.env when not given. */
  env?: Record<string, string | undefined>;
}

export function formatOption(value: unknown, allowed: string[]): string {
  const f = String(value ?? allowed[0]);
  if (!allowed.includes(f)) throw new UsageError(`--format must be one of ${allowed.join(', ')}, got "${f}"`);
  return f;
}

function decodeUtf8(buf: Buffer, what: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    throw new UsageError(`${what} is not UTF-8 text`);
  }
}

function count(args: string[], io: Io): number {
  const { values, positionals } = parse(args, { model: { type: 'string' }, format: { type: 'string' } });
  const format = formatOption(values.format, ['text', 'json']);
  if (positionals.length > 1) throw new UsageError(`count takes one FILE (or - for standard input), got ${positionals.length}`);
  const file = positionals[0];
  let text: string;
  if (file === undefined || file === '-') text = decodeUtf8(io.readStdin(), 'standard input');
  else text = readNamedFile(io.cwd, file, { folderHint: `; use \`prompt-cost scan ${file}\`` }).text;
  const model = (values.model as string | undefined) ?? BUILT_IN_DEFAULTS.model;
  const result = new TokenCounter().count(text, model);
  // A model the price database does not know is usually a typo: say so (the count is still given).
  if (values.model && !prices().lookupPrice(model).priced) io.stderr(`warning: "${model}" is not a model the price database knows${suggest().didYouMean(model)}; counted with ${result.encoding}${result.exact ? '' : ' as an estimate'}\n`);
  if (format === 'json') io.stdout(JSON.stringify(result) + '\n');
  else io.stdout(`${formatTokens(result.tokens, result.exact)} tokens for ${model} (${result.exact ? `${result.encoding}, exact` : `estimated with ${result.encoding}`})\n`);
  return 0;
}

function cost(args: string[], io: Io): number {
  const { values, positionals } = parse(args, {
    model: { type: 'string' }, input: { type: 'string' }, output: { type: 'string' }, 'cached-input': { type: 'string' },
    'calls-per-day': { type: 'string' }, 'days-per-month': { type: 'string' }, config: { type: 'string' }, format: { type: 'string' },
  });
  if (positionals.length) throw new UsageError(`cost takes no positional arguments, got "${positionals[0]}"`);
  const format = formatOption(values.format, ['text', 'json']);
  if (!values.model) throw new UsageError('cost needs --model (e.g. --model gpt-4o)');
  const input = numberOption(values.input, 'input');
  const output = numberOption(values.output, 'output') ?? 0;
  if (input === undefined) throw new UsageError('cost needs --input N (input tokens per call)');
  const cached = numberOption(values['cached-input'], 'cached-input') ?? 0;
  if (cached > input) throw new UsageError(`--cached-input (${cached}) cannot exceed --input (${input})`);
  const callsPerDay = numberOption(values['calls-per-day'], 'calls-per-day') ?? BUILT_IN_DEFAULTS.callsPerDay;
  const daysPerMonth = numberOption(values['days-per-month'], 'days-per-month') ?? BUILT_IN_DEFAULTS.daysPerMonth;
  const { computeCost, lookupPrice } = prices();
  const config = loadNamedConfig(io, rootFor(io.cwd, io.cwd, io.env), values.config as string | undefined);
  const model = values.model as string;
  const c = computeCost(lookupPrice(model, config.prices), { inputTokens: input, outputTokens: output, cacheReadTokens: cached }, { callsPerDay, daysPerMonth });
  const pricing = lookupPrice(model, config.prices);
  // The call's three components, each at its rate (a cached read at the input rate when none is listed).
  const b = c.breakdown;
  const components = b && {
    uncachedInput: { tokens: input - cached, usd: b.uncachedInputUsd },
    cachedInput: { tokens: cached, usd: b.cacheReadUsd },
    output: { tokens: output, usd: b.outputUsd },
  };
  const contextWindow = pricing.priced ? pricing.contextWindow : undefined;
  const result = c.priced
    ? { model, priced: true, components, perCallUsd: c.perCallUsd, per1kUsd: c.per1kUsd, perDayUsd: c.perDayUsd, monthlyUsd: c.monthlyUsd, batchMonthlyUsd: c.batchMonthlyUsd, callsPerDay, daysPerMonth, ...(contextWindow ? { contextWindow } : {}), prices: { ...c.prices, data: prices().priceDataInfo() } }
    : { model, priced: false, unpricedReason: c.unpricedReason, callsPerDay, daysPerMonth, prices: { data: prices().priceDataInfo() } };
  // Nothing priced as asked (an unknown model, usually a typo): exit 2, with the nearest known names.
  // … unless the config has an entry for it that could not be used: then that entry is what to fix
  const broken = config.problems.find((p) => p.field === `prices.${model}` || p.field.startsWith(`prices.${model}.`) || p.message.includes(`prices.${model} `));
  const unpriced = c.priced ? undefined : broken
    ? `${model}: unpriced — its entry under prices: cannot be used (${broken.file}:${broken.range.start.line + 1}: ${broken.message.replace(/^[^:]+:\d+: /, '').replace(/ — this field is ignored, the valid ones apply$/, '')}); fix it there`
    : `${model}: unpriced — ${c.unpricedReason}${suggest().didYouMean(model, Object.keys(config.prices))}`;
  // A call the model cannot take (input and output past its context window, when the price data knows
  // it): priced as asked, with a warning (the exit code is unchanged).
  if (contextWindow && input + output > contextWindow) {
    const long = pricing.priced && pricing.longContext;
    io.stderr(`warning: ${groupDigits(input)} input${output ? ` + ${groupDigits(output)} output` : ''} tokens exceed ${model}'s ${long ? 'standard ' : ''}${groupDigits(contextWindow)}-token context window (${prices().priceDataInfo().source}): ${long ? `only its long-context mode takes this call (priced so here, at the rate above ${groupDigits(contextWindow)} input tokens); without it the provider rejects it` : 'the provider would reject this call'}\n`);
  }
  if (format === 'json') {
    io.stdout(JSON.stringify(result, null, 2) + '\n');
    if (unpriced) io.stderr(`prompt-cost: ${unpriced}\n`);
    return unpriced ? 2 : 0;
  }
  if (unpriced) {
    io.stderr(`prompt-cost: ${unpriced}\n`);
    return 2;
  }
  // One column of labels and one of dollars; the arithmetic or the traffic beside them.
  const row = (label: string, usd: string, detail = '') => `  ${label.padEnd(14)} ${usd.padEnd(9)}${detail ? ` ${detail}` : ''}`.trimEnd();
  const cp = c.prices!;
  const k = components!;
  io.stdout([
    `${model}: ${groupDigits(input)} in${cached ? ` (${groupDigits(cached)} cached)` : ''} + ${groupDigits(output)} out${values.output === undefined ? ' (no --output given)' : ''}`,
    row('uncached input', formatUsd(k.uncachedInput.usd), `${groupDigits(k.uncachedInput.tokens)} tokens × $${cp.inputUsdPerMillion}/M`),
    ...(cached ? [row('cached input', formatUsd(k.cachedInput.usd), `${groupDigits(cached)} tokens × $${cp.cacheReadUsdPerMillion ?? cp.inputUsdPerMillion}/M${cp.cacheReadUsdPerMillion === undefined ? ' (no cached price listed: the input rate)' : ''}`)] : []),
    row('output', formatUsd(k.output.usd), `${groupDigits(output)} tokens × $${cp.outputUsdPerMillion}/M`),
    row('per call', formatUsd(c.perCallUsd!)),
    row('per 1k calls', formatUsd(c.per1kUsd!)),
    row('per day', formatUsd(c.perDayUsd!), `at ${groupDigits(callsPerDay)} call${callsPerDay === 1 ? '' : 's'}/day`),
    row('per month', formatUsd(c.monthlyUsd!), `(${daysPerMonth} days)`),
    ...(c.batchMonthlyUsd !== undefined ? [row('batch API', `${formatUsd(c.batchMonthlyUsd)}/month`)] : []),
    ...tierLines(pricing, input),
    `Prices: ${c.prices!.source}, $${c.prices!.inputUsdPerMillion}/M in, $${c.prices!.outputUsdPerMillion}/M out (data as of ${prices().priceDataInfo().asOf})`,
  ].join('\n') + '\n');
  return 0;
}

async function scan(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { format: { type: 'string' }, config: { type: 'string' }, 'max-monthly': { type: 'string' }, 'no-heuristics': { type: 'boolean' }, 'no-cache': { type: 'boolean' } });
  const format = formatOption(values.format, ['table', 'json', 'markdown', 'csv', 'sarif', 'html']);
  const maxMonthlyUsd = numberOption(values['max-monthly'], 'max-monthly');
  // Every path named must be readable (a file named is also read once here: a pipe or an unreadable file stops the run).
  const named = positionals.map((p) => {
    const st = statNamed(io.cwd, p, '');
    if (!st.isDirectory) readNamedFile(io.cwd, p, { maxBytes: Number.MAX_SAFE_INTEGER });
    return st;
  });
  // The root (ids relative to it, its .promptcost.yaml) is found from the folder that holds everything
  // named (rootFor), else from the current folder. What is walked is what was named, else the current folder.
  const start = named.length ? commonFolder(named.map((n) => (n.isDirectory ? n.abs : path.dirname(n.abs)))) : io.cwd;
  const root = rootFor(start, io.cwd, io.env);
  const walked = named.length ? named.map((n) => n.abs) : [io.cwd];
  const single = walked.length === 1 && walked[0] === root;
  // The config is the gate's input too: one that cannot be read or parsed fails the run (exit 2).
  const config = loadNamedConfig(io, root, values.config as string | undefined, true);
  let lastDraw = 0;
  const scanned = await workspace().scanWorkspaceStored({
    heuristics: !values['no-heuristics'], cacheDir: values['no-cache'] ? undefined : scanCacheDir(),
    root, paths: single ? undefined : walked, configFile: values.config ? path.resolve(io.cwd, values.config as string) : undefined, maxMonthlyUsd,
    onProgress: io.stderrIsTTY ? (done, total) => {
      const now = Date.now();
      if (total < 200 || (now - lastDraw < 100 && done < total)) return;
      lastDraw = now;
      io.stderr(`\rscanning ${done}/${total} files${done === total ? '\n' : ''}`);
    } : undefined,
  });
  // The HTML report's what-ifs re-price with the config's custom prices too.
  const configPath = values.config ? path.resolve(io.cwd, values.config as string) : undefined;
  const htmlConfig = format === 'html' ? workspace().loadConfig(root, configPath) : undefined;
  const customPrices = htmlConfig?.prices;
  // …and its compression lever shows the rewrites `prompt-cost compress` cached (nothing is sent).
  const rewrites = format === 'html' ? await (require('./html') as typeof import('./html')).cachedSavings(scanned.report(), root, configPath) : undefined;
  // JSON: the text a stored report was kept as (formatters().json of the same report), not parsed and printed again.
  // A stored report's bytes go out as they are read (no decoding and encoding of megabytes of text).
  if (format === 'json' && io.stdoutBytes && scanned.bytes) {
    io.stdoutBytes(scanned.bytes()); // megabytes: not copied to add the newline
    io.stdout('\n');
  }
  else io.stdout(format === 'json' ? scanned.json() + '\n' : format === 'html' ? formatters().html(scanned.report(), customPrices, rewrites, htmlConfig?.batchable)
    : format === 'table' ? formatters().table(scanned.report(), { columns: terminalWidth(io) }) : formatters()[format as 'markdown'](scanned.report()));
  // An override no prompt matches changes nothing (a typo, a renamed file or id): said when the whole
  // root was scanned (a part of it cannot tell), the exit code unchanged.
  // (only with overrides: reading the prompts parses a stored report, most of a warm scan's time)
  const report = scanned.summary;
  const unreadable = report.unreadable ?? [];
  if (single && (config.overrides.length || Object.keys(config.variables).length)) for (const w of overrideWarnings(config, scanned.report().prompts, unreadable)) io.stderr(`warning: ${w}\n`);
  if (!Number.isFinite(report.totals.monthlyUsd) || !Number.isFinite(report.totals.perDayUsd)) {
    io.stderr(`prompt-cost: the projected total is not a finite number (${report.totals.monthlyUsd} USD/month): the run is an error (see the invalid-number diagnostic)\n`);
    return 2;
  }
  // A prompt file that could not be read: with a budget set, the gate cannot judge a total that lacks
  // it (exit 2); without one, said on stderr whatever the format (the JSON, CSV and HTML show no such line).
  if (unreadable.length && report.budget) {
    io.stderr(unreadableGateError(unreadable, 'the budget'));
    return 2;
  }
  if (unreadable.length) io.stderr(`warning: ${unreadable.length} prompt file${unreadable.length === 1 ? '' : 's'} could not be read, so ${unreadable.length === 1 ? 'its' : 'their'} prompts are not counted:\n${unreadableLines(unreadable)}`);
  // A prompt left out of the total because its model looks like a typo: the gate cannot judge the
  // budget (as a budget field it cannot read, exit 2); the verdict in the report names them.
  const typos = report.budget?.unpricedTypos ?? [];
  if (typos.length) {
    io.stderr(`prompt-cost: the budget cannot be judged: ${typos.length} prompt${typos.length === 1 ? '' : 's'} left out of the total for a model name that looks like a typo (${typos.slice(0, 3).map((t) => `${t.id}: "${t.model}"${t.modelFrom ? ` from ${t.modelFrom}` : ''}, did you mean ${t.nearest[0]}?`).join('; ')}${typos.length > 3 ? '; …' : ''}); fix the name, or price it under prices: in .promptcost.yaml (a model newer than the price data: \`prompt-cost prices --update\`)${report.budget!.exceeded ? ` (the priced total alone, ${formatUsd(report.totals.monthlyUsd)}/month, already exceeds the budget)` : ''}\n`);
    return 2;
  }
  if (report.budget?.exceeded) {
    io.stderr(`prompt-cost: projected ${formatUsd(report.totals.monthlyUsd)}/month exceeds the budget of ${formatUsd(report.budget.monthlyUsd)} (${report.budget.from})\n`);
    return 1;
  }
  return 0;
}

async function compress(args: string[], io: Io): Promise<number> {
  const { compressCommand, CompressUsageError } = require('./compress') as typeof import('./compress');
  try {
    return await compressCommand(args, { ...io, env: io.env ?? process.env });
  } catch (e) {
    if (e instanceof CompressUsageError) throw new UsageError(e.message);
    throw e;
  }
}

/** What in the config's overrides changes nothing (config/warnings.ts), one `.promptcost.yaml:LINE: …` line each. */
export function overrideWarnings(config: PromptCostConfig, prompts: PromptReport[], unreadable: readonly UnreadableFile[] = []): string[] {
  return overrideProblems(config, prompts, unreadable.map((u) => u.file)).map((p) => `${p.from}: ${p.message}`);
}

/** `file:line: what is wrong`, one line each (at most `max`, then how many more), indented. */
export function unreadableLines(unreadable: readonly UnreadableFile[], max = 10): string {
  const shown = unreadable.slice(0, max).map((u) => `  ${u.file}:${u.line}: ${u.message}\n`);
  return shown.join('') + (unreadable.length > max ? `  … and ${unreadable.length - max} more\n` : '');
}

/**
 * A gate was asked for and some prompt file could not be read: the total lacks what it holds, so the
 * gate cannot be judged (exit 2), as for a config it cannot read.
 */
export function unreadableGateError(unreadable: readonly UnreadableFile[], what: string): string {
  const n = unreadable.length;
  return `prompt-cost: ${what} cannot be judged: ${n} prompt file${n === 1 ? '' : 's'} could not be read, so ${n === 1 ? 'its' : 'their'} prompts are not counted:\n${unreadableLines(unreadable)}`
    + `Fix ${n === 1 ? 'it' : 'them'}, or leave ${n === 1 ? 'it' : 'them'} out with exclude: in .promptcost.yaml if ${n === 1 ? 'it is not a prompt file' : 'they are not prompt files'}.\n`;
}

/**
 * The scan root for a scan that starts in `start` (the one folder named, else the current folder): the
 * folder of the nearest .promptcost.yaml from it upwards (config/locate.ts: up to the git root, never into
 * a PROMPT_COST_CEILING_DIRS folder), so `scan .` in a subfolder prices with the project's config; else the
 * current folder when `start` is inside it, else `start` itself.
 */
export function rootFor(start: string, cwd: string, env: Record<string, string | undefined> = process.env): string {
  const { ceilingDirs, findConfigFolder, CEILING_DIRS_ENV } = require('../core/config/locate') as typeof import('../core/config/locate');
  const found = findConfigFolder(start, ceilingDirs(env[CEILING_DIRS_ENV] ?? process.env[CEILING_DIRS_ENV]));
  if (found) return found;
  const inside = start === cwd || start.startsWith(cwd.endsWith(path.sep) ? cwd : cwd + path.sep);
  return inside ? cwd : start;
}

/** The deepest folder holding every one of `folders` (absolute paths). */
export function commonFolder(folders: string[]): string {
  let common = folders[0].split(path.sep);
  for (const f of folders.slice(1)) {
    const parts = f.split(path.sep);
    let i = 0;
    while (i < common.length && i < parts.length && common[i] === parts[i]) i++;
    common = common.slice(0, i);
  }
  return common.join(path.sep) || path.sep;
}

/**
 * The config a command runs with: `--config FILE` (which must be a readable file) or the root's
 * .promptcost.yaml. One that cannot be read or parsed, or whose budget or thresholds are wrong, is a
 * UsageError (exit 2, file:line); other field-level problems are `invalid-config` errors the run goes
 * on past (the valid parts apply), printed unless `quiet` (the scan report lists them).
 */
export function loadNamedConfig(io: Io, root: string, configFile: string | undefined, quiet = false) {
  if (configFile !== undefined) readNamedFile(io.cwd, configFile, { what: '--config ', maxBytes: Number.MAX_SAFE_INTEGER });
  const config = workspace().loadConfig(root, configFile === undefined ? undefined : path.resolve(io.cwd, configFile));
  const fatal = config.problems.filter((p) => p.fatal);
  if (fatal.length) throw configError(fatal);
  if (!quiet) for (const p of config.problems) io.stderr(configProblemLine(p));
  return config;
}

/**
 * A config problem the run goes on past, on stderr: an `invalid-config` error as the scan report lists
 * it (its default severity, rules/index.ts), the field ignored and the valid ones applied.
 */
export function configProblemLine(p: { message: string }): string {
  return `error (invalid-config): ${p.message} — this field is ignored, the valid ones apply\n`;
}

/** Exit 2 for a config the run cannot use as written (see ConfigProblem.fatal). */
export function configError(fatal: { message: string }[], whose = 'the config'): UsageError {
  return new UsageError(`${whose} cannot be used:\n${fatal.map((p) => `  ${p.message}`).join('\n')}\nFix ${fatal.length > 1 ? 'these' : 'it'}, or name another config with --config FILE.`, false);
}

const KNOWN_COMMANDS: readonly string[] = COMMANDS;

/** " (did you mean scan?)" for a mistyped command, or "". */
function commandSuggestion(command: string): string {
  const near = command.startsWith('-') ? [] : nearestNames(command.toLowerCase(), [...KNOWN_COMMANDS]);
  return near.length ? ` (did you mean ${near.join(' or ')}?)` : '';
}

export async function run(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  try {
    // Every command's --help (or -h) prints its own usage, options, examples and exit codes (help.ts).
    if (KNOWN_COMMANDS.includes(command) && (rest.includes('--help') || rest.includes('-h'))) {
      io.stdout(COMMAND_HELP[command as Command]);
      return 0;
    }
    switch (command) {
      case 'count': return count(rest, io);
      case 'cost': return cost(rest, io);
      case 'scan': return await scan(rest, io);
      case 'compress': return await compress(rest, io);
      case 'diff': return await (require('./diff') as typeof import('./diff')).diffCommand(rest, io);
      case 'prices': return await (require('./prices') as typeof import('./prices')).pricesCommand(rest, io);
      case 'explain': return await (require('./explain') as typeof import('./explain')).explainCommand(rest, io);
      case '--version': case '-v': io.stdout(`${TOOL_VERSION}\n`); return 0;
      case undefined: case 'help': case '--help': case '-h': io.stdout(GENERAL_HELP); return command === undefined ? 2 : 0;
      default: throw new UsageError(`unknown command "${command}"${commandSuggestion(command)} (expected count, cost, scan, diff, explain, prices or compress)`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      // The command's own help when there is one (every known command has), else the general help.
      const help = KNOWN_COMMANDS.includes(command) ? `prompt-cost ${command} --help` : 'prompt-cost --help';
      io.stderr(`prompt-cost: ${e.message}\n${e.showUsage ? `Run \`${help}\` for usage.\n` : ''}`);
      return 2;
    }
    throw e;
  }
}

/** A long-context (tiered) rate in force for a call of `input` tokens, said: the figures above use it. */
function tierLines(pricing: ReturnType<ReturnType<typeof prices>['lookupPrice']>, input: number): string[] {
  if (!pricing.priced) return [];
  const tier = (r: { tiers: { aboveInputTokens: number; usdPerMillion: number }[] }) => r.tiers.filter((t) => input > t.aboveInputTokens).pop();
  const tIn = tier(pricing.input);
  const tOut = tier(pricing.output);
  const t = tIn ?? tOut;
  if (!t) return [];
  return [`  the rate for prompts over ${groupDigits(t.aboveInputTokens)} input tokens is in force: $${tIn?.usdPerMillion ?? pricing.input.baseUsdPerMillion}/M in (else $${pricing.input.baseUsdPerMillion}/M), $${tOut?.usdPerMillion ?? pricing.output.baseUsdPerMillion}/M out (else $${pricing.output.baseUsdPerMillion}/M)`];
}
