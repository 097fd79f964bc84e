// The host of the report panel ("Prompt Cost: Workspace Report"): a webview running dist/webview.js
// under a strict Content-Security-Policy, fed by the language server's report, talking through the
// typed messages of src/webview/protocol.ts. Rows reveal their prompt; exports go through a save
// dialog; what-ifs become .promptcost.yaml overrides as one undoable edit.
import { randomBytes } from 'crypto';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { minimalEdit, writeOverrides } from '../core/config/edit';
import type { ScanReport } from '../core/model';
import { formatCsv } from '../core/report/csv';
import { reportShell } from '../core/report/htmlShell';
import { formatMarkdown } from '../core/report/markdown';
import type { ReportViewData } from '../core/report/view';
import { ReportRequest, ReportViewRequest } from '../server/protocol';
import type { ExportFormat, FromWebview, OverrideChange, ToWebview } from '../webview/protocol';

export const REPORT_VIEW_TYPE = 'promptCost.report';
const TITLE = 'Prompt Cost: Workspace Report';
const REFRESH_DEBOUNCE_MS = 400;

/** What tests and the extension see of the open panel. */
export interface ReportPanelEvents {
  /** Fires with each message the webview posts (after the host handled it). */
  onDidReceiveMessage: vscode.Event<FromWebview>;
}

export class ReportPanelHost implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private ready = false;
  private pendingFocus: string | undefined;
  private refreshTimer: NodeJS.Timeout | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly messages = new vscode.EventEmitter<FromWebview>();
  readonly onDidReceiveMessage = this.messages.event;

  constructor(private readonly context: vscode.ExtensionContext, private readonly client: LanguageClient) {
    this.disposables.push(
      this.messages,
      vscode.window.registerWebviewPanelSerializer(REPORT_VIEW_TYPE, {
        // After a reload: the webview's own state (sort, filter, scroll, what-ifs) comes back through getState.
        deserializeWebviewPanel: async (panel) => this.adopt(panel),
      }),
      vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('promptCost')) this.refreshSoon(); }),
      vscode.workspace.onDidSaveTextDocument(() => this.refreshSoon()),
    );
    const watcher = vscode.workspace.createFileSystemWatcher('**/.promptcost.yaml');
    this.disposables.push(watcher, watcher.onDidChange(() => this.refreshSoon()), watcher.onDidCreate(() => this.refreshSoon()), watcher.onDidDelete(() => this.refreshSoon()));
  }

  /** Opens (or brings forward) the panel; `focusId` selects that prompt's row. */
  async show(focusId?: string): Promise<void> {
    if (this.panel) {
      this.panel.reveal(this.panel.viewColumn ?? vscode.ViewColumn.Active);
    } else {
      const panel = vscode.window.createWebviewPanel(REPORT_VIEW_TYPE, TITLE, vscode.ViewColumn.Active, this.options());
      this.adopt(panel);
    }
    if (focusId) {
      if (this.ready) this.post({ type: 'focus', id: focusId });
      else this.pendingFocus = focusId;
    }
  }

  /** The server re-priced something (totals changed): refresh the open panel soon. */
  refreshSoon(): void {
    if (!this.panel) return;
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      void this.sendData();
    }, REFRESH_DEBOUNCE_MS);
  }

  get isOpen(): boolean {
    return !!this.panel;
  }

  dispose(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }

  private options(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(this.context.extensionUri, 'dist')], enableFindWidget: true };
  }

  private adopt(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    this.ready = false;
    panel.title = TITLE;
    panel.webview.options = this.options();
    panel.webview.html = this.html(panel.webview);
    const subs = [
      panel.webview.onDidReceiveMessage((m: FromWebview) => void this.handle(m)),
      panel.onDidChangeViewState((e) => { if (e.webviewPanel.visible) this.refreshSoon(); }),
    ];
    panel.onDidDispose(() => {
      for (const s of subs) s.dispose();
      if (this.panel === panel) this.panel = undefined;
    });
  }

  private html(webview: vscode.Webview): string {
    const nonce = randomBytes(16).toString('base64');
    const asset = (name: string) => webview.asWebviewUri(vscode.Uri.joinPath(this.context.extensionUri, 'dist', name));
    return reportShell({
      allow: { 'style-src': [webview.cspSource], 'script-src': [`'nonce-${nonce}'`], 'img-src': [webview.cspSource, 'data:'], 'font-src': [webview.cspSource] },
      title: TITLE,
      head: [`<link rel="stylesheet" href="${asset('webview.css')}">`],
      body: [`<script nonce="${nonce}" src="${asset('webview.js')}"></script>`],
    });
  }

  private post(m: ToWebview): void {
    void this.panel?.webview.postMessage(m);
  }

  private async sendData(): Promise<void> {
    if (!this.panel) return;
    try {
      const data = await this.client.sendRequest<ReportViewData>(ReportViewRequest);
      this.post({ type: 'data', data });
    } catch (e) {
      void vscode.window.showErrorMessage(`Prompt Cost: could not build the report: ${(e as Error).message}`);
    }
  }

  private async handle(m: FromWebview): Promise<void> {
    try {
      switch (m.type) {
        case 'ready':
          this.ready = true;
          await this.sendData();
          if (this.pendingFocus) this.post({ type: 'focus', id: this.pendingFocus });
          this.pendingFocus = undefined;
          break;
        case 'refresh':
          await this.sendData();
          break;
        case 'reveal':
          await this.reveal(m.file, m.range);
          break;
        case 'export':
          await this.export(m.format);
          break;
        case 'writeOverrides':
          await this.writeOverrides(m.changes);
          break;
      }
    } catch (e) {
      void vscode.window.showErrorMessage(`Prompt Cost: ${(e as Error).message}`);
    }
    this.messages.fire(m);
  }

  private root(): vscode.Uri {
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder) throw new Error('open a folder to see its report');
    return folder.uri;
  }

  private async reveal(file: string, range: { start: { line: number; character: number } }): Promise<void> {
    const uri = vscode.Uri.joinPath(this.root(), file);
    const at = new vscode.Position(range.start.line, range.start.character);
    if (file.endsWith('.ipynb')) {
      await vscode.commands.executeCommand('vscode.open', uri);
      return;
    }
    const editor = await vscode.window.showTextDocument(uri, { selection: new vscode.Range(at, at), viewColumn: vscode.ViewColumn.One, preserveFocus: false });
    editor.revealRange(new vscode.Range(at, at), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  private async export(format: ExportFormat): Promise<void> {
    const ext = format === 'markdown' ? 'md' : format;
    const target = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.joinPath(this.root(), `prompt-cost-report.${ext}`),
      filters: { [format === 'markdown' ? 'Markdown' : format.toUpperCase()]: [ext] },
      saveLabel: 'Export',
    });
    if (!target) return this.post({ type: 'exported', format });
    const report = await this.client.sendRequest<ScanReport>(ReportRequest);
    const text = format === 'csv' ? formatCsv(report) : format === 'markdown' ? formatMarkdown(report) : JSON.stringify(report, null, 2) + '\n';
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
    this.post({ type: 'exported', format, path: vscode.workspace.asRelativePath(target) });
  }

  /** One WorkspaceEdit (undoable in the file's editor), then the file shown so the change is seen. */
  private async writeOverrides(changes: OverrideChange[]): Promise<void> {
    const uri = vscode.Uri.joinPath(this.root(), '.promptcost.yaml');
    let doc: vscode.TextDocument | undefined;
    try {
      doc = await vscode.workspace.openTextDocument(uri);
    } catch {
      doc = undefined; // no file yet: the edit creates it
    }
    let result: ReturnType<typeof writeOverrides>;
    try {
      result = writeOverrides(doc?.getText(), changes);
    } catch (e) {
      return this.post({ type: 'wrote', overrides: 0, error: (e as Error).message });
    }
    const shadowed = result.shadowed.length || undefined;
    if (!result.written) return this.post({ type: 'wrote', overrides: 0, file: '.promptcost.yaml', shadowed });
    const edit = new vscode.WorkspaceEdit();
    if (doc) {
      const before = doc.getText();
      const change = minimalEdit(before, result.text);
      edit.replace(uri, new vscode.Range(doc.positionAt(change.start), doc.positionAt(change.end)), change.newText);
    } else {
      edit.createFile(uri, { ignoreIfExists: true });
      edit.insert(uri, new vscode.Position(0, 0), result.text);
    }
    if (!(await vscode.workspace.applyEdit(edit))) return this.post({ type: 'wrote', overrides: 0, error: 'the editor refused the edit' });
    await vscode.window.showTextDocument(uri, { preview: false, viewColumn: vscode.ViewColumn.One, preserveFocus: true });
    if (result.conflicts.length) void vscode.window.showWarningMessage(`Prompt Cost: ${result.conflicts.length} prompt(s) share a file with another prompt that asked for different values; only the first was written (${result.conflicts.slice(0, 3).join(', ')}). Give them annotation ids to override each on its own.`);
    this.post({ type: 'wrote', overrides: result.written, file: '.promptcost.yaml', shadowed });
  }
}
