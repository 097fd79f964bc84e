// The custom requests and notifications between the VS Code client and the server (types and method
// names only, shared by both sides). Everything else is standard LSP.
import type { CompressResult } from '../core/compress';
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

// ---------------------------------------------------------------- compress (src/server/compress.ts)

export const CompressPrepareRequest = 'promptCost/compressPrepare';
export const CompressFinishRequest = 'promptCost/compressFinish';
export const TidyRequest = 'promptCost/tidy';

/** The prompt part a compress runs on: the code action's arguments, or the cursor. */
export interface CompressTarget { uri: string; version?: number; position: { line: number; character: number }; part?: number }
export interface CompressPrepareParams { target: CompressTarget; model: string }
/** What would be sent (the client shows it before the first request to a host), and its own cost. */
export interface CompressPrepared {
  id: string;
  messages: { role: 'system' | 'user'; content: string }[];
  before: { text: string; tokens: number };
  requestTokens: number;
  requestCostUsd?: number;
  notes: string[];
  description: string;
  file: string;
  line: number;
}
export interface CompressFinishParams { id: string; reply: string; usage?: { inputTokens: number; outputTokens: number }; cached?: boolean }
/** The result (the CLI's shape) with the document version its edit is for, and the diff title. */
export type CompressOutcome = CompressResult & { uri: string; version: number; title: string; callsPerDay: number };
