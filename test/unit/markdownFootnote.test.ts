// Tryout finding 13: Markdown marks a prompt whose model is assumed with `*` (escaped, so it is not read
// as emphasis) and explains the mark under the table, as the text table does.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { scanWorkspace } from '../../src/core/workspace';
import { formatMarkdown } from '../../src/core/report/markdown';
import { tempDir } from '../tempDir';

describe('markdown: the * footnote', () => {
  it('an assumed model is marked \\* and the footnote says what it means', async () => {
    const ws = tempDir('pc-md-star-');
    fs.mkdirSync(path.join(ws, 'prompts'));
    fs.writeFileSync(path.join(ws, 'prompts', 'b.prompt.yml'), 'messages:\n  - role: system\n    content: You are a friendly support agent. Reply in two short paragraphs.\n');
    fs.writeFileSync(path.join(ws, 'a.prompt.yml'), 'model: openai/gpt-4o\nmessages:\n  - role: user\n    content: hello there\n');
    const r = await scanWorkspace({ root: ws, workers: 0 });
    const md = formatMarkdown(r);
    assert.match(md, /\| gpt-4o-mini\\\* \|/);
    assert.match(md, /\n\\\* 1 prompt: the model is not in the code, a default is assumed/);
    // No mark, no footnote.
    fs.rmSync(path.join(ws, 'prompts'), { recursive: true });
    const none = formatMarkdown(await scanWorkspace({ root: ws, workers: 0 }));
    assert.doesNotMatch(none, /a default is assumed/);
  });
});
