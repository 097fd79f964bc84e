// Per-file work the fuzz run (issue 10) found growing with the square of a repeated line: each case is
// a fixture's line repeated hundreds of times, which took from 0.3 to 2.5 s. Checked by counting the
// work (tree-sitter steps, recorded rows, evaluation steps), never by timing it.
import * as assert from 'assert';
import { Engine } from '../../src/core/analyze';
import { Deadline } from '../../src/core/budgets';
import { emptyConfig } from '../../src/core/config/types';
import { detectInCode, ensureLanguages, type CallRecord } from '../../src/core/detect/code';
import { callsNamed } from '../../src/core/detect/code/calls';
import { CodeProject } from '../../src/core/detect/code/source';
import { Ancestry } from '../../src/core/detect/code/ancestry';
import { asksTheTerminal } from '../../src/core/detect/code/terminalPrompts';
import { dynamic, findDefinition, newContext } from '../../src/core/detect/code/values';

/** How often `fn` calls `method` on tree-sitter's cursors (or reads `getter` off its nodes). */
function countCalls<T>(proto: object, name: string, fn: () => T, getter = false): { result: T; calls: number } {
  const original = Object.getOwnPropertyDescriptor(proto, name)!;
  let calls = 0;
  const counted = getter
    ? { ...original, get(this: unknown) { calls++; return original.get!.call(this); } }
    : { ...original, value(this: unknown, ...a: unknown[]) { calls++; return (original.value as (...x: unknown[]) => unknown).apply(this, a); } };
  Object.defineProperty(proto, name, counted);
  try {
    return { result: fn(), calls };
  } finally {
    Object.defineProperty(proto, name, original);
  }
}

function open(file: string, text: string) {
  const project = new CodeProject(() => undefined);
  return { project, f: project.open(file, text)! };
}

describe('evaluation stays linear in a repeated or nested line', function () {
  this.timeout(120_000);
  before(() => ensureLanguages(['typescript', 'javascript', 'python'] as never));

  it('callsNamed: a name inside a long member chain is not walked up the whole chain', () => {
    // A broken file where each `create(` is read as one more link of one member chain (a fixture's call
    // duplicated 1,000 times, its object never closed, its lines ended by U+2028, one `.` made `[]`):
    // each match walked up the rest of the chain.
    const steps = (n: number) => {
      const unit = "n client.chat.completions.create({\u2028    model: 'gpt-4o-mini',\u2028";
      const text = "const OpenAI = require('openai');\u2028async function reply() {\u2028  return client.chat.completions.create({\u2028    model: 'gpt-4o-mini',\u2028"
        + unit.repeat(10) + unit.replace('client.', 'client[]') + unit.repeat(n);
      const { project, f } = open('chain.js', text);
      const cursor = Object.getPrototypeOf(f.tree.rootNode.walk());
      const { calls } = countCalls(cursor, 'gotoParent', () => callsNamed(f, 'create'));
      project.dispose();
      return calls;
    };
    const few = steps(100);
    const many = steps(400);
    // Linear: 4× the matches, about 4× the steps (it was 16×: 1.25 M steps up for 1,000 matches).
    assert.ok(many < few * 6, `${few} steps up for 100 matches, ${many} for 400`);
  });

  it('an unresolved name read in each of 400 calls: its loop search does not ask tree-sitter for parents', () => {
    // (loopText walked up from every name evaluated, each `node.parent` a walk down from the root)
    const call = 'client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": question}])\n';
    const text = 'from openai import OpenAI\nclient = OpenAI()\n' + call.repeat(400);
    const { project, f } = open('calls.py', text);
    const node = Object.getPrototypeOf(f.tree.rootNode);
    const { result: prompts, calls } = countCalls(node, 'parent', () => detectInCode(f, project, { heuristics: false }), true);
    assert.strictEqual(prompts.length, 400);
    assert.ok(calls < 400, `${calls} parent walks for 400 calls`);
    project.dispose();
  });

  it('a list rebuilt from itself 300 times: each call records a definition row once per name, not per use', () => {
    // `messages = [...messages, {…}]` on 300 lines: every use looked `messages` up and recorded the rows
    // of all its definitions again (300 × 300 rows, each read off the tree).
    const text = "import OpenAI from 'openai';\nconst client = new OpenAI();\nexport async function spread(question: string) {\n  let messages = [{ role: 'system', content: 'You are a careful assistant.' }];\n"
      + "  messages = [...messages, { role: 'user', content: `Explain this warning to a child: ${question}` }];\n".repeat(300)
      + "  return client.chat.completions.create({ model: 'gpt-4.1-mini', messages: messages });\n}\n";
    const { project, f } = open('spread.ts', text);
    const records: CallRecord[] = [];
    const prompts = detectInCode(f, project, { heuristics: false, records });
    const prompt = prompts.find((p) => p.kind === 'openai.chat');
    assert.ok(prompt && prompt.parts.length > 300, `${prompt?.parts.length} parts`);
    const rows = Math.max(...records.map((r) => r.rows.length));
    assert.ok(rows < 10 * 300, `${rows} rows recorded for one call`);
    project.dispose();
  });

  it('a name assigned on 300 lines and read by 300 calls: its definitions\' rows are read once, not per call', () => {
    // (each call recorded the rows of every definition of the names it looked up, each row's end a call
    // into tree-sitter: 300 × 300 reads; a record's rows are the same spans, merged)
    const text = "import OpenAI from 'openai';\nconst client = new OpenAI();\n" + "let model = 'gpt-4o-mini';\n".repeat(300)
      + "client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Summarise the report.' }] });\n".repeat(300);
    const { project, f } = open('calls.ts', text);
    const records: CallRecord[] = [];
    const node = Object.getPrototypeOf(f.tree.rootNode);
    const { result: prompts, calls } = countCalls(node, 'endPosition', () => detectInCode(f, project, { heuristics: false, records }), true);
    assert.strictEqual(prompts.length, 300);
    assert.ok(calls < 3000, `${calls} reads of a node's end for 300 calls`);
    // each call still depends on every row that defines the name
    const rec = records.find((r) => r.prompt)!;
    for (const row of [2, 150, 301]) assert.ok(rec.rows.some(([a, b]) => a <= row && row <= b), `row ${row} in ${JSON.stringify(rec.rows)}`);
    assert.ok(!rec.rows.some(([a, b]) => a <= 0 && 0 <= b), 'not the import');
    project.dispose();
  });
  it('a list pushed to and joined by 300 prompts: what is pushed is found once', () => {
    // (each join searched the rest of the function for pushes and looked each up in the tree)
    const text = "function agentPrompt(steps: string[]) {\n  const sections: string[] = [];\n  sections.push('You are a research agent. Answer the question with sources.');\n"
      + "  if (steps.length) sections.push(`You have already taken these steps: ${steps.join(', ')}`);\n  sections.push('Think step by step, then choose one action.');\n"
      + "  return { system: sections.join('\\n\\n'), stepCount: steps.length };\n".repeat(300) + '}\n';
    const { project, f } = open('agent.ts', text);
    const node = Object.getPrototypeOf(f.tree.rootNode);
    const { result: prompts, calls } = countCalls(node, 'descendantForIndex', () => detectInCode(f, project, {}));
    const joined = prompts.filter((p) => p.parts.some((x) => /research agent/.test(x.text)) && p.parts.some((x) => /step by step/.test(x.text)));
    assert.ok(joined.length >= 300, `${joined.length} prompts with the pushed sections`);
    assert.ok(calls < 300, `${calls} tree lookups for 300 joins`);
    project.dispose();
  });
  it('pydantic-ai: a function registered by 300 decorators is evaluated once', () => {
    const evaluations = (n: number) => {
      const text = 'from pydantic_ai import Agent\n\nEXAMPLES = [{"ask": "list the orders", "answer": "SELECT * FROM orders"}]\nanalyst = Agent("openai:gpt-4o")\n\n'
        + '@analyst.system_prompt\n'.repeat(n)
        + 'def analyst_instructions() -> str:\n    return ' + Array.from({ length: 40 }, (_, i) => `"Rule ${i}: answer with one SQL query.\\n"`).join(' + ') + '\n\nanalyst.run_sync("How many orders this week?")\n';
      const { project, f } = open('agent.py', text);
      // Evaluation checks its deadline every 64 steps: the checks count the steps.
      const { result: prompts, calls } = countCalls(Deadline.prototype, 'check', () => detectInCode(f, project, { heuristics: false }));
      const run = prompts.find((p) => p.parts.some((part) => part.role === 'system'));
      assert.strictEqual(run?.parts.filter((part) => part.role === 'system').length, n, 'each registration is sent');
      project.dispose();
      return calls;
    };
    const once = evaluations(1);
    const many = evaluations(300);
    assert.ok(many <= once + 10, `${once} deadline checks with one decorator, ${many} with 300`);
  });
  it('300 calls of one unpriced model: the priced models nearest to its name are searched for once', () => {
    // (each prompt's unpriced-model diagnostic measured the name against every priced model: a
    // millisecond a prompt, most of a 1,000-call file's time; counted here as the names lower-cased)
    const engine = new Engine();
    const lowered = (model: string, n: number) => {
      const text = "import OpenAI from 'openai';\nconst client = new OpenAI();\n" + `client.chat.completions.create({ model: '${model}', messages: [{ role: 'user', content: 'Summarise the report.' }] });\n`.repeat(n);
      const detection = engine.detectSync('calls.ts', text, {});
      const { result, calls } = countCalls(String.prototype, 'toLowerCase', () => engine.price(detection, { config: emptyConfig() }));
      assert.strictEqual(result.prompts.length, n);
      assert.ok(result.prompts.every((p) => p.diagnostics.some((d) => /did you mean gpt-4o-mini\b/.test(d.message))), 'each says the nearest model');
      return calls;
    };
    lowered('gpt-4o-mini-y', 1); // (loads the price database)
    const once = lowered('gpt-4o-minii', 1);
    const many = lowered('gpt-4o-mini-x', 300);
    assert.ok(many < once + 300 * 20, `${once} names lower-cased for one prompt, ${many} for 300`);
  });
  it('TS calls nested 200 deep: a callee is not walked up from with tree-sitter parents', () => {
    // (jsParamSinks looked for a function calling itself up from every callee with `node.parent`, each a
    // walk down from the root: cubic in the depth, 400 levels took 2.6 s)
    const text = "import OpenAI from 'openai';\nconst c = new OpenAI();\nc.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: " + 'f('.repeat(200) + "'hi'" + ')'.repeat(200) + ' }] });\n';
    const { project, f } = open('nested.ts', text);
    const node = Object.getPrototypeOf(f.tree.rootNode);
    const { result: prompts, calls } = countCalls(node, 'parent', () => detectInCode(f, project, {}), true);
    assert.strictEqual(prompts.length, 1);
    assert.ok(calls < 2000, `${calls} parent walks for 200 nested calls`);
    project.dispose();
  });
  it("a member set in another method, used 300 times nested 300 deep: the way up to the class is walked once", () => {
    const text = 'class Bot:\n    def __init__(self):\n        self.prompt = "You are terse."\n\n    def run(self):\n        x = ' + '[self.prompt, '.repeat(300) + '1' + ']'.repeat(300) + '\n';
    const { project, f } = open('bot.py', text);
    const uses: ReturnType<typeof f.tree.rootNode.descendantForIndex>[] = [];
    for (const m of text.matchAll(/self\.prompt(?! =)/g)) uses.push(f.tree.rootNode.descendantForIndex(m.index, m.index + 'self.prompt'.length));
    assert.strictEqual(uses.length, 300);
    const node = Object.getPrototypeOf(f.tree.rootNode);
    let steps = 0;
    const walks = countCalls(node, 'parent', () => countCalls(Ancestry.prototype, 'parent', () => {
      for (const u of uses) assert.strictEqual(findDefinition(f, 'self.prompt', u!)?.value.text, '"You are terse."');
    }), true);
    steps = walks.result.calls;
    // (before: every use walked up all the levels above it, with tree-sitter's parent: 45,000 walks)
    assert.ok(walks.calls < 300, `${walks.calls} tree-sitter parent walks`);
    assert.ok(steps < 10 * 300, `${steps} steps up for 300 uses`);
    project.dispose();
  });

  it('a callee of 3,000 links: whether it asks the terminal is decided from its first links', () => {
    const { project, f } = open('cli.py', 'import click\nimport rich.prompt\n');
    const callee = 'self' + '.step'.repeat(3000);
    const { result, calls } = countCalls(Map.prototype, 'get', () => [asksTheTerminal(f, callee), asksTheTerminal(f, 'rich.prompt.Prompt.ask'), asksTheTerminal(f, 'input')]);
    assert.deepStrictEqual(result, [false, true, true]);
    assert.ok(calls < 20, `${calls} import lookups`);
    project.dispose();
  });
  it("a run-time value's slot is named from the start of its expression, however long the expression", () => {
    const text = 'const x = build(' + Array.from({ length: 3000 }, (_, i) => `part${i}`).join(',\n    ') + ');\n';
    const { project, f } = open('long.ts', text);
    const call = f.tree.rootNode.descendantForIndex(text.indexOf('build'), text.indexOf(');') + 1);
    let read = 0;
    const replace = String.prototype.replace;
    String.prototype.replace = function (this: string, ...a: unknown[]) {
      read += this.length;
      return (replace as (...x: unknown[]) => string).apply(this, a);
    } as typeof String.prototype.replace;
    let name = '';
    try {
      const v = dynamic(f, call!.parent!, newContext(project));
      name = v.text;
    } finally {
      String.prototype.replace = replace;
    }
    assert.ok(name.length > 0);
    assert.ok(read < 1000, `${read} characters read to name one slot`);
    project.dispose();
  });
});
