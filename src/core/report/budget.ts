// The budget gate's verdict in words, the same in every format: over or within the budget, and the
// prompts the total lacks (unpriced), with the ones whose model looks like a typo, and prompt files that
// could not be read, failing the gate.
import type { BudgetVerdict } from '../model';

type Facts = Omit<BudgetVerdict, 'verdict'>;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "within budget", "exceeded", then the unpriced prompts: `table` writes EXCEEDED/FAILED, `markdown` bolds them. */
export function budgetVerdictText(b: Facts, style: 'plain' | 'table' | 'markdown' = 'plain'): string {
  const strong = (s: string) => (style === 'table' ? s.toUpperCase() : style === 'markdown' ? `**${s}**` : s);
  const typos = b.unpricedTypos ?? [];
  let out = b.exceeded ? strong('exceeded') : 'within budget';
  // A prompt file that could not be read: the total lacks what it holds, so the gate cannot pass.
  const unread = b.unreadable ? `${plural(b.unreadable, 'prompt file')} could not be read, so ${b.unreadable === 1 ? 'its' : 'their'} prompts are not in the total (see the prompt-file-error diagnostics)` : '';
  if (typos.length || unread) out = `${strong('failed')}: ${out === 'within budget' ? 'the priced total is within budget, but ' : 'over budget, and '}`;
  else if (b.unpriced) out += '; ';
  if (unread) out += unread + (b.unpriced ? '; ' : '');
  if (!b.unpriced) return out;
  out += `${plural(b.unpriced, 'prompt')} ${b.unpriced === 1 ? 'is' : 'are'} unpriced and not in the total`;
  if (typos.length) {
    const shown = typos.slice(0, 3).map((t) => `${t.id} ${t.modelFrom ? `takes "${t.model}" from ${t.modelFrom}` : `names "${t.model}"`} (did you mean ${t.nearest.length === 1 ? t.nearest[0] : `${t.nearest.slice(0, -1).join(', ')} or ${t.nearest[t.nearest.length - 1]}`}?)`);
    return `${out} — ${shown.join('; ')}${typos.length > 3 ? `; and ${typos.length - 3} more` : ''}: fix the model name, or price it under prices: in .promptcost.yaml`;
  }
  const it = b.unpriced === 1 ? 'it' : 'them';
  return `${out} (self-hosted or unknown: no priced model is near ${b.unpriced === 1 ? 'its name' : 'their names'}, so a warning only; price ${it} under prices: to include ${it})`;
}

/**
 * The verdict at other figures than the scan's (the report panel's what-ifs): over or within the budget
 * at `monthlyUsd`, with `unpricedIds` the prompts unpriced now. A mistyped model still fails the gate
 * only while its prompt is unpriced (a what-if may have swapped it to a priced model); a prompt file that
 * could not be read fails it whatever the what-ifs.
 */
export function budgetVerdictAt(b: BudgetVerdict, monthlyUsd: number, unpricedIds: ReadonlySet<string>): BudgetVerdict {
  const typos = (b.unpricedTypos ?? []).filter((t) => unpricedIds.has(t.id));
  const facts: Facts = { monthlyUsd: b.monthlyUsd, from: b.from, exceeded: !Number.isFinite(monthlyUsd) || monthlyUsd > b.monthlyUsd, unpriced: unpricedIds.size, ...(typos.length ? { unpricedTypos: typos } : {}), ...(b.unreadable ? { unreadable: b.unreadable } : {}) };
  return { ...facts, verdict: budgetVerdictText(facts) };
}
