// The report panel's data: the workspace report as slim rows, with the price table its what-ifs price
// with (the config's custom prices included).
import { buildPriceTable } from '../core/report/priceTable';
import { toViewData, type ReportViewData } from '../core/report/view';
import { rewriteLedger } from './compress';
import type { WorkspaceState } from './workspaceState';

export function reportView(state: WorkspaceState): ReportViewData {
  const report = state.report();
  // The compression lever: the rewrites finished this session whose part is still as it was.
  return toViewData(report, buildPriceTable(report, { allProviders: true, customPrices: state.config.prices }), rewriteLedger.savings(report.prompts), state.config.batchable);
}
