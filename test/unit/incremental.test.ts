import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { Engine, type DetectOptions } from '../../src/core/analyze';
import { emptyConfig } from '../../src/core/config';
import { ensureLanguages, langForFile } from '../../src/core/detect/code';
import { parse } from '../../src/core/detect/code/parser';
import { bigFile } from '../../bench/synthetic';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'code');

/** Fixture files and their workspace readers (imports resolve within the fixture folder). */
function fixtures(): { file: string; text: string; options: DetectOptions }[] {
  const out: { file: string; text: string; options: DetectOptions }[] = [];
  for (const lang of ['ts', 'py']) {
    const root = path.join(FIXTURES, lang);
    const read = (rel: string) => {
      try {
        return fs.readFileSync(path.join(root, rel), 'utf8');
      } catch {
        return undefined;
      }
    };
    for (const name of fs.readdirSync(root)) {
      if (!/\.(ts|js|py)$/.test(name)) continue;
      out.push({ file: name, text: fs.readFileSync(path.join(root, name), 'utf8'), options: { readWorkspaceFile: read } });
    }
  }
  return out;
}

function hasSyntaxError(file: string, text: string): boolean {
  const tree = parse(langForFile(file)!, text);
  try {
    return tree.rootNode.hasError;
  } finally {
    tree.delete();
  }
}

function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

// Keystrokes of every kind that can change what is found: letters, quotes, brackets, operators, spaces,
// and pasted words that define, import or name things.
const KEYS = ['SYSTEM = "x" ', 'prompt = ', 'import os ', 'self.', 'this.', 'client', 'messages', ' # prompt-cost: callsPerDay=7 ', ' // prompt-cost: model=gpt-4o-mini ', 'a', 'Q', '_', ' ', "'", '"', '`', '{', '}', '(', ')', '[', ']', ',', '=', ':', '.', '$', '#', '/', '*', '\\', '0'];

describe('incremental detection (keystrokes reuse unaffected calls)', () => {
  before(() => ensureLanguages(['typescript', 'javascript', 'python']));

  // The reference follows the same edits without reusing calls: tree-sitter's recovery from syntax errors
  // may differ between an incremental and a fresh parse, and that is not what is tested here. Where the
  // text parses cleanly, a fresh detection must agree too.
  it('random keystrokes in every fixture give exactly what evaluating and pricing every call gives', function () {
    this.timeout(120000);
    const random = rng(42);
    let reused = 0;
    let clean = 0;
    const priceOptions = { config: emptyConfig() };
    for (const { file, text: original, options } of fixtures()) {
      const incremental = new Engine();
      const reference = new Engine({ reuseCalls: false });
      let text = original;
      incremental.detectSync(file, text, options);
      reference.detectSync(file, text, options);
      for (let i = 0; i < 60; i++) {
        const at = Math.floor(random() * (text.length + 1));
        const r = random();
        if (r < 0.6) text = text.slice(0, at) + KEYS[Math.floor(random() * KEYS.length)] + text.slice(at); // type
        else if (r < 0.9) {
          if (text[at] !== '\n') text = text.slice(0, at) + text.slice(at + 1); // delete
        } else text = i % 2 ? original : text; // paste back / undo everything: a large edit
        const a = incremental.detectSync(file, text, options);
        reused += incremental.lastCalls.reused;
        const b = reference.detectSync(file, text, options);
        assert.deepStrictEqual(a.detected, b.detected, `${file} after edit ${i} at ${at}`);
        // Reused detections are priced from the engine's memo (same options object), the others afresh.
        assert.deepStrictEqual(incremental.price(a, priceOptions), reference.price(b, { config: emptyConfig() }), `${file} priced after edit ${i}`);
        if (!hasSyntaxError(file, text)) {
          clean++;
          assert.deepStrictEqual(a.detected, new Engine().detectSync(file, text, options).detected, `${file} (parses cleanly) after edit ${i}`);
        }
      }
    }
    assert.ok(reused > 100, `calls were reused (${reused})`);
    assert.ok(clean > 50, `edits that left the file valid were compared with a fresh detection too (${clean})`);
  });

  it('typing inside one prompt of a 50-prompt file re-evaluates only that call', async () => {
    const engine = new Engine();
    let text = bigFile();
    engine.detectSync('big.ts', text, {});
    assert.strictEqual(engine.lastCalls.reused, 0);
    let at = text.indexOf('Q: ') + 3;
    for (let i = 0; i < 5; i++) {
      text = text.slice(0, at) + 'x' + text.slice(at);
      at++;
      const d = engine.detectSync('big.ts', text, {});
      assert.strictEqual(engine.lastCalls.evaluated, 1);
      assert.strictEqual(engine.lastCalls.reused, 49);
      assert.deepStrictEqual(d.detected, new Engine().detectSync('big.ts', text, {}).detected);
    }
  });

  it('an engine made to keep no trees (a scan worker: each file once) evaluates every call, with the same result', () => {
    const text = [
      "import OpenAI from 'openai';",
      'const c = new OpenAI();',
      "c.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'system', content: 'You are assistant A. Answer in one line.' }] });",
      "c.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'system', content: 'You are assistant B. Answer in two lines.' }] });",
      '',
    ].join('\n');
    const edited = text.replace('one line', 'one short line');
    const keeping = new Engine();
    keeping.detectSync('a.ts', text, {});
    const incremental = keeping.detectSync('a.ts', edited, {});
    assert.deepStrictEqual(keeping.lastCalls, { file: 'a.ts', reused: 1, evaluated: 1 });
    const batch = new Engine({ keptTrees: 0 });
    batch.detectSync('a.ts', text, {});
    const fresh = batch.detectSync('a.ts', edited, {});
    assert.deepStrictEqual(batch.lastCalls, { file: 'a.ts', reused: 0, evaluated: 2 });
    assert.deepStrictEqual(fresh.detected, incremental.detected);
  });

  it('an edit to a definition on another row re-evaluates the calls that use it, and only those', () => {
    const text = [
      "import OpenAI from 'openai';",
      'const c = new OpenAI();',
      "const A = 'You are assistant A. Answer in one line.';",
      "const B = 'You are assistant B. Answer in two lines.';",
      "c.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'system', content: A }] });",
      "c.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'system', content: B }] });",
      '',
    ].join('\n');
    const engine = new Engine();
    engine.detectSync('a.ts', text, {});
    const edited = text.replace('one line', 'one short line');
    const d = engine.detectSync('a.ts', edited, {});
    assert.deepStrictEqual(engine.lastCalls, { file: 'a.ts', reused: 1, evaluated: 1 });
    assert.match(d.detected[0].parts[0].text, /one short line/);
    // A new definition of B below the first call's row: the call using B is evaluated again.
    const shadow = edited.replace("const c = new OpenAI();", "const c = new OpenAI(); const B2 = 1;");
    engine.detectSync('a.ts', shadow, {});
    assert.strictEqual(engine.lastCalls.reused, 2, 'B2 is not a name either call looked up');
    const renamed = shadow.replace('const B2 = 1;', 'let B = 1;');
    const r = engine.detectSync('a.ts', renamed, {});
    assert.strictEqual(engine.lastCalls.evaluated >= 1, true);
    assert.deepStrictEqual(r.detected, new Engine().detectSync('a.ts', renamed, {}).detected);
  });
});
