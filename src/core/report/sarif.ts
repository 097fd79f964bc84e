// SARIF 2.1.0 for code-scanning UIs: one rule per diagnostic code, one result per diagnostic.
import type { Diagnostic, ScanReport, Severity } from '../model';
import { DIAGNOSTIC_CODES } from '../rules';
import { TOOL_VERSION } from '../version';
import { formatUsd } from '../format';
import { budgetVerdictText } from './budget';

const LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

/** The budget gate's own rule: a result when the gate fails (over budget, or a total that lacks a mistyped model's prompts). */
const BUDGET_RULE = {
  id: 'budget-exceeded', defaultConfiguration: { level: 'error' },
  shortDescription: { text: 'The projected monthly total is over the budget, or the budget cannot be judged' },
  help: { text: 'The budget is budget.monthlyUsd in .promptcost.yaml or --max-monthly; see the README (exit codes).' },
};

function budgetResults(r: ScanReport): unknown[] {
  const b = r.budget;
  if (!b || (!b.exceeded && !b.unpricedTypos?.length)) return [];
  // At the budget's line in the config; for --max-monthly, at the costliest prompt (the first to look at).
  const at = /^(.+):(\d+)$/.exec(b.from);
  const top = [...r.prompts].sort((x, y) => (y.cost.monthlyUsd ?? 0) - (x.cost.monthlyUsd ?? 0))[0];
  const location = at ? { uri: at[1], line: Number(at[2]) } : top ? { uri: top.file, line: top.range.start.line + 1 } : undefined;
  return [{
    ruleId: BUDGET_RULE.id, level: 'error',
    message: { text: `Projected ${formatUsd(r.totals.monthlyUsd)}/month against a budget of ${formatUsd(b.monthlyUsd)}/month (${b.from}): ${b.verdict ?? budgetVerdictText(b)}` },
    ...(location ? { locations: [{ physicalLocation: { artifactLocation: { uri: location.uri }, region: { startLine: location.line } } }] } : {}),
    properties: { budget: b, totals: r.totals },
  }];
}

export function formatSarif(r: ScanReport): string {
  const all: { d: Diagnostic; file: string }[] = [
    ...r.diagnostics.map((d) => ({ d, file: d.file ?? '' })),
    ...r.prompts.flatMap((p) => p.diagnostics.map((d) => ({ d, file: p.file }))),
  ];
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'prompt-cost', version: TOOL_VERSION,
          rules: [...Object.entries(DIAGNOSTIC_CODES).map(([id, meta]) => ({
            id, defaultConfiguration: { level: LEVEL[meta.defaultSeverity] },
            help: { text: `See docs/diagnostics/${meta.docs} in the prompt-cost package.` },
          })), BUDGET_RULE],
        },
      },
      results: [...budgetResults(r), ...all.map(({ d, file }) => ({
        ruleId: d.code, level: LEVEL[d.severity], message: { text: d.message },
        locations: [{ physicalLocation: { artifactLocation: { uri: file }, region: {
          startLine: d.range.start.line + 1, startColumn: d.range.start.character + 1, endLine: d.range.end.line + 1, endColumn: d.range.end.character + 1,
        } } }],
      }))],
      properties: { totals: r.totals, prices: r.prices, ...(r.budget ? { budget: r.budget } : {}) },
    }],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}
