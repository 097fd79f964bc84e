import type { ScanReport } from '../model';

const q = (v: string | number | boolean | undefined) => {
  const s = v === undefined ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** Dollars to 12 significant digits: full precision without float noise (0.1 + 0.2 → 0.3, not 0.30000000000000004). */
const usd = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? v : Number(v.toPrecision(12)));

/** One row per prompt, full-precision numbers (spreadsheets round for display). */
export function formatCsv(r: ScanReport): string {
  const header = ['id', 'file', 'line', 'kind', 'label', 'model', 'model_from', 'input_tokens', 'output_tokens', 'exact', 'encoding', 'calls_per_day', 'traffic_from', 'priced', 'per_call_usd', 'per_day_usd', 'monthly_usd', 'unpriced_reason'];
  const rows = r.prompts.map((p) => [p.id, p.file, p.range.start.line + 1, p.kind, p.label, p.model.id, p.model.from, p.tokens.input, p.tokens.output, p.tokens.exact, p.tokens.encoding,
    p.traffic.callsPerDay, p.traffic.from, p.cost.priced, usd(p.cost.perCallUsd), usd(p.cost.perDayUsd), usd(p.cost.monthlyUsd), p.cost.unpricedReason]);
  return [header, ...rows].map((row) => row.map(q).join(',')).join('\n') + '\n';
}
