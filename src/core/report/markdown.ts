import { budgetVerdictText } from './budget';
import { formatTokens, formatUsd, groupDigits } from '../format';
import type { ScanReport } from '../model';
import { rangePlace } from './place';
import { assumedModelNote, byMonthlyCost, assistantNote, monthlyText, perCallText, priceLine, promptLocation, totalsLine, modelText } from './table';

const cell = (s: string) => s.replace(/\|/g, '\\|');

export function formatMarkdown(r: ScanReport): string {
  const out = ['# Prompt cost report', '', `**${totalsLine(r)}**`, ''];
  if (r.budget) out.push(`Budget: ${formatUsd(r.budget.monthlyUsd)}/month (${r.budget.from}) — ${budgetVerdictText(r.budget, 'markdown')}`, '');
  if (r.prompts.length) {
    out.push('| Prompt | Kind | Model | Tokens in | Out | $/call | Calls/day | $/month |', '|---|---|---|--:|--:|--:|--:|--:|');
    for (const p of byMonthlyCost(r.prompts)) {
      out.push(`| ${cell(promptLocation(p))} | ${p.kind} | ${cell(modelText(p)).replace(/\*/g, '\\*')} | ${formatTokens(p.tokens.input, p.tokens.exact)} | ${groupDigits(p.tokens.output)} | ${perCallText(p)} | ${groupDigits(p.traffic.callsPerDay)} | ${monthlyText(p)} |`);
    }
    out.push('');
    // The table's `*` (a model the code does not name) explained, as the text table does.
    const assumed = assumedModelNote(r);
    if (assumed) out.push(`\\* ${assumed}`, '');
    const assistant = assistantNote(r);
    if (assistant) out.push(`† ${assistant}`, '');
  } else out.push('No prompts found.', '');
  const diags = [...r.diagnostics.map((d) => ({ d, file: d.file ?? '' })), ...r.prompts.flatMap((p) => p.diagnostics.map((d) => ({ d, file: p.file })))];
  if (diags.length) {
    out.push('## Diagnostics', '');
    for (const { d, file } of diags) {
      const place = rangePlace(file, d);
      // a message that starts with its own file:line (config and prompt-file problems do) is not given it twice
      const message = d.message.startsWith(`${place}: `) ? d.message.slice(place.length + 2) : d.message;
      out.push(`- **${d.code}** (${d.severity}) \`${place}\`: ${cell(message)}`);
    }
    out.push('');
  }
  if (r.skipped.length) out.push(`Skipped ${r.skipped.length} file(s): ${r.skipped.slice(0, 10).map((s) => `\`${s.file}\` (${s.reason})`).join(', ')}`, '');
  out.push(`_${priceLine(r)}_`, '');
  return out.join('\n');
}
