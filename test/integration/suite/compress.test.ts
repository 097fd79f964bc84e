// "Compress prompt" in a real VS Code: the code action, against an OpenAI-compatible server this test
// starts on 127.0.0.1, through the real `openai` SDK in the extension host; the diff, Apply, one undo.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { completion, startFakeOpenAI } from '../../fakeOpenAI';
import type { CompressOutcome } from '../../../src/server/protocol';
import { api, eventually, file } from './util';

const PROMPT = 'You are a friendly and helpful support assistant for ${customer}. Please always make sure that your answers are short and to the point, and never promise refunds under any circumstances whatsoever.';
const SOURCE = `import OpenAI from 'openai';\nconst client = new OpenAI();\nexport async function ask(customer: string, q: string) {\n  return client.chat.completions.create({\n    model: 'gpt-4o',\n    messages: [\n      { role: 'system', content: \`${PROMPT}\` },\n      { role: 'user', content: q },\n    ],\n  });\n}\n`;

describe('Compress prompt in VS Code', () => {
  it('the code action rewrites the literal through the endpoint, shows the diff with the saving, applies as one undoable edit', async () => {
    const a = await api();
    const fake = await startFakeOpenAI(() => completion('Support assistant for [[V1]]. Be brief. Never promise refunds.'));
    try {
      const host = new URL(fake.baseURL).host;
      await vscode.workspace.getConfiguration('promptCost.compress').update('baseURL', fake.baseURL, vscode.ConfigurationTarget.Global);
      await vscode.commands.executeCommand('promptCost.setApiKey', 'sk-integration-test');
      await a.compress.allowHost(host);
      const uri = file('src/compressme.ts');
      await vscode.workspace.fs.writeFile(uri, Buffer.from(SOURCE));
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(doc);
      const at = new vscode.Position(6, 40);
      const action = await eventually(a, async () => {
        const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, new vscode.Range(at, at), vscode.CodeActionKind.RefactorRewrite.value);
        return actions.find((x) => x.title === 'Compress prompt');
      }, 'the Compress prompt action');
      assert.strictEqual(action.kind?.value, 'refactor.rewrite');
      const result = await vscode.commands.executeCommand<CompressOutcome>(action.command!.command, ...(action.command!.arguments ?? []));
      assert.strictEqual(result?.status, 'ok', JSON.stringify(result));
      assert.strictEqual(fake.requests.length, 1);
      assert.strictEqual(fake.requests[0].authorization, 'Bearer sk-integration-test');
      assert.ok(!fake.requests[0].body.messages.some((m) => m.content.includes('${customer}')), 'placeholders travel as sentinels');
      // The diff editor of the two read-only documents, titled with the saving.
      const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
      assert.ok(tab?.input instanceof vscode.TabInputTextDiff, `active tab: ${tab?.label}`);
      assert.match(tab!.label, /tokens\/call .*\/month at [\d,]+ calls\/day/);
      const pending = a.compress.pending();
      assert.ok(pending);
      assert.ok(await pending!.apply());
      assert.strictEqual(doc.getText(), SOURCE.replace(`\`${PROMPT}\``, '`Support assistant for ${customer}. Be brief. Never promise refunds.`'));
      assert.strictEqual(vscode.window.activeTextEditor?.document, doc, 'Apply returns to the document');
      // One undo takes the rewrite back; asking again is answered from the cache: no second request.
      await vscode.commands.executeCommand('undo');
      assert.strictEqual(doc.getText(), SOURCE, 'one undo restores the text');
      const again = await eventually(a, async () => {
        const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, new vscode.Range(at, at), vscode.CodeActionKind.RefactorRewrite.value);
        const x = actions.find((y) => y.title === 'Compress prompt');
        return x && (x.command!.arguments![0] as { version: number }).version === doc.version ? x : undefined;
      }, 'the action for the new version');
      const second = await vscode.commands.executeCommand<CompressOutcome>(again.command!.command, ...(again.command!.arguments ?? []));
      assert.strictEqual(second?.status, 'ok');
      assert.strictEqual(fake.requests.length, 1, 'cached by content, model and endpoint');
      // The document changed after the result was computed: Apply refuses.
      const editor = await vscode.window.showTextDocument(doc);
      await editor.edit((e) => e.insert(new vscode.Position(0, 0), '// edited\n'));
      assert.strictEqual(await a.compress.pending()!.apply(), false);
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('undo');
      assert.strictEqual(doc.getText(), SOURCE);
    } finally {
      await vscode.workspace.getConfiguration('promptCost.compress').update('baseURL', undefined, vscode.ConfigurationTarget.Global);
      await fake.close();
    }
  });
  it('asks before the first request to a host: no means nothing is sent, yes is remembered for that host', async () => {
    const a = await api();
    const fake = await startFakeOpenAI(() => completion('Support assistant for [[V1]]. Be brief. Never promise refunds.'));
    const asked: { message: string; detail: string }[] = [];
    let reply: string | undefined;
    a.compress.answerConsent((q) => { asked.push(q); return reply; });
    try {
      const host = new URL(fake.baseURL).host;
      await vscode.workspace.getConfiguration('promptCost.compress').update('baseURL', fake.baseURL, vscode.ConfigurationTarget.Global);
      await vscode.commands.executeCommand('promptCost.setApiKey', 'sk-integration-test');
      const uri = file('src/consentme.ts');
      await vscode.workspace.fs.writeFile(uri, Buffer.from(SOURCE));
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(doc);
      const at = new vscode.Position(6, 40);
      const action = await eventually(a, async () => {
        const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, new vscode.Range(at, at), vscode.CodeActionKind.RefactorRewrite.value);
        return actions.find((x) => x.title === 'Compress prompt');
      }, 'the Compress prompt action');
      const runIt = () => vscode.commands.executeCommand<CompressOutcome | undefined>(action.command!.command, ...(action.command!.arguments ?? []));
      reply = undefined;
      assert.strictEqual(await runIt(), undefined, 'declined: nothing happens');
      assert.strictEqual(fake.requests.length, 0, 'declined: no request');
      assert.strictEqual(asked.length, 1);
      assert.strictEqual(asked[0].message, `Send this prompt to ${host}?`);
      assert.match(asked[0].detail, /src\/consentme\.ts:7 \([\d,]+ tokens/);
      assert.match(asked[0].detail, /The request costs about \$/);
      reply = 'Send';
      assert.strictEqual((await runIt())?.status, 'ok');
      assert.strictEqual(fake.requests.length, 1);
      assert.strictEqual(asked.length, 2, 'asked again after a no');
      // Remembered: another prompt text (not in the cache) to the same host is sent without asking.
      const editor = await vscode.window.showTextDocument(doc);
      const word = doc.getText().indexOf('short and');
      await editor.edit((e) => e.replace(new vscode.Range(doc.positionAt(word), doc.positionAt(word + 5)), 'brief'));
      const at2 = new vscode.Position(6, 40);
      const action2 = await eventually(a, async () => {
        const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, new vscode.Range(at2, at2), vscode.CodeActionKind.RefactorRewrite.value);
        const x = actions.find((y) => y.title === 'Compress prompt');
        return x && (x.command!.arguments![0] as { version: number }).version === doc.version ? x : undefined;
      }, 'the action for the edited file');
      assert.strictEqual((await vscode.commands.executeCommand<CompressOutcome>(action2.command!.command, ...(action2.command!.arguments ?? [])))?.status, 'ok');
      assert.strictEqual(fake.requests.length, 2, 'the new text was sent');
      assert.strictEqual(asked.length, 2, 'the yes is remembered for the host');
    } finally {
      a.compress.answerConsent(undefined);
      await vscode.workspace.getConfiguration('promptCost.compress').update('baseURL', undefined, vscode.ConfigurationTarget.Global);
      await fake.close();
    }
  });
  it('in a notebook cell: offered in the cell with the text, applied there as one undoable edit', async () => {
    const a = await api();
    const fake = await startFakeOpenAI(() => completion('Support assistant. Be brief. Never promise refunds.'));
    try {
      await vscode.workspace.getConfiguration('promptCost.compress').update('baseURL', fake.baseURL, vscode.ConfigurationTarget.Global);
      await vscode.commands.executeCommand('promptCost.setApiKey', 'sk-integration-test');
      await a.compress.allowHost(new URL(fake.baseURL).host);
      const system = 'You are a friendly and helpful support assistant. Please always make sure that your answers are short and to the point, and never promise refunds under any circumstances whatsoever.';
      const cells = [`SYSTEM = "${system}"\n`, 'from openai import OpenAI\nclient = OpenAI()\n\ndef ask(q):\n    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": SYSTEM}, {"role": "user", "content": q}])\n'];
      const uri = file('src/compressme.ipynb');
      await vscode.workspace.fs.writeFile(uri, Buffer.from(JSON.stringify({ cells: cells.map((c) => ({ cell_type: 'code', source: c, metadata: {}, outputs: [], execution_count: null })), metadata: {}, nbformat: 4, nbformat_minor: 5 })));
      const nb = await vscode.workspace.openNotebookDocument(uri);
      await vscode.window.showNotebookDocument(nb);
      const cell = nb.cellAt(0).document;
      const at = new vscode.Position(0, 30);
      const action = await eventually(a, async () => {
        const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', cell.uri, new vscode.Range(at, at), vscode.CodeActionKind.RefactorRewrite.value);
        return actions.find((x) => x.title === 'Compress prompt');
      }, 'the Compress prompt action in the cell');
      const result = await vscode.commands.executeCommand<CompressOutcome>(action.command!.command, ...(action.command!.arguments ?? []));
      assert.strictEqual(result?.status, 'ok', JSON.stringify(result));
      assert.strictEqual(result!.uri, cell.uri.toString());
      assert.ok(await a.compress.pending()!.apply());
      assert.strictEqual(cell.getText(), 'SYSTEM = "Support assistant. Be brief. Never promise refunds."\n');
      assert.strictEqual(nb.cellAt(1).document.getText(), cells[1], 'the other cell is untouched');
      await vscode.commands.executeCommand('undo');
      assert.strictEqual(cell.getText(), cells[0], 'one undo restores the cell');
    } finally {
      await vscode.workspace.getConfiguration('promptCost.compress').update('baseURL', undefined, vscode.ConfigurationTarget.Global);
      await fake.close();
    }
  });
});
