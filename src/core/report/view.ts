// The report panel's data: one slim row per prompt (what the table, the charts and the what-ifs need),
// built from a ScanReport. The same shape goes to the VS Code panel and into `scan --format html`, so
// both draw the same report; the full report stays the JSON output's job.
import picomatch from 'picomatch';
import type { ModelPricing } from '../prices/lookup';
import type { PriceDataInfo, PromptReport, ScanReport, Severity } from '../model';

export interface ViewPrompt {
  id: string;
  file: string;
  /** 1-based, as people and `file:line` ids count. */
  line: number;
  /** 0-based start of the prompt (LSP-compatible), to reveal it. */
  range: PromptReport['range'];
  cell?: number;
  kind: string;
  confidence: PromptReport['confidence'];
  label?: string;
  model: string;
  provider?: string;
  modelFrom: string;
  tokensIn: number;
  tokensOut: number;
  exact: boolean;
  callsPerDay: number;
  daysPerMonth: number;
  trafficFrom: string;
  priced: boolean;
  unpricedReason?: string;
  perCallUsd?: number;
  perDayUsd?: number;
  monthlyUsd?: number;
  batchMonthlyUsd?: number;
  /** The config's `batchable:` names this prompt's file: it runs offline and the batch API may serve it. */
  batchable?: boolean;
  cache?: {
    mode: 'automatic' | 'explicit';
    applied: boolean;
    stablePrefixTokens: number;
    reachablePrefixTokens: number;
    cacheablePrefixTokens: number;
    cachedPrefixTokens: number;
    hitRate: number;
    /** The hit rate was configured (setting, .promptcost.yaml), not derived from traffic. */
    hitRateConfigured: boolean;
    monthlyWithoutCacheUsd: number;
    monthlyWithCacheUsd: number;
    savingsMonthlyUsd: number;
    breaker?: { slot: string; lostTokens: number; lostMonthlyUsd: number };
  };
  diagnostics: { code: string; severity: Severity; message: string }[];
  /** A cached compressed rewrite of this prompt and what it saves a month (the compress feature's). */
  compress?: { monthlySavingsUsd: number };
}

/** Priced models the what-ifs may swap to, by id, and each provider's chat models. */
export interface PriceTable {
  models: Record<string, ModelPricing>;
  byProvider: Record<string, string[]>;
}

export interface ReportViewData {
  tool: 'prompt-cost';
  version: string;
  /** The scanned folder's name (not its absolute path: the HTML file travels). */
  rootName: string;
  prices: PriceDataInfo;
  totals: ScanReport['totals'];
  budget?: ScanReport['budget'];
  prompts: ViewPrompt[];
  priceTable: PriceTable;
  /** Problems about files (config, prompt files), counted; the list is in the JSON report. */
  fileDiagnostics: number;
  skipped: number;
}

export function toViewPrompt(p: PromptReport, compress?: { monthlySavingsUsd: number }, batchable = false): ViewPrompt {
  const c = p.cache;
  return {
    id: p.id, file: p.file, line: p.range.start.line + 1, range: p.range, ...(p.cell !== undefined ? { cell: p.cell } : {}),
    kind: p.kind, confidence: p.confidence, ...(p.label ? { label: p.label } : {}),
    model: p.model.id, ...(p.model.provider ? { provider: p.model.provider } : {}), modelFrom: p.model.from,
    tokensIn: p.tokens.input, tokensOut: p.tokens.output, exact: p.tokens.exact,
    callsPerDay: p.traffic.callsPerDay, daysPerMonth: p.traffic.daysPerMonth, trafficFrom: p.traffic.from,
    priced: p.cost.priced, ...(p.cost.unpricedReason ? { unpricedReason: p.cost.unpricedReason } : {}),
    perCallUsd: p.cost.perCallUsd, perDayUsd: p.cost.perDayUsd, monthlyUsd: p.cost.monthlyUsd, batchMonthlyUsd: p.cost.batchMonthlyUsd,
    ...(c ? {
      cache: {
        mode: c.mode, applied: c.applied, stablePrefixTokens: c.stablePrefixTokens, reachablePrefixTokens: c.reachablePrefixTokens,
        cacheablePrefixTokens: c.cacheablePrefixTokens, cachedPrefixTokens: c.cachedPrefixTokens,
        hitRate: c.hitRate, hitRateConfigured: c.hitRateConfigured,
        monthlyWithoutCacheUsd: c.monthlyWithoutCacheUsd, monthlyWithCacheUsd: c.monthlyWithCacheUsd, savingsMonthlyUsd: c.savingsMonthlyUsd,
        ...(c.breaker ? { breaker: { slot: c.breaker.slot, lostTokens: c.breaker.lostTokens, lostMonthlyUsd: c.breaker.lostMonthlyUsd } } : {}),
      },
    } : {}),
    diagnostics: p.diagnostics.map((d) => ({ code: d.code, severity: d.severity, message: d.message })),
    ...(compress ? { compress } : {}),
    ...(batchable ? { batchable } : {}),
  };
}

/** `batchable`: the config's globs of files whose prompts run offline (the batch-API lever is theirs only). */
export function toViewData(r: ScanReport, priceTable: PriceTable, compress: Record<string, { monthlySavingsUsd: number }> = {}, batchable: string[] = []): ReportViewData {
  const offline = batchable.length ? picomatch(batchable, { dot: true }) : undefined;
  return {
    tool: 'prompt-cost', version: r.version, rootName: r.root.split(/[\\/]/).filter(Boolean).pop() ?? r.root,
    prices: r.prices, totals: r.totals, ...(r.budget ? { budget: r.budget } : {}),
    prompts: r.prompts.map((p) => toViewPrompt(p, compress[p.id], !!offline?.(p.file))),
    priceTable, fileDiagnostics: r.diagnostics.length, skipped: r.skipped.length,
  };
}
