import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { reportShell } from '../../src/core/report/htmlShell';

const SRC = path.join(__dirname, '..', '..', 'src');

describe('the report HTML shell (one head and CSP for the panel and --format html)', () => {
  it('starts from default-src none, allows only what is named, escapes the title', () => {
    const html = reportShell({ allow: { 'script-src': ["'nonce-abc'"], 'style-src': ['https://file+.vscode-resource.test'] }, title: 'Prompt Cost — <a&b>', head: ['<link rel="stylesheet" href="x.css">'], body: ['<script nonce="abc" src="x.js"></script>'] });
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)![1];
    assert.strictEqual(csp, "default-src 'none'; script-src 'nonce-abc'; style-src https://file+.vscode-resource.test; base-uri 'none'; form-action 'none'");
    assert.match(html, /<title>Prompt Cost — &lt;a&amp;b&gt;<\/title>/);
    assert.ok(html.indexOf('<meta http-equiv="Content-Security-Policy"') < html.indexOf('<link'), 'the policy comes before anything it governs');
    assert.match(html, /<main id="prompt-cost-report"><\/main>\n<script nonce="abc" src="x.js"><\/script>\n<\/body>/);
  });

  it('the panel and the HTML report both build their page with it (no second copy of the head)', () => {
    for (const file of ['core/report/html.ts', 'extension/reportPanel.ts']) {
      const text = fs.readFileSync(path.join(SRC, file), 'utf8');
      assert.match(text, /reportShell\(/, file);
      assert.ok(!/<!DOCTYPE|Content-Security-Policy" content/i.test(text), `${file} writes its own head`);
    }
  });
});
