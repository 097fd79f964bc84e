// The VS Code client: starts the language server, shows the workspace total in the status bar, and
// offers the breakdown, report and prompt-list commands. All analysis happens in the server.
import * as path from 'path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { formatUsd } from '../core/format';
import type { ScanReport } from '../core/model';
import { registerCompress, type CompressApi } from './compress';
import { ReportPanelHost } from './reportPanel';
import { BreakdownRequest, ReportRequest, RescanRequest, TotalsNotification, UpdatePricesRequest, type BreakdownParams, type Totals } from '../server/protocol';
import type { UpdateResult } from '../core/prices/refresh';

/** What the extension exports: used by the integration tests, and by anyone scripting VS Code. */
export interface PromptCostApi {
  client: LanguageClient;
  /** The workspace report panel's host (tests watch its messages). */
  report: ReportPanelHost;
  /** Resolves with the next totals the server reports that satisfy `accept`. */
  totals(accept?: (t: Totals) => boolean): Promise<Totals>;
  lastTotals(): Totals | undefined;
  compress: CompressApi;
}

const SELECTOR: LanguageClientOptions['documentSelector'] = [
  ...['typescript', 'typescriptreact', 'javascript', 'javascriptreact', 'python', 'yaml'].flatMap((language) => [{ scheme: 'file', language }, { scheme: 'untitled', language }]),
  // Python cells of Jupyter notebooks: the server analyses the notebook as a whole (saved ones: their
  // cells' own scheme is vscode-notebook-cell, so no scheme here; the server declines the unsaved).
  { notebook: 'jupyter-notebook', language: 'python' },
  { scheme: 'file', pattern: '**/*.prompty' },
  { scheme: 'file', pattern: '**/*.prompt' },
  { scheme: 'file', pattern: '**/*.prompt.md' },
  { scheme: 'file', pattern: '**/*.rdt.md' },
  // Request files (REST Client, JetBrains HTTP Client), Cursor rules, Claude Code subagents, commands and output styles: their own languages, or none.
  { scheme: 'file', pattern: '**/*.{http,rest}' },
  { scheme: 'file', pattern: '**/.cursor/rules/**/*.mdc' },
  { scheme: 'file', pattern: '**/.cursorrules' },
  { scheme: 'file', pattern: '**/.claude/{agents,commands,output-styles}/**/*.md' },
  // Prompts in TOML settings (a bot's `[review_prompt]` tables, Gemini CLI's `.gemini/commands/*.toml`).
  { scheme: 'file', pattern: '**/*.toml' },
  { scheme: 'file', pattern: '**/.promptcost.yaml' },
];

async function showMarkdown(content: string): Promise<void> {
  const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content });
  await vscode.commands.executeCommand('markdown.showPreview', doc.uri);
}

export async function activate(context: vscode.ExtensionContext): Promise<PromptCostApi> {
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  // The tokenizer's start-up snapshot lives in the extension's own storage, not the user's cache folder.
  const env = { ...process.env, PROMPT_COST_CACHE_DIR: context.globalStorageUri.fsPath };
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.stdio, options: { env } },
    debug: { module: serverModule, transport: TransportKind.stdio, options: { env, execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: SELECTOR,
    synchronize: {
      fileEvents: vscode.workspace.createFileSystemWatcher('**/{.promptcost.yaml,*.ts,*.tsx,*.js,*.jsx,*.mjs,*.cjs,*.py,*.ipynb,*.prompty,*.prompt,*.md,*.yml,*.yaml,*.http,*.rest,*.mdc,*.toml,.cursorrules}'),
    },
    initializationOptions: { settings: vscode.workspace.getConfiguration('promptCost') },
    // Each prompt's cost lens gets a "show in report" lens beside it (the report panel lives in the client).
    middleware: {
      provideCodeLenses: async (document, token, next) => {
        const lenses = (await next(document, token)) ?? [];
        return lenses.flatMap((l) => l.command?.command === 'promptCost.showBreakdown' && typeof l.command.arguments?.[1] === 'string'
          ? [l, new vscode.CodeLens(l.range, { title: 'show in report', command: 'promptCost.showInReport', arguments: [l.command.arguments[1]] })]
          : [l]);
      },
      // Untrusted workspaces get no network actions: compress is not offered there.
      provideCodeActions: async (document, range, context, token, next) => {
        const actions = await next(document, range, context, token);
        if (vscode.workspace.isTrusted || !actions) return actions;
        return actions.filter((a) => !('command' in a && a.command && typeof a.command === 'object' && a.command.command === 'promptCost.compressPrompt'));
      },
    },
    outputChannelName: 'Prompt Cost',
  };
  const client = new LanguageClient('promptCost', 'Prompt Cost', serverOptions, clientOptions);

  const status = vscode.window.createStatusBarItem('promptCost.total', vscode.StatusBarAlignment.Right, 100);
  status.name = 'Prompt Cost';
  status.command = 'promptCost.openReport';
  status.text = '$(sync~spin) Prompt Cost';
  status.tooltip = 'Prompt Cost: scanning the workspace…';
  status.show();

  const report = new ReportPanelHost(context, client);
  let last: Totals | undefined;
  const waiters: { accept: (t: Totals) => boolean; resolve: (t: Totals) => void }[] = [];
  const onTotals = (t: Totals) => {
    last = t;
    status.text = `${t.scanning ? '$(sync~spin)' : '$(graph)'} ${formatUsd(t.monthlyUsd)}/mo`;
    status.tooltip = new vscode.MarkdownString(
      `**Prompt Cost** — projected ${formatUsd(t.monthlyUsd)}/month (${formatUsd(t.perDayUsd)}/day) for ${t.prompts} prompt${t.prompts === 1 ? '' : 's'}` +
      `${t.unpriced ? `, ${t.unpriced} unpriced (not included)` : ''}.${t.scanning ? ' Scanning…' : ''}\n\nPrices as of ${t.pricesAsOf}. Click for the workspace report.`,
    );
    report.refreshSoon();
    for (const w of [...waiters]) {
      if (w.accept(t)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(t);
      }
    }
  };

  context.subscriptions.push(
    status,
    client,
    vscode.commands.registerCommand('promptCost.showBreakdown', async (uri?: string, id?: string) => {
      const editor = vscode.window.activeTextEditor;
      const params: BreakdownParams = uri && id ? { uri, id } : editor ? { uri: editor.document.uri.toString(), position: editor.selection.active } : { uri: '' };
      if (!params.uri) return void vscode.window.showInformationMessage('Prompt Cost: open a file and put the cursor on a prompt.');
      const md = await client.sendRequest<string | null>(BreakdownRequest, params);
      if (!md) return void vscode.window.showInformationMessage('Prompt Cost: no prompt here.');
      await showMarkdown(`# Prompt cost breakdown\n\n${md}\n`);
    }),
    report,
    vscode.commands.registerCommand('promptCost.openReport', () => report.show()),
    vscode.commands.registerCommand('promptCost.showInReport', (id?: string) => report.show(typeof id === 'string' ? id : undefined)),
    vscode.commands.registerCommand('promptCost.listPrompts', async () => {
      const report = await client.sendRequest<ScanReport>(ReportRequest);
      const items = [...report.prompts].sort((a, b) => (b.cost.monthlyUsd ?? -1) - (a.cost.monthlyUsd ?? -1)).map((p) => ({
        label: `${p.cost.priced ? formatUsd(p.cost.monthlyUsd!) + '/mo' : 'unpriced'}  ${p.model.id}`,
        description: p.kind + (p.label ? ` · ${p.label}` : ''),
        detail: `${p.file}:${p.range.start.line + 1}`,
        prompt: p,
      }));
      const pick = await vscode.window.showQuickPick(items, { placeHolder: `${items.length} prompts by monthly cost — pick one to open it`, matchOnDescription: true, matchOnDetail: true });
      if (!pick || !vscode.workspace.workspaceFolders?.length) return;
      const uri = vscode.Uri.joinPath(vscode.workspace.workspaceFolders[0].uri, pick.prompt.file);
      const r = pick.prompt.range;
      await vscode.window.showTextDocument(uri, { selection: new vscode.Range(r.start.line, r.start.character, r.start.line, r.start.character) });
    }),
    vscode.commands.registerCommand('promptCost.rescan', () =>
      vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Prompt Cost: rescanning' }, () => client.sendRequest(RescanRequest))),
    // The one network call the extension makes, and only when the user runs this; never in an untrusted workspace.
    vscode.commands.registerCommand('promptCost.updatePrices', async () => {
      if (!vscode.workspace.isTrusted) return void vscode.window.showWarningMessage('Prompt Cost: updating prices is off in an untrusted workspace (it makes a network request). Trust the workspace to use it.');
      const r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Prompt Cost: fetching current prices' }, () => client.sendRequest<UpdateResult>(UpdatePricesRequest));
      if (r.ok) void vscode.window.showInformationMessage(`Prompt Cost: prices updated (${r.providers} providers, ${r.models} models, fetched ${r.fetchedAt.slice(0, 10)}).`);
      else void vscode.window.showErrorMessage(`Prompt Cost: the price update failed: ${r.error}. Still using ${r.using.source} ${r.using.version} (as of ${r.using.asOf}).`);
    }),
  );

  const compress = registerCompress(context, client);
  client.onNotification(TotalsNotification, onTotals);
  await client.start();

  return {
    client,
    compress,
    report,
    lastTotals: () => last,
    totals: (accept = () => true) => new Promise((resolve) => {
      if (last && accept(last)) return resolve(last);
      waiters.push({ accept, resolve });
    }),
  };
}

export function deactivate(): Thenable<void> | undefined {
  return undefined; // the client is disposed with context.subscriptions
}
