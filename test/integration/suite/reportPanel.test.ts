// The workspace report panel in a real VS Code: it opens from the command, shows the workspace's
// prompts, and a real click on a row (in the webview, by the harness's Chromium) reveals that prompt.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { ScanReport } from '../../../src/core/model';
import type { FromWebview } from '../../../src/webview/protocol';
import { allLenses, api, file } from './util';

describe('the workspace report panel', () => {
  it('each cost lens has a "show in report" lens beside it', async () => {
    await api();
    const uri = file('src/summarize.py');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const all = await allLenses(uri);
    const show = all.find((l) => l.command?.command === 'promptCost.showInReport');
    assert.ok(show, all.map((l) => l.command?.title).join(', '));
    assert.strictEqual(show!.command!.title, 'show in report');
    assert.match(String(show!.command!.arguments?.[0]), /^src\/summarize\.py:\d+$/);
  });

  it('opens from the command; clicking a row reveals that prompt in the editor', async function () {
    if (process.env.PROMPT_COST_HARNESS_CLICKS !== '1') this.skip(); // the click needs the code-server harness's browser
    const a = await api();
    await a.totals((t) => !t.scanning);
    const report = await a.client.sendRequest<ScanReport>('promptCost/report');
    const target = report.prompts.find((p) => p.file === 'src/summarize.py');
    assert.ok(target, report.prompts.map((p) => p.id).join(', '));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const seen = (type: FromWebview['type']) => new Promise<FromWebview>((resolve) => {
      const sub = a.report.onDidReceiveMessage((m) => {
        if (m.type !== type) return;
        sub.dispose();
        resolve(m);
      });
    });
    const ready = seen('ready');
    await vscode.commands.executeCommand('promptCost.openReport');
    await ready;
    assert.ok(a.report.isOpen);
    const revealed = new Promise<vscode.TextEditor>((resolve) => {
      const sub = vscode.window.onDidChangeActiveTextEditor((e) => {
        if (!e || !e.document.uri.path.endsWith('/src/summarize.py')) return;
        sub.dispose();
        resolve(e);
      });
    });
    const reveal = seen('reveal');
    console.log(`[harness] click webview row: ${target!.file}:${target!.range.start.line + 1},`);
    const message = await reveal;
    assert.deepStrictEqual(message, { type: 'reveal', id: target!.id, file: target!.file, range: target!.range });
    const editor = await revealed;
    assert.strictEqual(editor.selection.active.line, target!.range.start.line);
  });
});
