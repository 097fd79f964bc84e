import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

const EDITOR_IMPORT = /(?:from\s+|require\(\s*|import\(\s*)['"](vscode|vscode-languageserver[^'"]*|vscode-languageclient[^'"]*|vscode-jsonrpc[^'"]*)['"]/;

describe('architecture', () => {
  it('nothing under src/core imports vscode or an LSP package', () => {
    const offenders = files(path.join(__dirname, '..', '..', 'src', 'core')).filter((f) => /\.[cm]?[jt]s$/.test(f) && EDITOR_IMPORT.test(fs.readFileSync(f, 'utf8')));
    assert.deepStrictEqual(offenders, []);
  });

  it('the check itself catches an editor import', () => {
    assert.ok(EDITOR_IMPORT.test("import * as vscode from 'vscode';"));
    assert.ok(EDITOR_IMPORT.test("import { Connection } from 'vscode-languageserver/node';"));
    assert.ok(!EDITOR_IMPORT.test("import { x } from './vscodeish';"));
  });

  it('every diagnostic code has a docs page', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { DIAGNOSTIC_CODES } = require('../../src/core/rules') as typeof import('../../src/core/rules');
    for (const [code, meta] of Object.entries(DIAGNOSTIC_CODES)) {
      assert.ok(fs.existsSync(path.join(__dirname, '..', '..', 'docs', 'diagnostics', meta.docs)), `docs/diagnostics/${meta.docs} for ${code}`);
    }
  });
});
