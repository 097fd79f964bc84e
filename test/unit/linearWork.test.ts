// Work per file that must not grow with the square of what the file holds (issue 10's fuzz: inputs of
// many prompts took seconds). Checked by counting the work, never by timing it: which ranges are
// claimed (one index, not a scan of every prompt per candidate), the file's text scanned once per
// question and not once per name, and a long prompt's repeated words counted once.
import * as assert from 'assert';
import { Engine } from '../../src/core/analyze';
import { ensureLanguages } from '../../src/core/detect/code';
import { IntervalSet } from '../../src/core/detect/code/intervals';
import { functionNamed } from '../../src/core/detect/code/json';
import { CodeProject, definitionsOf } from '../../src/core/detect/code/source';
import { newContext } from '../../src/core/detect/code/values';
import { paramSinkPrompts } from '../../src/core/detect/code/paramSinks';
import { heuristicPrompts } from '../../src/core/detect/code/heuristic';
import { countWithEncoding, ENCODINGS, getEncoder, hasLongRun, WORDS_FROM } from '../../src/core/tokens/encodings';
import { rng } from '../../scripts/fuzz/mutate';

/** How many times `fn` runs a regular expression over `text` (the whole of it) with test or matchAll. */
function scansOf(text: string, fn: () => void): number {
  const test = RegExp.prototype.test;
  const matchAll = String.prototype.matchAll;
  let scans = 0;
  RegExp.prototype.test = function (this: RegExp, s: string) {
    if (s === text) scans++;
    return test.call(this, s);
  };
  String.prototype.matchAll = function (this: string, re: RegExp) {
    if (String(this) === text) scans++;
    return matchAll.call(this, re);
  } as typeof String.prototype.matchAll;
  try {
    fn();
  } finally {
    RegExp.prototype.test = test;
    String.prototype.matchAll = matchAll;
  }
  return scans;
}

/** `fn`'s result and how many times it read tree-sitter's `node.parent` (a walk down from the root each). */
function parentWalks<T>(root: { child(i: number): object | null }, fn: () => T): { result: T; walks: number } {
  const proto = Object.getPrototypeOf(root.child(0)!);
  const original = Object.getOwnPropertyDescriptor(proto, 'parent')!;
  let walks = 0;
  Object.defineProperty(proto, 'parent', { ...original, get() {
    walks++;
    return original.get!.call(this);
  } });
  try {
    return { result: fn(), walks };
  } finally {
    Object.defineProperty(proto, 'parent', original);
  }
}

describe('work per file stays linear in what the file holds', function () {
  this.timeout(120_000);
  before(() => ensureLanguages(['typescript', 'python']));

  it('IntervalSet answers as a scan of every range does, ranges added at any time', () => {
    const r = rng(7);
    for (let round = 0; round < 30; round++) {
      const all: [number, number][] = Array.from({ length: Math.floor(r() * 40) }, () => {
        const a = Math.floor(r() * 1000);
        return [a, a + Math.floor(r() * 60)];
      });
      const set = new IntervalSet(all);
      for (let q = 0; q < 300; q++) {
        if (r() < 0.2) {
          const a = Math.floor(r() * 1000);
          const range: [number, number] = [a, a + Math.floor(r() * 60)];
          all.push(range);
          set.add(...range);
        }
        const start = Math.floor(r() * 1100) - 50;
        const end = start + Math.floor(r() * 80);
        const want = all.filter(([a, b]) => a < end && start < b);
        assert.strictEqual(set.overlaps(start, end), want.length > 0, `round ${round}: [${start}, ${end})`);
        // someOverlapping offers every overlapping range (here: one that contains the query).
        const containing = want.some(([a, b]) => a <= start && end <= b);
        assert.strictEqual(set.someOverlapping(start, end, (a, b) => a <= start && end <= b), containing);
      }
      assert.strictEqual(set.size, all.length);
    }
  });

  for (const lang of ['ts', 'py'] as const) {
    it(`${lang}: 200 prompt-named constants are judged with the same number of scans of the text as 20`, () => {
      const file = (n: number) => {
        const defs = Array.from({ length: n }, (_, i) => lang === 'ts'
          ? `export const SYSTEM_PROMPT_${i} = 'You are assistant number ${i}. Answer the question carefully and cite the sources you used.';`
          : `SYSTEM_PROMPT_${i} = "You are assistant number ${i}. Answer the question carefully and cite the sources you used."`);
        return defs.join('\n') + '\n';
      };
      const engine = new Engine({ budgets: { evaluateMs: 1e9, parseMs: 1e9 } });
      const scans = [20, 200].map((n) => {
        const text = file(n);
        let found = 0;
        const count = scansOf(text, () => (found = engine.detectSync(`prompts${n}.${lang}`, text, {}).detected.length));
        assert.strictEqual(found, n, `${n} constants: each is a heuristic prompt`);
        return count;
      });
      // Before: one scan per constant (how the file uses its name, a regex per name): 20 → 200 scans.
      assert.strictEqual(scans[1], scans[0], `scans of the text: ${scans.join(' → ')}`);
    });
  }

  it('400 heuristic prompts: a candidate is checked against those found by index, not a scan of them', () => {
    const text = Array.from({ length: 400 }, (_, i) => `export const SYSTEM_PROMPT_${i} = 'You are assistant number ${i}. Answer the question carefully and cite the sources you used.';`).join('\n') + '\n';
    const engine = new Engine({ budgets: { evaluateMs: 1e9, parseMs: 1e9 } });
    const some = Array.prototype.some;
    let calls = 0;
    Array.prototype.some = function (this: unknown[], ...args: Parameters<typeof some>) {
      calls++;
      return some.apply(this, args);
    };
    let found = 0;
    try {
      found = engine.detectSync('prompts.ts', text, {}).detected.length;
    } finally {
      Array.prototype.some = some;
    }
    assert.strictEqual(found, 400);
    // Before: every candidate scanned the parts of every prompt found before it (80,201 calls).
    assert.ok(calls < 400, `${calls} Array.prototype.some calls for 400 prompts`);
  });

  it('functionNamed finds declarations from one pass over the text, whatever the number of names asked', () => {
    for (const lang of ['ts', 'py'] as const) {
      const text = Array.from({ length: 100 }, (_, i) => lang === 'ts' ? `function build${i}(x: string) {\n  return 'text ' + x;\n}\nexport function* gen${i}<T>() {}` : `def build${i}(x):\n    return "text " + x`).join('\n') + '\n';
      const project = new CodeProject(() => undefined);
      const f = project.open(`decl.${lang}`, text)!;
      const ctx = newContext(project);
      const scans = scansOf(text, () => {
        for (let i = 0; i < 100; i++) {
          const found = functionNamed(f, `build${i}`, ctx);
          assert.strictEqual(found?.node.childForFieldName('name')?.text, `build${i}`);
          if (lang === 'ts') assert.strictEqual(functionNamed(f, `gen${i}`, ctx)?.node.type, 'generator_function_declaration');
        }
        assert.strictEqual(functionNamed(f, 'missing', ctx), undefined);
      });
      assert.ok(scans <= 1, `${lang}: ${scans} scans of the text for 100 names`);
    }
  });

  it('a long prompt is counted exactly, each distinct word once', () => {
    const r = rng(11);
    const atoms = [' ', '  ', '\t', '\n', '\r\n', ' \n', '\u00a0', '\u3000', '\u0085', '\ufeff', 'a', 'Word', 'WORD', "'s", "'LL", "don't", '.', '!', '/', '\n/', '123', '4567', 'naïve', 'e\u0301', '日本語', 'Привет', '👩‍💻', '<|endoftext|>', '${x}', 'ǅ', '\u2028'];
    for (let k = 0; k < 40; k++) {
      let text = '';
      while (text.length < WORDS_FROM + 3000) text += atoms[Math.floor(r() * atoms.length)];
      for (const enc of ENCODINGS) {
        if (hasLongRun(text)) continue;
        assert.strictEqual(countWithEncoding(text, enc), getEncoder(enc).encode_ordinary(text).length, `text ${k}, ${enc}`);
      }
    }
    // 20,000 repetitions of a sentence: the encoder reads each distinct word once, not the 900 KB.
    const encoder = getEncoder('o200k_base');
    const proto = Object.getPrototypeOf(encoder) as { encode_ordinary(text: string): Uint32Array };
    const original = proto.encode_ordinary;
    let encoded = 0;
    proto.encode_ordinary = function (this: unknown, text: string) {
      encoded += text.length;
      return original.call(this, text);
    };
    const sentence = 'Summarise the quarterly report for the board in plain words. ';
    let tokens: number;
    try {
      tokens = countWithEncoding(sentence.repeat(20_000) + 'Unique ending.', 'o200k_base');
    } finally {
      proto.encode_ordinary = original;
    }
    assert.strictEqual(tokens, original.call(encoder, sentence.repeat(20_000) + 'Unique ending.').length);
    assert.ok(encoded < 2000, `${encoded} characters read by the encoder for ${sentence.length * 20_000}`);
    // A run of one letter past the long-run length (an estimate, counted in chunks): each distinct chunk once.
    encoded = 0;
    proto.encode_ordinary = function (this: unknown, text: string) {
      encoded += text.length;
      return original.call(this, text);
    };
    try {
      assert.ok(countWithEncoding('a'.repeat(1_000_000), 'o200k_base') > 0);
    } finally {
      proto.encode_ordinary = original;
    }
    assert.ok(encoded < 2000, `${encoded} characters read by the encoder for a run of 1,000,000`);
  });

  it('Python helpers given text: found without tree-sitter parent walks, however many statements', () => {
    const text = 'def ask(question):\n    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": question}])\n'
      + Array.from({ length: 400 }, (_, i) => `ask("Summarise section ${i} of the report in three plain sentences.")`).join('\n') + '\n';
    const project = new CodeProject(() => undefined);
    const f = project.open('helpers.py', text)!;
    const env = { ctx: newContext(project) } as Parameters<typeof paramSinkPrompts>[1];
    const { result: found, walks } = parentWalks(f.tree.rootNode, () => paramSinkPrompts(f, env, () => false));
    assert.ok(found.length > 0, 'the helper calls are prompts');
    // Before: a few steps up per matched argument, each a walk down from the root (thousands).
    assert.ok(walks < 400, `${walks} parent walks for 400 calls`);
  });

  it("a method called on self 400 times: the class is found without tree-sitter parent walks", () => {
    // (each `self.ask(…)` walked up to its class with `.parent`, each step a walk down from the root)
    const text = 'from openai import OpenAI\nclient = OpenAI()\n\nclass Helper:\n    def ask(self, question):\n        return client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": question}])\n\n    def run(self):\n'
      + Array.from({ length: 400 }, (_, i) => `        self.ask("Summarise section ${i} of the report in three plain sentences.")`).join('\n') + '\n';
    const project = new CodeProject(() => undefined);
    const f = project.open('helper.py', text)!;
    const env = { ctx: newContext(project) } as Parameters<typeof paramSinkPrompts>[1];
    const { result: found, walks } = parentWalks(f.tree.rootNode, () => paramSinkPrompts(f, env, () => false));
    assert.ok(found.length > 300, `${found.length} prompts`);
    assert.ok(walks < 400, `${walks} parent walks for 400 calls`);
  });

  it('400 persona texts and prompt stores in a file: the heuristic walks up without tree-sitter parent walks', () => {
    const text = 'def setup(agent, bot):\n'
      + Array.from({ length: 200 }, (_, i) => `    bot.reply(("You are a careful assistant who answers question ${i} about the quarterly report in plain words."))\n    agent.prompt_templates["step${i}"] = "Plan step ${i} of the task and say what you will do first."`).join('\n') + '\n';
    const project = new CodeProject(() => undefined);
    const f = project.open('setup.py', text)!;
    const { result: found, walks } = parentWalks(f.tree.rootNode, () => heuristicPrompts(f, newContext(project), () => false));
    assert.ok(found.length >= 400, `${found.length} prompts`);
    assert.ok(walks < 400, `${walks} parent walks for 400 texts`);
  });

  it('definitions of a name assigned thousands of times in one block: found without tree-sitter parent walks', () => {
    // (a fuzzed fixture: 2,000 `user = …` lines in one function body took 11 s, each definition's scope
    // walked up with `.parent`, which scans the block's children at every step)
    const text = 'def messages(text):\n'
      + Array.from({ length: 400 }, (_, i) => `    user = "Summarise section ${i} of the report in three plain sentences."`).join('\n')
      + '\n    return [{"role": "user", "content": user + text}]\n';
    const project = new CodeProject(() => undefined);
    const f = project.open('messages.py', text)!;
    const { result: defs, walks } = parentWalks(f.tree.rootNode, () => definitionsOf(f, 'user'));
    assert.strictEqual(defs.length, 400);
    assert.ok(defs.every((d) => d.scope?.type === 'function_definition'), 'each in the function');
    assert.ok(walks < 100, `${walks} parent walks for 400 definitions`);
  });
});
