// Formatters for a cost diff: a terminal table, Markdown for a sticky pull-request comment, SARIF that
// marks changed and added prompts (and head prompt files that could not be read) for code-scanning annotations. Pure string functions.
import type { CostDiff, DiffRow } from '../diff';
import { formatPct, formatTokens, formatUsd } from '../format';
import { TOOL_VERSION } from '../version';
import { elideLeft, fitLocation, layoutTable, type TableColumn } from './layout';
import { placeText } from './place';

/** The marker a sticky comment is found by. */
export const DIFF_COMMENT_MARKER = '<!-- prompt-cost-diff -->';

const signedUsd = (usd: number | null) => (usd === null ? 'unpriced' : `${usd > 0 ? '+' : usd < 0 ? '−' : '±'}${formatUsd(Math.abs(usd))}`);
const pctText = (pct: number | null) => (pct === null ? '' : `, ${pct > 0 ? '+' : pct < 0 ? '−' : '±'}${formatPct(pct)}%`);
const where = (r: DiffRow) => { const s = r.after ?? r.before!; return placeText(s.file, s.line, s.cell); };
const monthly = (s: DiffRow['before']) => (!s ? '—' : s.monthlyUsd === null ? 'unpriced' : formatUsd(s.monthlyUsd));
/** A row's monthly cost, before → after; a prompt whose head file could not be read: unknown there. */
const monthlyOf = (r: DiffRow) => (r.status === 'unreadable' ? `${monthly(r.before)} → ?` : r.before && r.after ? `${monthly(r.before)} → ${monthly(r.after)}` : monthly(r.after ?? r.before));
const deltaOf = (r: DiffRow) => (r.status === 'unreadable' ? 'unknown' : signedUsd(r.deltaMonthlyUsd));
const tokens = (s: DiffRow['before']) => (s ? formatTokens(s.tokens, s.exact) : '—');

export function verdictLine(d: CostDiff): string {
  // a head whose prompt files could not be read lacks their prompts: its total is no saving to announce
  const unread = d.head.unreadable?.length ?? 0;
  const lacking = unread ? `; the head's total lacks the prompts of ${unread} prompt file${unread === 1 ? '' : 's'} that could not be read` : '';
  return `Monthly cost: ${formatUsd(d.base.monthlyUsd)} → ${formatUsd(d.head.monthlyUsd)} (${signedUsd(d.deltaMonthlyUsd)}/month${pctText(d.deltaPct)}${lacking})`;
}

/** The gate's result in words: within the increase limits given, over which, or no limit set. */
export function limitsLine(d: CostDiff): string | undefined {
  const v = d.verdict;
  if (!v) return undefined;
  const given = [
    ...(v.limits.maxIncreaseUsd !== undefined ? [`+${formatUsd(v.limits.maxIncreaseUsd)}/month (--max-increase-usd)`] : []),
    ...(v.limits.maxIncreasePct !== undefined ? [`+${v.limits.maxIncreasePct}% (--max-increase-pct)`] : []),
  ];
  const unpriced = v.unpriced ?? [];
  const unpricedText = unpriced.length ? `${unpriced.length} changed prompt${unpriced.length === 1 ? ' is' : 's are'} unpriced, so the delta leaves ${unpriced.length === 1 ? 'its' : 'their'} cost out (${unpriced.slice(0, 3).map((u) => `${u.file}:${u.line}: ${u.model}`).join('; ')}${unpriced.length > 3 ? `; and ${unpriced.length - 3} more` : ''})` : '';
  if (!given.length) return unpriced.length ? `No increase limit set; ${unpricedText}.` : 'No increase limit set (--max-increase-usd N or --max-increase-pct P gates on one).';
  const unread = v.unreadable ?? [];
  if (unread.length) {
    const shown = unread.slice(0, 3).map((u) => `${u.file}:${u.line}: ${u.message}`).join('; ') + (unread.length > 3 ? `; and ${unread.length - 3} more` : '');
    return `Cannot judge the limit: ${unread.length} prompt file${unread.length === 1 ? '' : 's'} on the head side could not be read, so the head's total lacks ${unread.length === 1 ? 'its' : 'their'} prompts (${shown}).`;
  }
  if (unpriced.length && !unread.length) return `Cannot judge the limit: ${unpricedText}.`;
  // the change itself, then the limit: "at most +$500" alone read as if the increase were $500
  if (v.within) return `Within the limit${given.length > 1 ? 's' : ''} of ${given.join(' and ')}: the change is ${signedUsd(d.deltaMonthlyUsd)}/month${pctText(d.deltaPct)}.`;
  const over = v.over.join('; ');
  return `Over the limit: ${over}.`;
}

function countsLine(d: CostDiff): string {
  const c = d.counts;
  return `${c.changed} changed, ${c.added} added, ${c.removed} removed, ${c.moved} moved, ${c.unchanged} unchanged${c.unreadable ? `, ${c.unreadable} unreadable` : ''}`;
}

const DIFF_COLUMNS: TableColumn[] = [
  { header: 'STATUS' }, { header: 'PROMPT', fit: fitLocation, min: 24, cutOrder: 1 }, { header: 'MODEL', fit: elideLeft, min: 16, cutOrder: 2 },
  { header: 'TOKENS', dropOrder: 0 }, { header: '$/MONTH' }, { header: 'DELTA' },
  // The reasons take the width the others leave and wrap at word boundaries; where that is too narrow
  // they go under their row. None is cut or left out.
  { header: 'WHY', wrap: true, below: true, min: 20, cutOrder: 0, dropOrder: 1 },
];

/** `columns`: the terminal's width, which the place and model are cut to fit and the reasons wrapped to. */
export function formatDiffTable(d: CostDiff, columns?: number): string {
  const rows = d.prompts.map((r) => [
    r.status, where(r),
    r.before && r.after && r.before.model !== r.after.model ? `${r.before.model} → ${r.after.model}` : (r.after ?? r.before)!.model,
    r.before && r.after ? `${tokens(r.before)} → ${tokens(r.after)}` : tokens(r.after ?? r.before),
    monthlyOf(r),
    deltaOf(r),
  ].map((c) => (c.length > 80 ? `${c.slice(0, 79)}…` : c)).concat(r.reasons.join('; ')));
  const out = [`${d.base.ref} (${d.base.commit.slice(0, 12)}) → ${d.head.ref}${d.head.commit ? ` (${d.head.commit.slice(0, 12)})` : ''}`, ''];
  if (rows.length) out.push(...layoutTable(DIFF_COLUMNS, rows, columns).lines, '');
  else out.push('No prompt changed.', '');
  const limits = limitsLine(d);
  out.push(verdictLine(d), ...(limits ? [limits] : []), countsLine(d), `Prices: ${d.prices.source} ${d.prices.version} (data as of ${d.prices.asOf}). ≈ marks estimated token counts.`);
  return out.join('\n') + '\n';
}

const md = (s: string) => s.replace(/\|/g, '\\|').replace(/</g, '&lt;');

export function formatDiffMarkdown(d: CostDiff): string {
  const limits = limitsLine(d);
  const gate = !limits ? [] : d.verdict!.within ? [limits, ''] : [`**${limits.replace(/^(Over the limit|Cannot judge the limit):/, '$1:**')}`, ''];
  const out = [DIFF_COMMENT_MARKER, '### Prompt Cost', '', `**${verdictLine(d)}**`, '', ...gate, countsLine(d), ''];
  const changed = d.prompts.filter((r) => r.status !== 'unchanged' && r.status !== 'moved');
  if (changed.length) {
    out.push('| | prompt | model | tokens | $/month | delta |', '|---|---|---|---|---:|---:|');
    for (const r of changed.slice(0, 25)) {
      const model = r.before && r.after && r.before.model !== r.after.model ? `${r.before.model} → **${r.after.model}**` : (r.after ?? r.before)!.model;
      const tok = r.before && r.after ? `${tokens(r.before)} → ${tokens(r.after)}` : tokens(r.after ?? r.before);
      out.push(`| ${r.status} | \`${md(where(r))}\` | ${md(model)} | ${tok} | ${monthlyOf(r)} | ${deltaOf(r)} |`);
    }
    out.push('');
    const details = [...changed.slice(25), ...d.prompts.filter((r) => r.status === 'unchanged' || r.status === 'moved')];
    const why = changed.filter((r) => r.reasons.length);
    if (why.length) {
      out.push('<details><summary>Why each prompt changed</summary>', '');
      for (const r of why) out.push(`- \`${md(where(r))}\` (${r.status}): ${md(r.reasons.join('; '))}`);
      out.push('', '</details>', '');
    }
    if (details.length) {
      out.push(`<details><summary>${details.length} more prompt${details.length === 1 ? '' : 's'}</summary>`, '');
      for (const r of details) out.push(`- \`${md(where(r))}\` ${r.status}: ${signedUsd(r.deltaMonthlyUsd)}/month`);
      out.push('', '</details>', '');
    }
  } else out.push('No prompt changed cost.', '');
  out.push(`<sub>${d.base.ref} \`${d.base.commit.slice(0, 12)}\` → ${d.head.ref}${d.head.commit ? ` \`${d.head.commit.slice(0, 12)}\`` : ''} · prices: ${d.prices.source} ${d.prices.version}, data as of ${d.prices.asOf} · ≈ marks estimated token counts</sub>`);
  return out.join('\n') + '\n';
}

export function formatDiffSarif(d: CostDiff): string {
  const results = d.prompts.filter((r) => r.after && (r.status === 'changed' || r.status === 'added')).map((r) => ({
    ruleId: `prompt-${r.status}`,
    level: (r.deltaMonthlyUsd ?? 0) > 0 ? 'warning' : 'note',
    message: { text: `${r.status === 'added' ? 'New prompt' : 'Prompt changed'}: ${signedUsd(r.deltaMonthlyUsd)}/month. ${r.reasons.join('; ')}.` },
    locations: [{ physicalLocation: { artifactLocation: { uri: r.after!.file }, region: { startLine: r.after!.line } } }],
  }));
  // A head prompt file that could not be read: an error where it is, whether or not a limit was given.
  for (const u of d.head.unreadable ?? []) {
    results.push({
      ruleId: 'prompt-file-unreadable', level: 'error',
      message: { text: `This prompt file could not be read: ${u.message}. Its prompts are not counted in the head's total.` },
      locations: [{ physicalLocation: { artifactLocation: { uri: u.file }, region: { startLine: u.line } } }],
    });
  }
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json', version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'prompt-cost', version: TOOL_VERSION, rules: [
        { id: 'prompt-changed', shortDescription: { text: 'A prompt whose cost changed' }, defaultConfiguration: { level: 'note' } },
        { id: 'prompt-added', shortDescription: { text: 'A new prompt' }, defaultConfiguration: { level: 'note' } },
        { id: 'prompt-file-unreadable', shortDescription: { text: 'A prompt file that could not be read' }, defaultConfiguration: { level: 'error' } },
      ] } },
      results,
      properties: { base: d.base, head: d.head, deltaMonthlyUsd: d.deltaMonthlyUsd, deltaPct: d.deltaPct, prices: d.prices, ...(d.verdict ? { verdict: d.verdict, verdictText: limitsLine(d) } : {}) },
    }],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}
