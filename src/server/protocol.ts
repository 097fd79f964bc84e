// The custom requests and notifications between the VS Code client and the server (types and method
// names only, shared by both sides). Everything else is standard LSP.
import type { ScanReport } from '../core/model';

export interface Totals {
  prompts: number;
  unpriced: number;
  perDayUsd: number;
  monthlyUsd: number;
  /** True while the workspace scan runs (the totals cover what is scanned so far). */
  scanning: boolean;
  pricesAsOf: string;
}

export const TotalsNotification = 'promptCost/totals';
export const ReportRequest = 'promptCost/report';
export const ReportMarkdownRequest = 'promptCost/reportMarkdown';
export const BreakdownRequest = 'promptCost/breakdown';
export const RescanRequest = 'promptCost/rescan';
/** The report panel's data (ReportViewData: slim rows and the price table its what-ifs use). */
export const ReportViewRequest = 'promptCost/reportView';
/** Fetch the price database's current data (the user's explicit request; trusted workspaces only). */
export const UpdatePricesRequest = 'promptCost/updatePrices';

/** A prompt by id, or the prompt at a position (the command run from the palette). */
export interface BreakdownParams { uri: string; id?: string; position?: { line: number; character: number } }
export type ReportResult = ScanReport;
