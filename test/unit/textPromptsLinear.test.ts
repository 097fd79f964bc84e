// The loaded-text pass reads every code and config file for mentions of prompt files. Its name pattern
// once backtracked over long word runs (an 800 KB base64 cassette hung `scan` of a real repository for
// minutes): a run is now only tried from its start, so the pass stays linear.
import * as assert from 'assert';
import { factsOf, MENTION, mentionsOf } from '../../src/core/textPrompts';

describe('loaded text prompts: the mention scan on long word runs', function () {
  this.timeout(20_000);

  it('a 400,000-character base64 run beside a real mention: the mention is found (and the scan ends)', () => {
    const text = `video: "${'QUJD'.repeat(100_000)}"\nSYSTEM_PROMPT = open("prompts/triage.md").read()\n`;
    const facts = { mentions: new Map(), folders: new Map() };
    factsOf(text, facts as never, new Set(['triage.md']), new Set(['prompts']));
    assert.ok(facts.mentions.has('triage.md'), 'the mention after the run is seen');
  });

  it('a name inside a longer token is still the whole token (my.prompt.md), not a suffix of it', () => {
    const facts = { mentions: new Map(), folders: new Map() };
    factsOf('X = open("my.prompt.md").read()\n', facts as never, new Set(['my.prompt.md', 'prompt.md']), new Set());
    assert.deepStrictEqual([...facts.mentions.keys()], ['my.prompt.md']);
  });
});

describe('loaded text prompts: mentionsOf finds what the mention pattern finds', () => {
  it('the same names at the same places as text.matchAll(MENTION), on 3,000 random texts of name characters, dots and extensions', () => {
    const pieces = ['a', 'Z', '0', '_', '@', '+', '-', '.', '.', ' ', '/', '"', '\n', 'é', 'md', 'MD', 'txt', 'text', 'markdown', 'jinja2', 'jinja', 'j2', 'prompt', 'tpl', 'tmpl', 'x'];
    let seed = 7;
    const next = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let n = 0; n < 3000; n++) {
      let text = '';
      const len = Math.floor(next() * 40);
      for (let i = 0; i < len; i++) text += pieces[Math.floor(next() * pieces.length)];
      const want = [...text.matchAll(MENTION)].map((m) => ({ name: m[0], index: m.index }));
      assert.deepStrictEqual(mentionsOf(text), want, JSON.stringify(text));
    }
  });

  it('stays linear on one long run of extensions (a.md.a.md…)', () => {
    const text = 'a.md.'.repeat(200_000);
    const found = mentionsOf(text);
    assert.strictEqual(found.length, 1);
    assert.strictEqual(found[0].index, 0);
  });
});
