// The extension in a real VS Code: hover, code lenses, diagnostics, status bar total, live settings.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { api, codeOf, diagnostics, eventually, file, hoverText, lenses } from './util';

describe('Prompt Cost in VS Code', () => {
  it('activates and reports the workspace total after its background scan', async () => {
    const a = await api();
    const totals = await a.totals((t) => !t.scanning);
    assert.strictEqual(totals.prompts, 5, JSON.stringify(totals));
    assert.strictEqual(totals.unpriced, 1);
    assert.ok(totals.monthlyUsd > 100, `monthly ${totals.monthlyUsd}`);
  });

  it('hover on a message shows tokens, cost, traffic source, cheaper models and the price date', async () => {
    await api();
    const uri = file('src/support.ts');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const line = doc.getText().split('\n').findIndex((l) => l.includes('Customer question'));
    const text = await hoverText(uri, new vscode.Position(line, 30));
    assert.match(text, /model `gpt-4o` \(literal\)/);
    assert.match(text, /src\/prompts\.ts:2/);
    assert.match(text, /slot `question` \(\.promptcost\.yaml:5\) \| 40/);
    assert.match(text, /20,000 calls \(\.promptcost\.yaml:3\)/);
    assert.match(text, /\*\*per month\*\*/);
    assert.match(text, /Cheaper on openai/);
    assert.match(text, /as of \d{4}-\d{2}-\d{2}/);
  });

  it('hover on the constant the prompt text is written in', async () => {
    await api();
    const uri = file('src/prompts.ts');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const text = await hoverText(uri, new vscode.Position(1, 20));
    assert.match(text, /openai\.chat/);
  });

  it('a notebook: hover on the constant in one cell, a code lens on the call in another', async () => {
    await api();
    const nb = await vscode.workspace.openNotebookDocument(file('src/triage.ipynb'));
    await vscode.window.showNotebookDocument(nb);
    const [constantCell, , callCell] = nb.getCells().map((c) => c.document.uri);
    const text = await hoverText(constantCell, new vscode.Position(0, 30));
    assert.match(text, /openai\.chat/);
    assert.match(text, /model `gpt-4o-mini`/);
    const found = await lenses(callCell);
    assert.strictEqual(found.length, 1);
    assert.strictEqual(found[0].range.start.line, 4);
    assert.match(found[0].command!.title, /tokens · \$[\d.]+\/call/);
    assert.deepStrictEqual(await lenses(constantCell), []);
  });

  it('a code lens above each prompt: tokens · $/call · $/month', async () => {
    const uri = file('src/summarize.py');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const found = await lenses(uri);
    assert.strictEqual(found.length, 1);
    assert.match(found[0].command!.title, /^≈\d+ tokens · \$[\d.]+\/call · \$[\d,.]+\/mo$/);
    assert.strictEqual(found[0].command!.command, 'promptCost.showBreakdown');
  });

  it('diagnostics: an unpriced model, with source and a docs link', async () => {
    const uri = file('local.prompt.yml');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const d = await diagnostics(uri, (ds) => ds.some((x) => codeOf(x) === 'unpriced-model'), 'unpriced-model');
    const unpriced = d.find((x) => codeOf(x) === 'unpriced-model')!;
    assert.strictEqual(unpriced.source, 'prompt-cost');
    assert.strictEqual(unpriced.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(String((unpriced.code as { target: vscode.Uri }).target), /docs\/diagnostics\/unpriced-model\.md$/);
  });

  it('edits re-analyse the document: a threshold crossed while typing raises prompt-over-budget', async () => {
    const a = await api();
    await vscode.workspace.getConfiguration('promptCost').update('thresholds.promptTokens', 250, vscode.ConfigurationTarget.Workspace);
    const uri = file('src/summarize.py');
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    await diagnostics(uri, (ds) => !ds.some((x) => codeOf(x) === 'prompt-over-budget'), 'no budget warning yet');
    const line = editor.document.getText().split('\n').findIndex((l) => l.includes('two neutral sentences'));
    const at = editor.document.lineAt(line).text.indexOf('sentences.') + 'sentences.'.length;
    await editor.edit((e) => e.insert(new vscode.Position(line, at), ' Mention the product, the customer tier, the urgency, the sentiment and the next step in detail.'.repeat(10)));
    const d = await diagnostics(uri, (ds) => ds.some((x) => codeOf(x) === 'prompt-over-budget'), 'prompt-over-budget');
    assert.match(d.find((x) => codeOf(x) === 'prompt-over-budget')!.message, /over the limit of 250 \(setting promptCost\.thresholds\.promptTokens\)/);
    await vscode.commands.executeCommand('undo');
    await diagnostics(uri, (ds) => !ds.some((x) => codeOf(x) === 'prompt-over-budget'), 'warning gone after undo');
    await vscode.workspace.getConfiguration('promptCost').update('thresholds.promptTokens', undefined, vscode.ConfigurationTarget.Workspace);
    void a;
  });

  it('settings apply live: inline "off" removes the code lenses, "codeLens" brings them back', async () => {
    const a = await api();
    const uri = file('src/summarize.py');
    await vscode.workspace.getConfiguration('promptCost').update('inline', 'off', vscode.ConfigurationTarget.Workspace);
    await eventually(a, async () => ((await lenses(uri)).length === 0 ? true : undefined), 'code lenses to disappear');
    await vscode.workspace.getConfiguration('promptCost').update('inline', undefined, vscode.ConfigurationTarget.Workspace);
    await eventually(a, async () => ((await lenses(uri)).length === 1 ? true : undefined), 'code lenses to come back');
  });

  it('.promptcost.yaml problems are diagnostics at the line', async () => {
    const uri = file('.promptcost.yaml');
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const line = editor.document.getText().split('\n').findIndex((l) => l.includes('callsPerDay'));
    await editor.edit((e) => e.replace(editor.document.lineAt(line).range, '  callsPerDay: lots'));
    const d = await diagnostics(uri, (ds) => ds.some((x) => codeOf(x) === 'invalid-config'), 'invalid-config');
    assert.strictEqual(d.find((x) => codeOf(x) === 'invalid-config')!.range.start.line, line);
    await vscode.commands.executeCommand('undo');
    await diagnostics(uri, (ds) => ds.length === 0, 'config problems cleared');
  });

  it('quick fix: cache the Anthropic system prompt, then undo', async () => {
    await api();
    const uri = file('src/claude.ts');
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const before = editor.document.getText();
    const d = await diagnostics(uri, (ds) => ds.some((x) => codeOf(x) === 'anthropic-cache-control-missing'), 'anthropic-cache-control-missing');
    const target = d.find((x) => codeOf(x) === 'anthropic-cache-control-missing')!;
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, target.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => /cache_control/.test(a.title));
    assert.ok(fix?.edit, `quick fix offered: ${actions.map((a) => a.title).join(', ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix!.edit!));
    assert.match(editor.document.getText(), /system: \[\{ type: 'text', text: 'Rule 0: .*', cache_control: \{ type: 'ephemeral' \} \}\],/);
    await diagnostics(uri, (ds) => !ds.some((x) => codeOf(x) === 'anthropic-cache-control-missing') && ds.some((x) => codeOf(x) === 'cacheable-prefix'), 'cached after the fix');
    await vscode.commands.executeCommand('undo');
    assert.strictEqual(editor.document.getText(), before, 'undo restores the text');
  });

  it('the report and breakdown commands run', async () => {
    await api();
    await vscode.commands.executeCommand('promptCost.openReport');
    await vscode.commands.executeCommand('promptCost.showBreakdown', file('src/support.ts').toString(), 'src/support.ts:7');
  });
});
