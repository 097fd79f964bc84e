// SARIF 2.1.0 for code-scanning UIs: one rule per diagnostic code, one result per diagnostic.
import type { Diagnostic, ScanReport, Severity } from '../model';
import { DIAGNOSTIC_CODES } from '../rules';
import { TOOL_VERSION } from '../version';

const LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

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
          rules: Object.entries(DIAGNOSTIC_CODES).map(([id, meta]) => ({
            id, defaultConfiguration: { level: LEVEL[meta.defaultSeverity] },
            help: { text: `See docs/diagnostics/${meta.docs} in the prompt-cost package.` },
          })),
        },
      },
      results: all.map(({ d, file }) => ({
        ruleId: d.code, level: LEVEL[d.severity], message: { text: d.message },
        locations: [{ physicalLocation: { artifactLocation: { uri: file }, region: {
          startLine: d.range.start.line + 1, startColumn: d.range.start.character + 1, endLine: d.range.end.line + 1, endColumn: d.range.end.character + 1,
        } } }],
      })),
      properties: { totals: r.totals, prices: r.prices },
    }],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}
