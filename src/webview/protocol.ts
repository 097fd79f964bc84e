// The messages between the report panel's webview and its host (the extension, or nothing at all in
// `scan --format html`). Both sides import these types; nothing else crosses the boundary.
import type { ReportViewData } from '../core/report/view';
import type { WhatIf } from '../core/whatif';

export type SortKey = 'location' | 'kind' | 'model' | 'confidence' | 'tokensIn' | 'tokensOut' | 'perCall' | 'perDay' | 'monthly' | 'cache' | 'diagnostics';
export type GroupBy = 'none' | 'file' | 'folder' | 'model';

/** What the webview keeps across hide/show and reloads (vscode.getState/setState, the serializer). */
export interface ViewState {
  sort: { key: SortKey; descending: boolean };
  filter: string;
  groupBy: GroupBy;
  scrollTop: number;
  whatIf: WhatIf;
  /** The focused row's prompt id. */
  focused?: string;
}

export type ExportFormat = 'csv' | 'json' | 'markdown';

/** A traffic or model change to write into .promptcost.yaml as an override. */
export interface OverrideChange { id: string; file: string; model?: string; callsPerDay?: number; modelFrom?: string; trafficFrom?: string }

export type ToWebview =
  | { type: 'data'; data: ReportViewData }
  /** Focus a prompt's row (the code lens "show in report"). */
  | { type: 'focus'; id: string }
  | { type: 'exported'; format: ExportFormat; path?: string }
  | { type: 'wrote'; overrides: number; file?: string; error?: string; shadowed?: number };

export type FromWebview =
  | { type: 'ready' }
  | { type: 'reveal'; id: string; file: string; range: { start: { line: number; character: number }; end: { line: number; character: number } }; cell?: number }
  | { type: 'export'; format: ExportFormat }
  | { type: 'writeOverrides'; changes: OverrideChange[] }
  | { type: 'refresh' };

/** The part of VS Code's webview API the renderer uses; absent in the HTML file. */
export interface VsCodeApi {
  postMessage(message: FromWebview): void;
  getState(): unknown;
  setState(state: unknown): void;
}
