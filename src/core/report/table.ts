import { formatTokens, formatUsd, groupDigits } from '../format';
import type { PromptReport, ScanReport } from '../model';

export function promptLocation(p: PromptReport): string {
  return `${p.file}:${p.range.start.line + 1}${p.label ? ` (${p.label})` : ''}`;
}

export function monthlyText(p: PromptReport): string {
  return p.cost.priced ? formatUsd(p.cost.monthlyUsd!) : 'unpriced';
}

export function perCallText(p: PromptReport): string {
  return p.cost.priced ? formatUsd(p.cost.perCallUsd!) : 'unpriced';
}

/** Rows sorted by monthly cost, most expensive first; unpriced last. */
export function byMonthlyCost(prompts: PromptReport[]): PromptReport[] {
  return [...prompts].sort((a, b) => (b.cost.monthlyUsd ?? -1) - (a.cost.monthlyUsd ?? -1));
}

export function totalsLine(r: ScanReport): string {
  const unpriced = r.totals.unpriced ? `, ${r.totals.unpriced} unpriced (not in the total)` : '';
  return `${r.totals.prompts} prompt${r.totals.prompts === 1 ? '' : 's'}: ${formatUsd(r.totals.perDayUsd)}/day, ${formatUsd(r.totals.monthlyUsd)}/month${unpriced}`;
}

export function priceLine(r: ScanReport): string {
  return `Prices: ${r.prices.source} ${r.prices.version} (data as of ${r.prices.asOf}). ≈ marks estimated token counts.`;
}

/** Widest a table cell gets: one long model name or path must not widen every row (JSON and CSV keep it whole). */
export const MAX_CELL = 60;
/** Longest diagnostic message printed in the table. */
export const MAX_MESSAGE = 400;

/** `s` cut to about `max` characters, the cut marked with … in the middle so both ends stay readable. */
export function truncate(s: string, max: number): string {
  if (s.length <= max) return s;
  // UTF-16 slices, moved off the middle of a surrogate pair; never a copy of the whole string.
  const head = Math.ceil((max - 1) / 2);
  let a = head;
  if (/[\uD800-\uDBFF]/.test(s[a - 1] ?? '')) a--;
  let b = s.length - (max - 1 - head);
  if (/[\uDC00-\uDFFF]/.test(s[b] ?? '')) b++;
  return s.slice(0, a) + '…' + s.slice(b);
}

function pad(cells: string[][], rightAligned: Set<number>): string[] {
  const widths = cells[0].map((_, c) => Math.max(...cells.map((row) => [...row[c]].length)));
  return cells.map((row) => row.map((cell, c) => {
    const fill = ' '.repeat(widths[c] - [...cell].length);
    return rightAligned.has(c) ? fill + cell : cell + fill;
  }).join('  ').trimEnd());
}

/** The model was not found in the code: a built-in or provider default stands in for it. */
export function assumedModel(p: PromptReport): boolean {
  return p.model.from === 'default' || p.model.from.startsWith('default for ');
}

/** The model cell: `gpt-4o-mini*` when assumed (see the footnote), as `≈` marks estimated counts. */
export function modelText(p: PromptReport): string {
  return assumedModel(p) ? `${p.model.id}*` : p.model.id;
}

export function formatTable(r: ScanReport): string {
  const header = ['PROMPT', 'KIND', 'MODEL', 'TOKENS IN', 'OUT', '$/CALL', 'CALLS/DAY', '$/MONTH'];
  const rows = byMonthlyCost(r.prompts).map((p) => [
    promptLocation(p), p.kind, modelText(p), formatTokens(p.tokens.input, p.tokens.exact), groupDigits(p.tokens.output),
    perCallText(p), groupDigits(p.traffic.callsPerDay), monthlyText(p),
  ].map((cell) => truncate(cell, MAX_CELL)));
  const lines: string[] = [];
  if (rows.length) {
    const table = pad([header, ...rows], new Set([3, 4, 5, 6, 7]));
    lines.push(table[0], '-'.repeat(table[0].length), ...table.slice(1), '');
  } else {
    lines.push('No prompts found.', '');
  }
  lines.push(totalsLine(r));
  const assumed = r.prompts.filter(assumedModel).length;
  if (assumed) lines.push(`* ${assumed} prompt${assumed === 1 ? '' : 's'}: the model is not in the code, a default is assumed — name it with a \`prompt-cost: model=…\` annotation or defaults in .promptcost.yaml.`);
  if (r.budget) lines.push(`Budget: ${formatUsd(r.budget.monthlyUsd)}/month (${r.budget.from}) — ${r.budget.exceeded ? 'EXCEEDED' : 'within budget'}`);
  lines.push(priceLine(r));
  const diags = [...r.diagnostics.map((d) => ({ ...d, where: `${d.file ?? ''}:${d.range.start.line + 1}` })),
    ...r.prompts.flatMap((p) => p.diagnostics.map((d) => ({ ...d, where: `${p.file}:${d.range.start.line + 1}` })))];
  if (diags.length) {
    lines.push('', 'Diagnostics:');
    // Every column padded (the place too), so the messages start in one column.
    const codeWidth = Math.min(MAX_CELL, Math.max(...diags.map((d) => d.code.length)));
    const whereWidth = Math.min(MAX_CELL, Math.max(...diags.map((d) => [...d.where].length)));
    for (const d of diags) {
      const where = truncate(d.where, MAX_CELL);
      // A message that starts with its own file:line (config problems do) is not given it twice.
      const message = d.message.startsWith(`${d.where}: `) ? d.message.slice(d.where.length + 2) : d.message;
      lines.push(`  ${d.severity.padEnd(11)} ${truncate(d.code, MAX_CELL).padEnd(codeWidth)} ${where}${' '.repeat(Math.max(0, whereWidth - [...where].length))}  ${truncate(message, MAX_MESSAGE)}`);
    }
  }
  if (r.skipped.length) {
    lines.push('', `Skipped ${r.skipped.length} file${r.skipped.length === 1 ? '' : 's'}:`);
    for (const s of r.skipped.slice(0, 20)) lines.push(`  ${truncate(s.file, MAX_CELL * 2)}: ${truncate(s.reason, MAX_MESSAGE)}`);
    if (r.skipped.length > 20) lines.push(`  … and ${r.skipped.length - 20} more (see --format json)`);
  }
  return lines.join('\n') + '\n';
}
