// The heuristic's JS/TS shapes beyond prompt-named constants: what the parts hold (the fixtures under
// test/fixtures/code/ts/prompting check where they start).
import * as assert from 'assert';
import { Engine } from '../../src/core/analyze';
import { emptyConfig } from '../../src/core/config';

const analyze = (text: string, file = 'app.ts') => new Engine().analyze(file, text, { config: emptyConfig() });
const detect = async (text: string, file = 'app.ts') => {
  const engine = new Engine();
  await engine.analyze(file, '', { config: emptyConfig() }); // loads the parsers
  return engine.detectSync(file, text, {}).detected;
};

describe('heuristic shapes (JS/TS)', () => {
  it('a conditional sentence inside a prompt template is a part where it is written (the longer branch priced); a value choice folds into the text', async () => {
    const text = [
      'declare const brief: boolean, cite: boolean, q: string, n: number;',
      'export const answerPrompt = `Answer the question from the help centre articles only.',
      "${brief ? 'Keep it under fifty words.' : 'Answer in full, with every step the reader needs.'}",
      "${cite && 'End with the links you used.'}",
      "Articles: ${n ? `${n} found` : 'none yet'}",
      'Question: ${q}`;',
    ].join('\n');
    const found = await detect(text);
    assert.strictEqual(found.length, 1);
    const parts = found[0].parts.map((p) => ({ line: p.range.start.line, alternative: !!p.alternative, text: p.text.trim() }));
    assert.deepStrictEqual(parts.filter((p) => p.line !== 1), [
      { line: 2, alternative: false, text: 'Answer in full, with every step the reader needs.' },
      { line: 2, alternative: true, text: 'Keep it under fifty words.' },
      { line: 3, alternative: false, text: 'End with the links you used.' },
    ]);
    const own = found[0].parts.find((p) => p.range.start.line === 1)!;
    assert.match(own.text, /Articles: none yet/, 'the value choice folds: its longer branch is the text');
    assert.deepStrictEqual(own.slots.map((s) => s.name), ['q']);
  });

  it('a long conditional literal in a + chain is a part where it is written; the chain starts at its first literal', async () => {
    const text = [
      'declare const intro: string, edits: string | undefined;',
      'export const formatNotes = {',
      '  saved: () =>',
      '    `${intro}\\n\\n` +',
      '    `Your changes were saved. Re-read the file before you edit it again, then go on with the task.` +',
      '    (edits',
      '      ? `The editor also reformatted the file:\\n${edits}\\nUse the file as it is now as your reference for every later edit.`',
      "      : ''),",
      '};',
    ].join('\n');
    const r = await analyze(text, 'prompts.ts');
    const starts = r.prompts.flatMap((p) => p.parts.filter((x) => x.tokens > 0).map((x) => x.range.start.line));
    assert.deepStrictEqual(starts.sort(), [3, 6]);
  });

  it('text addressed to a model is found with no prompt-named variable; the same text logged is not', async () => {
    const sent = await analyze("declare function send(t: string): void;\nexport const go = (doc: string) => send(`Summarize the following report in three bullet points:\\n${doc}`);\n");
    assert.strictEqual(sent.prompts.length, 1);
    assert.strictEqual(sent.prompts[0].confidence, 'heuristic');
    const logged = await analyze("export const go = (doc: string) => console.log(`Summarize the following report in three bullet points:\\n${doc}`);\n");
    assert.strictEqual(logged.prompts.length, 0);
  });
});
