// Runs against the packaged .vsix installed into code-server (not the development folder).
import * as assert from 'assert';
import * as vscode from 'vscode';
import { api, EXTENSION_ID, file, hoverText } from './util';

describe('the packaged .vsix', () => {
  it('is installed, activates, and its server answers a hover', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, 'installed');
    assert.ok(!ext!.extensionPath.includes('/test/integration/'), `runs from the installed copy: ${ext!.extensionPath}`);
    await api();
    assert.ok(ext!.isActive);
    const uri = file('src/support.ts');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const line = doc.getText().split('\n').findIndex((l) => l.includes('Customer question'));
    assert.match(await hoverText(uri, new vscode.Position(line, 30)), /\*\*per month\*\*/);
  });
});
