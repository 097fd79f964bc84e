// YAML that is valid but hostile, or shaped wrongly: a clear message at the right line, never silence
// and never the parser's own "Maximum call stack size exceeded".
import * as assert from 'assert';
import { Engine } from '../../src/core/analyze';
import { parseConfig } from '../../src/core/config/load';
import { parseYaml } from '../../src/core/yamlErrors';

describe('bad YAML', () => {
  const deepFlow = (n: number) => '['.repeat(n) + ']'.repeat(n);
  const deepBlock = (n: number) => Array.from({ length: n }, (_, i) => `${' '.repeat(i * 2)}a:`).join('\n') + ' 1\n';

  it('.promptcost.yaml nested 10,000 levels deep: "too deeply nested" at a line, and fatal', () => {
    for (const text of [`defaults:\n  x: ${deepFlow(10000)}\n`, deepBlock(10000)]) {
      const c = parseConfig(text);
      assert.ok(c.problems.length > 0);
      for (const p of c.problems) {
        assert.doesNotMatch(p.message, /call stack/i);
        assert.match(p.message, /^\.promptcost\.yaml:\d+: YAML error: too deeply nested/);
        assert.strictEqual(p.fatal, true);
      }
    }
  });

  // Tryout finding 15: the parser reports an unterminated quote where the text ends; the line to fix is
  // the quote's.
  it('an unterminated quote is reported at the line of the quote, in prompt files and the config', () => {
    const d = new Engine().detectSync('x.prompt.yml', 'name: x\nmodel: openai/gpt-4o\nmessages:\n  - role: system\n    content: "unterminated\n  - role: user\n    content: hi\n', {});
    assert.strictEqual(d.diagnostics[0]?.code, 'prompt-file-error');
    assert.match(d.diagnostics[0].message, /^x\.prompt\.yml:5: malformed YAML: Missing closing "quote/);
    assert.deepStrictEqual(d.diagnostics[0].range.start, { line: 4, character: 13 });
    const front = new Engine().detectSync('y.prompty', "---\nname: 'it\nmodel: x\n---\nhello\n", {});
    assert.match(front.diagnostics[0]?.message ?? '', /^y\.prompty:2: malformed YAML: Missing closing 'quote/);
    const c = parseConfig('budget:\n  monthlyUsd: "5\ndefaults:\n  callsPerDay: 3\n');
    assert.match(c.problems[0]?.message ?? '', /^\.promptcost\.yaml:2: YAML error: Missing closing "quote/);
    // Other errors keep the parser's place.
    assert.match(parseConfig('a: [1, 2\nb: 3\n').problems[0]?.message ?? '', /^\.promptcost\.yaml:\d+: YAML error: /);
  });

  it('a prompt file nested 10,000 levels deep: prompt-file-error "too deeply nested"', () => {
    const d = new Engine().detectSync('x.prompt.yml', `model: gpt-4o\nmessages: ${deepFlow(10000)}\n`, {});
    assert.strictEqual(d.diagnostics[0]?.code, 'prompt-file-error');
    assert.match(d.diagnostics[0].message, /^x\.prompt\.yml:2: malformed YAML: too deeply nested/);
  });

  it('.prompt.yml whose messages is a map: a diagnostic at messages, not silence', () => {
    const d = new Engine().detectSync('x.prompt.yml', 'model: openai/gpt-4o\nmessages:\n  role: user\n  content: hello\n', {});
    assert.strictEqual(d.detected.length, 0);
    assert.strictEqual(d.diagnostics.length, 1);
    assert.strictEqual(d.diagnostics[0].code, 'prompt-file-error');
    assert.match(d.diagnostics[0].message, /^x\.prompt\.yml:3: `messages` is a map: it must be a list/);
  });

  it('.prompt.yml whose messages is an alias is read through the anchor', () => {
    const d = new Engine().detectSync('x.prompt.yml', 'shared: &m\n  - role: system\n    content: You are terse.\n  - role: user\n    content: hello\nmodel: openai/gpt-4o\nmessages: *m\n', {});
    assert.deepStrictEqual(d.diagnostics, []);
    assert.deepStrictEqual(d.detected[0].parts.map((p) => [p.role, p.text]), [['system', 'You are terse.'], ['user', 'hello']]);
  });

  it('an alias to its own ancestor (a cycle) is reported, never followed forever', () => {
    const d = new Engine().detectSync('x.prompt.yml', 'model: openai/gpt-4o\nmessages: &m\n  - role: user\n    content: hi\n  - *m\n', {});
    assert.strictEqual(d.detected[0].parts.length, 1);
    assert.match(d.diagnostics[0]?.message ?? '', /not a \{ role, content \} map/);
  });

  it('messages that have no text content are each reported', () => {
    const d = new Engine().detectSync('x.prompt.yml', 'model: openai/gpt-4o\nmessages:\n  - role: user\n  - just text\n  - role: user\n    content: ok\n', {});
    assert.strictEqual(d.detected[0].parts.length, 1);
    assert.deepStrictEqual(d.diagnostics.map((x) => x.range.start.line), [2, 3]);
  });

  // A fuzz input: a config block pasted a thousand times gave 3,000 YAML errors, and capturing each error's
  // stack was most of the parse (200 ms of a 60 ms file).
  it('thousands of YAML errors are made without stack traces, and the stack limit is put back', () => {
    const limit = Error.stackTraceLimit;
    const text = 'defaults:\n  callsPerDay: 20000\nvari.\n'.repeat(1000);
    const doc = parseYaml(text, { prettyErrors: false, uniqueKeys: true });
    assert.ok(doc.errors.length >= 1000, `${doc.errors.length} errors`);
    for (const e of doc.errors.slice(0, 3)) assert.doesNotMatch(e.stack ?? '', /\n\s+at /);
    assert.strictEqual(Error.stackTraceLimit, limit);
    const c = parseConfig(text);
    assert.match(c.problems[0]?.message ?? '', /^\.promptcost\.yaml:\d+: YAML error: /);
    assert.strictEqual(Error.stackTraceLimit, limit);
    assert.doesNotMatch(new Error('after').stack ?? '', /^Error: after$/);
  });
});
