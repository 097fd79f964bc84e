// The shape layer looks each text match up in the tree and walks up from it. tree-sitter's `node.parent`
// walks down from the root through each level's children, so in a file of many top-level statements
// every step up cost the whole file's width: 80 KB of repeated calls took over a second. Ancestry
// answers both from each node's children, listed once and searched; a callee is read in full only up
// to a bound (each call of a chain holds the calls before it).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { Engine } from '../../src/core/analyze';
import { ensureLanguages } from '../../src/core/detect/code';
import { Ancestry } from '../../src/core/detect/code/ancestry';
import { callInfo } from '../../src/core/detect/code/calls';
import { CodeProject } from '../../src/core/detect/code/source';
import { parse, type Lang, type SyntaxNode } from '../../src/core/detect/code/parser';
import { rng } from '../../scripts/fuzz/mutate';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'code');

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : /\.(ts|py)$/.test(e.name) ? [path.join(dir, e.name)] : [])).sort();
}

/** Counts tree-sitter's `parent` walks (or another getter's calls) while `fn` runs. */
function parentWalks(sample: SyntaxNode, fn: () => void, getter = 'parent'): number {
  const proto = Object.getPrototypeOf(sample);
  const original = Object.getOwnPropertyDescriptor(proto, getter)!;
  let walks = 0;
  Object.defineProperty(proto, getter, { ...original, get() {
    walks++;
    return original.get!.call(this);
  } });
  try {
    fn();
  } finally {
    Object.defineProperty(proto, getter, original);
  }
  return walks;
}

describe('the shape layer stays linear in the number of statements', function () {
  this.timeout(60_000);
  before(() => ensureLanguages(['typescript', 'python']));

  it('Ancestry finds what descendantForIndex finds, and the same parents, for offsets asked in any order', () => {
    const r = rng(42);
    for (const file of files(FIXTURES).slice(0, 40)) {
      const lang: Lang = file.endsWith('.py') ? 'python' : 'typescript';
      const text = fs.readFileSync(file, 'utf8');
      const tree = parse(lang, text);
      const up = new Ancestry(tree.rootNode);
      const offsets = Array.from({ length: 60 }, () => Math.floor(r() * (text.length + 1)));
      // Mostly in text order (as the finders ask), with jumps back.
      offsets.sort((a, b) => a - b);
      for (let i = 0; i < 10; i++) offsets.push(Math.floor(r() * (text.length + 1)));
      for (const start of offsets) {
        const end = Math.min(text.length, start + Math.floor(r() * 12));
        for (const [s, e] of [[start, start], [start, end]]) {
          const want = tree.rootNode.descendantForIndex(s, e)!;
          const got = up.at(s, e);
          assert.deepStrictEqual([got.id, got.type, got.startIndex, got.endIndex], [want.id, want.type, want.startIndex, want.endIndex], `${path.basename(file)} at [${s}, ${e})`);
          for (let n: SyntaxNode | null = got, w: SyntaxNode | null = want; n || w; n = n && up.parent(n), w = w && w.parent) {
            assert.strictEqual(n?.id, w?.id, `${path.basename(file)}: the parents of the node at ${s}`);
          }
        }
      }
      tree.delete();
    }
  });

  it('offsets asked back and forth across 2,000 statements: tree-sitter is asked for each range once, not per lookup', () => {
    // (a cursor stepped through the siblings from the last lookup, asking each its range — a crossing
    // into WASM each — so a finder alternating between a call and a definition far above it walked the
    // whole block every time)
    const text = 'x = 1\n'.repeat(2000);
    const tree = parse('python', text);
    const up = new Ancestry(tree.rootNode);
    let crossings = 0;
    const counted: [object, string][] = [];
    for (const proto of [Object.getPrototypeOf(tree.rootNode), Object.getPrototypeOf(tree.rootNode.walk())]) {
      for (const name of ['endIndex', 'startIndex', 'children', 'parent', 'currentNode', 'gotoNextSibling', 'gotoFirstChild', 'gotoParent']) {
        const d = Object.getOwnPropertyDescriptor(proto, name);
        if (!d) continue;
        counted.push([proto, name]);
        Object.defineProperty(proto, name, d.get
          ? { ...d, get() { crossings++; return d.get!.call(this); } }
          : { ...d, value(this: unknown) { crossings++; return (d.value as () => unknown).call(this); } });
        Object.defineProperty(proto, `__${name}`, { ...d, configurable: true });
      }
    }
    try {
      for (let i = 0; i < 400; i++) {
        const line = i % 2 ? 1999 - i : i;
        assert.strictEqual(up.at(6 * line + 2).startIndex, 6 * line + 2);
        assert.strictEqual(up.parent(up.parent(up.at(6 * line + 2))!)?.startIndex, 6 * line);
      }
    } finally {
      for (const [proto, name] of counted) {
        Object.defineProperty(proto, name, Object.getOwnPropertyDescriptor(proto, `__${name}`)!);
        delete (proto as Record<string, unknown>)[`__${name}`];
      }
    }
    assert.ok(crossings < 6000, `${crossings} calls into tree-sitter for 400 lookups`);
    tree.delete();
  });

  it('offsets asked in order in a list nested 500 deep: each lookup goes on from the last, not down from the root', () => {
    // (a file of one line is one deep tree: each lookup went down from the root through every level)
    const text = 'x = ' + '['.repeat(500) + '1' + ']'.repeat(500) + '\n';
    const tree = parse('python', text);
    const up = new Ancestry(tree.rootNode);
    const get = Map.prototype.get;
    let levels = 0;
    Map.prototype.get = function (this: Map<unknown, unknown>, k: unknown) {
      levels++;
      return get.call(this, k);
    };
    try {
      for (let i = 0; i < 500; i++) assert.strictEqual(up.at(4 + i).startIndex, 4 + i);
    } finally {
      Map.prototype.get = get;
    }
    assert.ok(levels < 5000, `${levels} levels listed for 500 lookups`);
    tree.delete();
  });

  it('1,000 messages in a file: tree-sitter is not asked for a parent per match', () => {
    const call = "client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Summarise the report in one line.' }] });\n";
    const text = "import OpenAI from 'openai';\nconst client = new OpenAI();\n" + call.repeat(500) + "send({ messages: [{ role: 'system', content: 'You are terse.' }], system_prompt: 'Answer briefly.' });\n".repeat(500);
    const engine = new Engine();
    const sample = parse('typescript', 'x').rootNode;
    let found = 0;
    const walks = parentWalks(sample, () => {
      found = engine.detectSync('many.ts', text, {}).detected.length;
    });
    assert.strictEqual(found, 1000);
    // Each walk costs the file's width at the root: a few per match was quadratic.
    assert.ok(walks < 200, `${walks} parent walks`);
  });

  it('an object of 3,000 prompt-named keys: its children are listed once, not once per key', () => {
    const text = `import ollama from 'ollama';\nollama.generate({ model: 'llama3.2', ${"system: 'You explain code.', ".repeat(3000)}prompt: 'x' });\n`;
    const sample = parse('typescript', 'x').rootNode;
    let found = 0;
    const listings = parentWalks(sample, () => {
      found = new Engine().detectSync('keys.ts', text, {}).detected.length;
    }, 'namedChildren');
    assert.ok(found >= 1);
    assert.ok(listings < 300, `${listings} listings of children`);
  });

  it('a dict of 500 `role` keys: its pairs are listed once, not once per key matched and key asked', () => {
    // (each `role:` match checked the dict again, and each check scanned every pair for role, content, parts…)
    const dict = (n: number) => `def reply() -> dict:\n    return {\n${'        "role": "user",\n'.repeat(n)}        "content": "Answer the question in one short sentence, please.",\n    }\n`;
    const sample = parse('python', 'x').rootNode;
    const reads = (n: number) => {
      let found = 0;
      const walks = parentWalks(sample, () => {
        found = new Engine().detectSync('dict.py', dict(n), {}).detected.length;
      }, 'namedChildren');
      assert.strictEqual(found, 1);
      return walks;
    };
    const few = reads(50);
    const many = reads(500);
    assert.ok(many < few * 3, `${few} listings of children for 50 keys, ${many} for 500`);
  });

  it('a prompt function spreading one helper 500 times: the helper and the body are read once, not per spread', () => {
    const fn = (n: number) => `export function buildPrompt() {\n  const intro = blocks();\n  return [\n${'    ...intro,\n'.repeat(n)}  ];\n  function blocks() {\n    return [{ type: 'text', text: 'Here is a screenshot of the page the user is looking at right now.' }];\n  }\n}\n`;
    const sample = parse('typescript', 'x').rootNode;
    const proto = Object.getPrototypeOf(sample);
    const original = proto.descendantsOfType;
    const walks = (n: number) => {
      let calls = 0;
      proto.descendantsOfType = function (this: SyntaxNode, ...a: unknown[]) {
        calls++;
        return original.apply(this, a);
      };
      try {
        assert.ok(new Engine().detectSync('spread.ts', fn(n), {}).detected.length >= 1);
      } finally {
        proto.descendantsOfType = original;
      }
      return calls;
    };
    const few = walks(5);
    const many = walks(500);
    assert.ok(many < few + 20, `${few} descendant walks for 5 spreads, ${many} for 500`);
  });

  it('a call of a 2,000-link callee with 200 prompt-named keys: the callee is not cleaned in full per key', () => {
    // (its last name was taken by cleaning the whole callee text — per key, and per host of a chain)
    const file = (keys: number) => `from agents import Agent\nx = builder${'.step(1)'.repeat(2000)}.run(${Array.from({ length: keys }, (_, i) => `${i % 2 ? 'instructions' : 'system_prompt'}="You answer questions about the manual in line ${i}."`).join(', ')})\n`;
    const replaced = (keys: number) => {
      const replace = String.prototype.replace;
      let chars = 0;
      String.prototype.replace = function (this: string, ...a: unknown[]) {
        chars += this.length;
        return (replace as (...x: unknown[]) => string).apply(this, a);
      } as typeof replace;
      try {
        new Engine().detectSync('chain.py', file(keys), {});
      } finally {
        String.prototype.replace = replace;
      }
      return chars;
    };
    const few = replaced(20);
    const many = replaced(200);
    // each key read once costs its own text, not the callee's 18,000 characters
    assert.ok(many - few < 180 * 2000, `${few} characters cleaned for 20 keys, ${many} for 200`);
  });

  it('300 message objects inside a found call: whether each is in a function of the call is walked up without tree-sitter parents', () => {
    // (each candidate inside a call's claim walked up to the call with `node.parent`, a walk down from the
    // root each: a broken test file of calls nested hundreds deep ran past the evaluation budget)
    const objects = Array.from({ length: 300 }, (_, i) => `k${i}: { role: 'user', content: 'Summarise the report number ${i} in one line.' }`).join(', ');
    const text = `import OpenAI from 'openai';\nconst client = new OpenAI();\nclient.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Summarise the report in one line.' }], extra: { ${objects} } });\n`;
    const sample = parse('typescript', 'x').rootNode;
    let found = 0;
    const walks = parentWalks(sample, () => {
      found = new Engine().detectSync('claims.ts', text, {}).detected.length;
    });
    assert.ok(found >= 1);
    assert.ok(walks < 200, `${walks} parent walks`);
  });

  it("a call chain's callee is read up to a bound, not in full for every call of the chain", () => {
    const chain = `builder${'.step("a much longer argument that makes the chain wide")'.repeat(3000)}`;
    const text = `from openai import OpenAI\nclient = OpenAI()\nx = ${chain}\nclient.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "Hello there, assistant."}])\n`;
    const f = new CodeProject(() => undefined).open('chain.py', text)!;
    const last = f.tree.rootNode.descendantForIndex(text.indexOf('\nclient.chat') - 1);
    let call: SyntaxNode | null = last;
    while (call && call.type !== 'call') call = call.parent;
    const info = callInfo(f, call!, undefined as never);
    assert.ok(info!.callee.length < 600, `callee of ${info!.callee.length} characters`);
    assert.deepStrictEqual([info!.segments[0], info!.segments[info!.segments.length - 1]], ['…', 'step']);
    // and the call after the chain is found as before
    const d = new Engine().detectSync('chain.py', text, {});
    assert.deepStrictEqual(d.detected.map((p) => p.model?.id), ['gpt-4o']);
  });
});
