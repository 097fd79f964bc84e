import { budgetVerdictText } from './budget';
import { formatTokens, formatUsd, groupDigits } from '../format';
import type { PromptReport, ScanReport } from '../model';
import { isCopilotKind, isCursorKind } from '../copilot';
import { elideLeft, elidePath, fitLocation, fitLocationKeepingEnd, layoutTable, truncate, width, wrap, type TableColumn } from './layout';
import { rangePlace } from './place';

export { truncate };

/** `file:line (label)`; in a notebook `file:cellN:line`, what `explain` takes. */
export function promptLocation(p: PromptReport): string {
  return `${rangePlace(p.file, p)}${p.label ? ` (${p.label})` : ''}`;
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
  // every prompt unpriced: no figure to show, not a $0 bill
  if (r.totals.prompts > 0 && r.totals.unpriced === r.totals.prompts) return `${r.totals.prompts} prompt${r.totals.prompts === 1 ? '' : 's'}, none priced: no cost can be shown (see each row's reason)`;
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

/** The `*` footnote (table and Markdown): how many prompts price a model the code does not name; "" when none. */
export function assumedModelNote(r: ScanReport): string {
  const assumed = r.prompts.filter(assumedModel).length;
  return assumed ? `${assumed} prompt${assumed === 1 ? '' : 's'}: the model is not in the code, a default is assumed — name it with a \`prompt-cost: model=…\` annotation or defaults in .promptcost.yaml.` : '';
}

/** The model was not found in the code: a built-in or provider default stands in for it. */
export function assumedModel(p: PromptReport): boolean {
  return p.model.from === 'default' || p.model.from.startsWith('default for ');
}

/** A Copilot file (a `.prompt.md`, instructions, a custom agent) or a Cursor rule: the assistant bills per seat, plan or request, not by these tokens. */
export function assistantBilled(p: PromptReport): boolean {
  return isCopilotKind(p.kind) || isCursorKind(p.kind);
}

/** The `†` footnote (table and Markdown): what the figure of a Copilot file or Cursor rule means; "" when there is none. */
export function assistantNote(r: ScanReport): string {
  const copilot = r.prompts.filter((p) => isCopilotKind(p.kind)).length;
  const cursor = r.prompts.filter((p) => isCursorKind(p.kind)).length;
  const files = [
    ...(copilot ? [`${copilot === 1 ? 'a Copilot file' : 'Copilot files'} (.prompt.md, instructions, agents)`] : []),
    ...(cursor ? [`${cursor === 1 ? 'a Cursor rule' : 'Cursor rules'} (.cursor/rules, .cursorrules)`] : []),
  ];
  if (!files.length) return '';
  const n = copilot + cursor;
  const bills = [...(copilot ? ['Copilot itself bills per seat and premium request'] : []), ...(cursor ? [`${copilot ? 'Cursor' : 'Cursor itself bills'} by plan and request`] : [])];
  return `${n === 1 ? '1 prompt is' : `${n} prompts are`} ${files.join(' and ')}, priced at the model's API rates: what the text would cost sent through the provider's API. ${bills.join(', ')}, not per token.`;
}

/** The model cell: `gpt-4o-mini*` when assumed, `†` for a Copilot file or Cursor rule (see the footnotes), as `≈` marks estimated counts. */
export function modelText(p: PromptReport): string {
  return `${p.model.id}${assumedModel(p) ? '*' : ''}${assistantBilled(p) ? '†' : ''}`;
}

/** The prompts table's columns: the place, kind and model can be cut to fit a terminal; figures never. */
// Cut first: the kind (the model says most of it), then the place (from the left: the file name and
// line stay), then the model (from the left: its version stays). Left out, in a narrow terminal: the
// kind, the output tokens and the traffic, which --format csv or json give; narrower still, the place
// and the model are cut further (to their floors), and last the price per call is left out.
const COLUMNS: TableColumn[] = [
  { header: 'PROMPT', fit: fitLocation, fitEnd: fitLocationKeepingEnd, min: 24, floor: 9, cutOrder: 1 },
  { header: 'KIND', fit: (cell, max) => (width(cell) <= max ? cell : `${[...cell].slice(0, max - 1).join('')}…`), min: 10, cutOrder: 0, dropOrder: 0 },
  { header: 'MODEL', fit: elideLeft, min: 16, floor: 8, cutOrder: 2 },
  { header: 'TOKENS IN', right: true }, { header: 'OUT', right: true, dropOrder: 1 }, { header: '$/CALL', right: true, dropOrder: 3, dropLast: true },
  { header: 'CALLS/DAY', right: true, dropOrder: 2 }, { header: '$/MONTH', right: true },
];

export interface TableOptions {
  /** The terminal's width: the table's cut-able columns are narrowed to fit it and diagnostics wrapped. */
  columns?: number;
}

export function formatTable(r: ScanReport, options: TableOptions = {}): string {
  const rows = byMonthlyCost(r.prompts).map((p) => [
    promptLocation(p), p.kind, modelText(p), formatTokens(p.tokens.input, p.tokens.exact), groupDigits(p.tokens.output),
    perCallText(p), groupDigits(p.traffic.callsPerDay), monthlyText(p),
  // No cell wider than the terminal (cut as its column cuts), or than MAX_CELL when there is none.
  ].map((cell, i) => (options.columns ? (COLUMNS[i].fit ?? truncate)(cell, Math.max(MAX_CELL, options.columns)) : truncate(cell, MAX_CELL))));
  const lines: string[] = [];
  // Sentences under the table wrap to the terminal too.
  const fit = (line: string) => (options.columns ? wrap(line, options.columns, 2) : line);
  if (rows.length) {
    const table = layoutTable(COLUMNS, rows, options.columns);
    lines.push(...table.lines, '');
    if (table.dropped.length) lines.push(fit(`(${table.dropped.join(', ')} left out to fit ${options.columns} columns; a wider terminal or --format csv shows them.)`), '');
  } else lines.push('No prompts found.', '');
  lines.push(fit(totalsLine(r)));
  const assumed = assumedModelNote(r);
  if (assumed) lines.push(fit(`* ${assumed}`));
  const assistant = assistantNote(r);
  if (assistant) lines.push(fit(`† ${assistant}`));
  if (r.budget) lines.push(fit(`Budget: ${formatUsd(r.budget.monthlyUsd)}/month (${r.budget.from}) — ${budgetVerdictText(r.budget, 'table')}`));
  lines.push(fit(priceLine(r)));
  const diags = [...r.diagnostics.map((d) => ({ ...d, where: rangePlace(d.file ?? '', d) })),
    ...r.prompts.flatMap((p) => p.diagnostics.map((d) => ({ ...d, where: rangePlace(p.file, d) })))];
  if (diags.length) {
    lines.push('', 'Diagnostics:');
    // Every column padded (the place too), so the messages start in one column.
    const codeWidth = Math.min(MAX_CELL, Math.max(...diags.map((d) => d.code.length)));
    const whereWidth = Math.min(MAX_CELL, Math.max(...diags.map((d) => width(d.where))));
    for (const d of diags) {
      const where = truncate(d.where, MAX_CELL);
      // A message that starts with its own file:line (config problems do) is not given it twice.
      const message = d.message.startsWith(`${d.where}: `) ? d.message.slice(d.where.length + 2) : d.message;
      let head = `  ${d.severity.padEnd(11)} ${truncate(d.code, MAX_CELL).padEnd(codeWidth)} ${where}${' '.repeat(Math.max(0, whereWidth - width(where)))}  `;
      let text = truncate(message, MAX_MESSAGE);
      // Too wide for the terminal padded: unpadded, and the place at the start of the message below when
      // even then it does not fit (cut from the left to fit a line).
      if (options.columns && width(head.trimEnd()) > options.columns) {
        const start = `  ${d.severity} ${truncate(d.code, Math.max(12, options.columns - d.severity.length - 3))}`;
        if (width(start) + 1 + width(where) <= options.columns) head = `${start} ${where}`;
        else {
          head = start;
          text = `${elidePath(d.where, options.columns - 8)}: ${text}`;
        }
      }
      // In a terminal: the message wrapped in its column while it has room, else on the lines below.
      if (!options.columns || width(head) + text.length <= options.columns) lines.push(head + text);
      else if (options.columns - width(head) >= 60) lines.push(head + wrap(text, options.columns - width(head), 0).split('\n').join('\n' + ' '.repeat(width(head))));
      else lines.push(head.trimEnd(), `      ${wrap(text, options.columns - 6, 0).split('\n').join('\n      ')}`);
    }
  }
  if (r.skipped.length) {
    lines.push('', `Skipped ${r.skipped.length} file${r.skipped.length === 1 ? '' : 's'}:`);
    for (const s of r.skipped.slice(0, 20)) lines.push(`  ${truncate(s.file, MAX_CELL * 2)}: ${truncate(s.reason, MAX_MESSAGE)}`);
    if (r.skipped.length > 20) lines.push(`  … and ${r.skipped.length - 20} more (see --format json)`);
  }
  return lines.join('\n') + '\n';
}
