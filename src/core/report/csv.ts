import type { ScanReport } from '../model';

const q = (v: string | number | boolean | undefined) => {
  const s = v === undefined ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** One row per prompt, full-precision numbers (spreadsheets round for display). */
export function formatCsv(r: ScanReport): string {
  const header = ['id', 'file', 'line', 'kind', 'label', 'model', 'model_from', 'input_tokens', 'output_tokens', 'exact', 'encoding', 'calls_per_day', 'traffic_from', 'priced', 'per_call_usd', 'per_day_usd', 'monthly_usd', 'unpriced_reason'];
  const rows = r.prompts.map((p) => [p.id, p.file, p.range.start.line + 1, p.kind, p.label, p.model.id, p.model.from, p.tokens.input, p.tokens.output, p.tokens.exact, p.tokens.encoding,
    p.traffic.callsPerDay, p.traffic.from, p.cost.priced, p.cost.perCallUsd, p.cost.perDayUsd, p.cost.monthlyUsd, p.cost.unpricedReason]);
  return [header, ...rows].map((row) => row.map(q).join(',')).join('\n') + '\n';
}
