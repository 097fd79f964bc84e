// The report's compression lever: what the rewrites already computed (and cached) would save a month,
// per prompt. Nothing is sent: only rewrites that exist count. Two sources: the rewrites the editor
// finished this session (RewriteLedger, kept by the server), and the CLI's compress cache file.
import type { AnalyzeOptions } from '../analyze';
import type { PromptReport, ScanReport } from '../model';
import type { CompressCache } from './cache';
import { contentKey } from './cache';
import { finishCompress, planCompress, type PlanOptions } from './index';

export type RewriteSavings = Record<string, { monthlySavingsUsd: number }>;

/**
 * Rewrites finished in this session, by prompt and part; one counts while the part's text is unchanged.
 * A prompt is its file and id: prompts of several files that send one constant share its annotation's id.
 */
export class RewriteLedger {
  private readonly entries = new Map<string, Map<number, { tokens: number; monthlyUsd: number }>>();

  record(prompt: PromptReport, part: number, monthlyUsd: number): void {
    const key = `${prompt.file}\0${prompt.id}`;
    const parts = this.entries.get(key) ?? new Map();
    parts.set(part, { tokens: prompt.parts[part]?.tokens ?? -1, monthlyUsd });
    this.entries.set(key, parts);
  }

  savings(prompts: PromptReport[]): RewriteSavings {
    const out: RewriteSavings = {};
    for (const p of prompts) {
      const parts = this.entries.get(`${p.file}\0${p.id}`);
      if (!parts) continue;
      let usd = 0;
      for (const [k, e] of parts) if (p.parts[k]?.tokens === e.tokens) usd += e.monthlyUsd;
      if (usd > 0) out[p.id] = { monthlySavingsUsd: usd };
    }
    return out;
  }
}

/**
 * The saving of each prompt part whose rewrite is in `cache` (by content, whatever model or endpoint
 * wrote it), checked as compress checks it (a rewrite that would be refused saves nothing). `analyzeFor`
 * gives a file's options with the readers the scan gave it (a skprompt.txt's config.json, a flow's
 * templates), so each prompt is priced at its scan model; `o.analyze` otherwise.
 */
export async function cachedRewriteSavings(report: ScanReport, readFile: (rel: string) => string | undefined, cache: CompressCache, o: Omit<PlanOptions, 'compressModel'> & { analyzeFor?: (file: string) => AnalyzeOptions }): Promise<RewriteSavings> {
  const out: RewriteSavings = {};
  if (cache.size === 0) return out;
  const texts = new Map<string, string | undefined>();
  for (const p of report.prompts) {
    let usd = 0;
    for (const part of p.parts) {
      if (part.tokens <= 0 || part.alternative) continue;
      if (!texts.has(p.file)) texts.set(p.file, readFile(p.file));
      const text = texts.get(p.file);
      if (text === undefined) continue;
      try {
        // A part written in another file (a flow's template) is found there, as compress finds it.
        const t = { file: p.file, text, line: part.range.start.line, character: part.range.start.character, cell: part.cell, ...(part.file ? { in: part.file } : {}) };
        const options = { engine: o.engine, analyze: o.analyzeFor?.(p.file) ?? o.analyze, compressModel: 'none' };
        const plan = await planCompress(t, options);
        const reply = cache.get(contentKey(plan.messages));
        if (!reply) continue;
        const r = await finishCompress(plan, reply.text, { ...options, text, cached: true });
        if (r.status === 'ok' && r.saved) usd += r.saved.monthlyUsd;
      } catch {
        // a part compress cannot rewrite has no cached rewrite either
      }
    }
    if (usd > 0) out[p.id] = { monthlySavingsUsd: usd };
  }
  return out;
}
