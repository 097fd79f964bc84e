// Waiting on VS Code's own events, never sleeping.
import * as vscode from 'vscode';
import type { PromptCostApi } from '../../../src/extension/extension';

export const EXTENSION_ID = 'prompt-cost.prompt-cost';

export async function api(): Promise<PromptCostApi> {
  const ext = vscode.extensions.getExtension<PromptCostApi>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not installed`);
  return ext.activate();
}

export function file(rel: string): vscode.Uri {
  return vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, rel);
}

/** Resolves when the diagnostics of `uri` satisfy `accept` (now or after a change event). */
export function diagnostics(uri: vscode.Uri, accept: (d: vscode.Diagnostic[]) => boolean, what = 'diagnostics'): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const now = vscode.languages.getDiagnostics(uri);
    if (accept(now)) return resolve(now);
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`timed out waiting for ${what} on ${uri.path}; last: ${JSON.stringify(vscode.languages.getDiagnostics(uri).map((d) => [d.code, d.message]))}`));
    }, 30_000);
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (!e.uris.some((u) => u.toString() === uri.toString())) return;
      const d = vscode.languages.getDiagnostics(uri);
      if (accept(d)) {
        clearTimeout(timer);
        sub.dispose();
        resolve(d);
      }
    });
  });
}

export function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code);
}

export async function hoverText(uri: vscode.Uri, position: vscode.Position): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position);
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
}

/** The cost lenses of a document (each has a "show in report" lens beside it: see allLenses). */
export async function lenses(uri: vscode.Uri): Promise<vscode.CodeLens[]> {
  return (await allLenses(uri)).filter((l) => l.command?.command !== 'promptCost.showInReport');
}

export async function allLenses(uri: vscode.Uri): Promise<vscode.CodeLens[]> {
  return (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
}

/** Retries `probe` each time the server reports new totals (after any re-analysis), until it passes. */
export async function eventually<T>(a: PromptCostApi, probe: () => Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const next = a.totals(() => true).then(() => undefined);
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    // wait for the next totals notification (sent after every analysis) or give the server a turn
    await Promise.race([next.then(() => a.totals((t) => t !== a.lastTotals())), new Promise((r) => setTimeout(r, 250))]);
  }
}
