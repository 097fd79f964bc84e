// Inputs that used to hang, blow up or give wrong numbers in the engine (issue 10): each case is a class
// of input, checked by the figure a user sees.
import * as assert from 'assert';
import { Engine } from '../../src/core/analyze';
import { emptyConfig, parseAnnotations, parseConfig } from '../../src/core/config';
import { NUMBER_LIMITS } from '../../src/core/numbers';
import { SETTINGS } from '../../src/core/settings';
import { normaliseRole } from '../../src/core/detect/shared';
import * as fs from 'fs';
import * as path from 'path';
import { BudgetExceeded } from '../../src/core/budgets';
import { LineIndex } from '../../src/core/text';
import { scanWorkspace, summarize } from '../../src/core/workspace';
import { tempDir } from '../tempDir';
import { countWithEncoding, hasLongRun } from '../../src/core/tokens';
import { ensureLanguages } from '../../src/core/detect/code';
import { parse } from '../../src/core/detect/code/parser';

const analyze = (file: string, text: string) => new Engine().analyze(file, text, { config: emptyConfig() });

const TS_CALL = (content: string, before = '') => `import OpenAI from 'openai';\nconst c = new OpenAI();\n${before}c.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: ${content} }] });\n`;
const PY_CALL = (content: string, before = '') => `from openai import OpenAI\nclient = OpenAI()\n${before}client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": ${content}}])\n`;

describe('engine robustness: values', () => {
  it('a + chain of hundreds of terms is evaluated whole, like implicit concatenation', async () => {
    const lines = Array.from({ length: 200 }, (_, i) => `'Line ${i} of the instructions says something specific about topic ${i}.\\n'`);
    const plus = await analyze('a.ts', TS_CALL(lines.join(' +\n  ')));
    const joined = await analyze('b.ts', TS_CALL(`[${lines.map((l) => l.replace(/\\n'$/, "'")).join(', ')}].join('\\n') + '\\n'`));
    const [p] = plus.prompts;
    assert.strictEqual(p.parts[0].slots.length, 0, 'no part of the chain became a slot');
    assert.strictEqual(p.tokens.static, joined.prompts[0].tokens.static);
    assert.ok(p.tokens.static > 2000, `${p.tokens.static} tokens`);
  });

  it('a Python + chain of hundreds of terms too', async () => {
    const lines = Array.from({ length: 150 }, (_, i) => `"Rule ${i}: answer questions about subject ${i} briefly.\\n"`);
    const r = await analyze('a.py', PY_CALL(lines.join(' + ')));
    assert.strictEqual(r.prompts[0].parts[0].slots.length, 0);
    assert.ok(r.prompts[0].tokens.static > 1500);
  });

  it('sharing: A1 = A0 + A0 … is evaluated once per definition, cut at the ceiling, estimated with a note', async () => {
    const defs = ["const A0 = 'Repeat this sentence for the model to read. ';"];
    for (let i = 1; i <= 60; i++) defs.push(`const A${i} = A${i - 1} + A${i - 1};`);
    const one = countWithEncoding('Repeat this sentence for the model to read. '.repeat(64), 'o200k_base') / 64;
    const r20 = await analyze('s.ts', TS_CALL('A20', defs.join('\n') + '\n'));
    const [p] = r20.prompts;
    assert.strictEqual(p.tokens.exact, false, 'an estimate');
    assert.ok(Math.abs(p.tokens.input / (one * 2 ** 20) - 1) < 0.01, `${p.tokens.input} ≈ ${one} × 2^20`);
    assert.ok(p.notes?.some((n) => /evaluation ceiling/.test(n)), 'the note says why');
    const r60 = await analyze('s.ts', TS_CALL('A60', defs.join('\n') + '\n'));
    const p60 = r60.prompts[0];
    assert.ok(Number.isFinite(p60.tokens.input) && p60.tokens.input > 1e18, `${p60.tokens.input}`);
    assert.ok(Number.isFinite(p60.cost.monthlyUsd ?? NaN), `${p60.cost.monthlyUsd}`);
  });

  it('sharing keeps slots: a definition with a run-time value used twice has the slot twice', async () => {
    const r = await analyze('s.ts', TS_CALL('B', 'const A = `Summarise ${doc} for the reader in three short bullet points.`;\nconst B = A + A;\n'));
    // A is a fragment (a part where it is written); its second use stays in B's text
    assert.deepStrictEqual(r.prompts[0].parts.flatMap((p) => p.slots.map((s) => s.name)), ['doc', 'doc']);
    const once = await analyze('o.ts', TS_CALL('A', 'const A = `Summarise ${doc} for the reader in three short bullet points.`;\n'));
    assert.ok(Math.abs(r.prompts[0].tokens.static - 2 * once.prompts[0].tokens.static) <= 2, 'the text twice');
  });

  it('chained .replace that multiplies the text stays under the ceiling and is estimated', async () => {
    let expr = "'aaaa aaaa aaaa aaaa'";
    for (let i = 0; i < 14; i++) expr += ".replace('a', 'aaaa')".replace(".replace(", ".replaceAll(");
    const r = await analyze('r.ts', TS_CALL(expr));
    const [p] = r.prompts;
    assert.strictEqual(p.tokens.exact, false);
    assert.ok(Number.isFinite(p.tokens.input));
    assert.ok(p.parts[0].tokens > 0);
  });

  it('private-use characters in a prompt are text, not slots', async () => {
    const pua = '\ue000\ue001\uf8ff';
    const r = await analyze('p.ts', TS_CALL(`'Icons ${pua} are drawn from the private-use area of the icon font.'`));
    const [p] = r.prompts;
    assert.strictEqual(p.parts[0].slots.length, 0);
    const e = new Engine();
    assert.strictEqual(p.tokens.static, e.counter.encodingTokens(`Icons ${pua} are drawn from the private-use area of the icon font.`, 'o200k_base'));
  });

  it('a lone surrogate from an escape is counted as U+FFFD, never taken for a slot', async () => {
    const r = await analyze('p.ts', TS_CALL("'broken \\udc00\\ude00 escape in the prompt text here'"));
    assert.strictEqual(r.prompts[0].parts[0].slots.length, 0);
  });

  it('more than 6,400 slots each keep their own name', async () => {
    const n = 7000;
    const body = Array.from({ length: n }, (_, i) => `\${v${i}}`).join(' ');
    const r = await analyze('m.ts', TS_CALL(`\`Values: ${body}\``));
    const slots = r.prompts[0].parts[0].slots;
    assert.strictEqual(slots.length, n);
    assert.strictEqual(slots[6999].name, 'v6999');
    assert.strictEqual(new Set(slots.map((s) => s.name)).size, n);
  });
});

describe('engine robustness: line endings', () => {
  it('LineIndex ends lines at \\r\\n, \\n and a lone \\r, as LSP does', () => {
    const lines = new LineIndex('a\rb\r\nc\nd');
    assert.strictEqual(lines.lineCount, 4);
    assert.deepStrictEqual(lines.position(2), { line: 1, character: 0 });
    assert.deepStrictEqual(lines.position(5), { line: 2, character: 0 });
    assert.deepStrictEqual(['a', 'b', 'c', 'd'], [0, 1, 2, 3].map((l) => lines.lineText(l)));
  });

  it('Python with lone-CR line endings: the prompt is found, on its line', async () => {
    const text = PY_CALL('"Tell me a short story about a lighthouse keeper and a storm."').split('\n').join('\r');
    const r = await analyze('cr.py', text);
    assert.strictEqual(r.prompts.length, 1);
    assert.strictEqual(r.prompts[0].range.start.line, 2);
  });

  it('TypeScript with lone-CR line endings: ranges are on the lines LSP counts', async () => {
    const lf = TS_CALL("'Tell me a short story about a lighthouse keeper and a storm.'", '\n\n');
    const r = await analyze('cr.ts', lf.split('\n').join('\r'));
    const r2 = await analyze('lf.ts', lf);
    assert.strictEqual(r.prompts.length, 1);
    assert.deepStrictEqual(r.prompts[0].range, r2.prompts[0].range);
    assert.deepStrictEqual(r.prompts[0].parts[0].range, r2.prompts[0].parts[0].range);
    assert.strictEqual(r.prompts[0].range.start.line, 4);
  });
});

describe('engine robustness: counting', () => {
  it("long unbroken runs ('ab' × 100,000, spaces, punctuation, CJK) are counted in linear time, labelled an estimate", async () => {
    for (const run of ['ab'.repeat(100_000), ' '.repeat(200_000), '-+'.repeat(100_000), '日本'.repeat(50_000)]) {
      const t = countWithEncoding(`Start. ${run} End.`, 'o200k_base');
      assert.ok(hasLongRun(run));
      // chunked counts stay close to what the whole run would give: within two tokens per 128-character chunk
      const exact = countWithEncoding(run.slice(0, 200), 'o200k_base') * (run.length / 200);
      assert.ok(Math.abs(t - exact) <= (2 * run.length) / 128 + 10, `${t} vs ${exact}`);
    }
    const r = await analyze('l.py', PY_CALL(`"ab" * 3 + "${'ab'.repeat(5000)}"`));
    assert.strictEqual(r.prompts[0].tokens.exact, false);
    assert.ok(r.prompts[0].notes?.some((n) => /without a break/.test(n)));
  });

  it('normal text stays exact', async () => {
    const text = 'You are a helpful assistant. '.repeat(2000) + '='.repeat(120) + ' https://example.com/a/very/long/path?with=query&and=more';
    assert.strictEqual(hasLongRun(text), false);
    const r = await analyze('n.ts', TS_CALL(JSON.stringify(text)));
    assert.strictEqual(r.prompts[0].tokens.exact, true);
  });
});

describe('engine robustness: names from Object.prototype', () => {
  const NAMES = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'];

  it('slots named like Object.prototype members get the default size, in code and prompt files', async () => {
    const py = await analyze('p.py', PY_CALL(`"Answer ${NAMES.map((n) => `{${n}}`).join(' ')} politely.".format(${NAMES.map((n) => `${n}=x`).join(', ')})`));
    const yml = `---\nmodel:\n  api: chat\n  configuration:\n    type: openai\n    name: gpt-4o\nsample:\n  toString: a sample\n---\nsystem:\nAnswer ${NAMES.map((n) => `{{${n}}}`).join(' ')} politely.\n`;
    const pf = await new Engine().analyze('x.prompty', yml, { config: emptyConfig() });
    for (const r of [py, pf]) {
      const [p] = r.prompts;
      const slots = p.parts.flatMap((x) => x.slots);
      assert.ok(slots.length >= NAMES.length, JSON.stringify(slots));
      for (const s of slots) assert.ok(Number.isFinite(s.tokens) && s.tokens > 0, `${s.name}: ${s.tokens}`);
      assert.ok(Number.isFinite(p.tokens.input) && Number.isFinite(p.cost.monthlyUsd ?? NaN));
    }
    const sampled = pf.prompts[0].parts.flatMap((x) => x.slots).find((s) => s.name === 'toString');
    assert.strictEqual(sampled?.from, 'sample', 'a sample named toString is the file’s own');
  });

  it('config variables and prices keyed __proto__ / constructor are stored and used as given', async () => {
    const c = parseConfig('variables:\n  __proto__: 7\n  constructor: 9\n');
    assert.deepStrictEqual(Object.keys(c.variables).sort(), ['__proto__', 'constructor']);
    const r = await new Engine().analyze('x.prompty', '---\nmodel:\n  configuration:\n    type: openai\n    name: gpt-4o\n---\nsystem:\nHi {{__proto__}} and {{constructor}} and {{toString}}.\n', { config: c });
    const slots = r.prompts[0].parts.flatMap((x) => x.slots);
    assert.deepStrictEqual(slots.map((s) => [s.name, s.tokens]), [['__proto__', 7], ['constructor', 9], ['toString', 100]]);
  });

  it('roles, providers and wrappers named like Object.prototype members are not recognised as real ones', async () => {
    assert.strictEqual(normaliseRole('constructor', 'user'), 'user');
    const r = await analyze('w.ts', "import { generateText } from 'ai';\nawait generateText({ model: constructor('gpt-4o'), prompt: 'Write a haiku about the sea and the wind at dawn.' });\n");
    for (const p of r.prompts) assert.ok(!/function|native/.test(p.model.id), p.model.id);
  });
});

describe('engine robustness: per-file budgets', () => {
  it('20,000 comment lines in Python parse in linear time; the prompt after them is found', async () => {
    const text = PY_CALL('"Summarise the following document for a busy executive reader."', 'def f():\n    x = 1\n' + '    # a comment line that repeats\n'.repeat(20_000) + '    return x\n');
    const r = await analyze('c.py', text);
    assert.strictEqual(r.prompts.length, 1);
    assert.strictEqual(r.prompts[0].range.start.line, 20_005);
  });

  it('a broken line pasted thousands of times parses in linear time; the prompt before it is found', async () => {
    // (a fuzzed fixture: tree-sitter 0.25 kept the unparseable run as one error node of 10,000 children
    // and re-summarised them at each token skipped: 1.2 s for 45 KB)
    const broken = (n: number) => 'def send(prompt: str = "", template: str = "") -> str:\n' + '    return prompt or opee: str = "") -> str:\n'.repeat(n);
    await ensureLanguages(['python']);
    const cpuMs = (text: string) => {
      const runs: number[] = [];
      for (let k = 0; k < 3; k++) {
        const c0 = process.cpuUsage();
        parse('python', text).delete();
        const c = process.cpuUsage(c0);
        runs.push((c.user + c.system) / 1000);
      }
      return runs.sort((a, b) => a - b)[1];
    };
    cpuMs(broken(100));
    const small = cpuMs(broken(500));
    const large = cpuMs(broken(4000));
    // 8× the text: about 8× the time when linear, 64× when quadratic (before: 1.1 s → 70 s for 4,000).
    assert.ok(large < 24 * Math.max(small, 5), `${small.toFixed(0)} ms for 500 copies, ${large.toFixed(0)} ms for 4,000`);
    const r = await analyze('b.py', PY_CALL('"Summarise the following document for a busy executive reader."') + broken(1000));
    assert.strictEqual(r.prompts.length, 1);
  });

  it('a run of # lines inside a string stays prompt text', async () => {
    const md = Array.from({ length: 40 }, (_, i) => `# Heading ${i} of the instructions`).join('\n');
    const r = await analyze('m.py', PY_CALL('PROMPT', `PROMPT = """\n${md}\n"""\n`));
    assert.ok(r.prompts[0].tokens.static > 200, `${r.prompts[0].tokens.static}`);
  });

  it('parse and evaluation budgets: the file is skipped with a reason naming the budget', async () => {
    const e = new Engine({ budgets: { parseMs: 0 } });
    await assert.rejects(e.analyze('p.ts', TS_CALL("'hello there, summarise this text for me please'"), { config: emptyConfig() }), (err: unknown) => err instanceof BudgetExceeded && /parse budget exceeded/.test((err as InstanceType<typeof BudgetExceeded>).reason));
    const defs = ["const A0 = 'x';"];
    for (let i = 1; i <= 150; i++) defs.push(`const A${i} = A${i - 1} + A${i - 1}.replace('x', A${i - 1});`);
    const slow = new Engine({ budgets: { evaluateMs: 0 } });
    await assert.rejects(slow.analyze('v.ts', TS_CALL('A150', defs.join('\n') + '\n'), { config: emptyConfig() }), (err: unknown) => err instanceof BudgetExceeded && /evaluate budget exceeded/.test((err as InstanceType<typeof BudgetExceeded>).reason));
  });

  it('a scan lists a file over its budget as skipped, naming the budget', async () => {
    const dir = tempDir('pc-budget-');
    fs.writeFileSync(path.join(dir, 'a.ts'), TS_CALL("'hello there, summarise this text for me please'"));
    const r = await scanWorkspace({ root: dir, workers: 0, engine: new Engine({ budgets: { parseMs: 0 } }) });
    assert.deepStrictEqual(r.skipped.map((s) => [s.file, /parse budget exceeded/.test(s.reason)]), [['a.ts', true]]);
  });

  it('count budget: past it, counts are estimates with a note naming the budget, numbers stay finite', async () => {
    const e = new Engine({ budgets: { countBytes: 0 } });
    const r = await e.analyze('c.ts', TS_CALL("'hello there, summarise this text for me please, in detail'"), { config: emptyConfig() });
    const [p] = r.prompts;
    assert.strictEqual(p.tokens.exact, false);
    assert.ok(p.notes?.some((n) => /count budget exceeded/.test(n)));
    assert.ok(Number.isFinite(p.tokens.input) && p.tokens.input > 0);
  });
});

describe('engine robustness: numbers', () => {
  const PROMPT_FILES: Record<string, string> = {
    'a.prompty': '---\nmodel:\n  api: chat\n  configuration:\n    type: openai\n    name: gpt-4o\n  parameters:\n    max_tokens: -100000\n---\nsystem:\nTell me a story about a cat and a dog who are friends.\n',
    'b.prompt.yml': 'model: openai/gpt-4o\nmodelParameters:\n  max_tokens: -100000\nmessages:\n  - role: system\n    content: Tell me a story about a cat and a dog who are friends.\n',
    'c.prompt': '---\nmodel: openai/gpt-4o\nconfig:\n  maxOutputTokens: -100000\n---\nTell me a story about a cat and a dog who are friends.\n',
    'd.ts': "import OpenAI from 'openai';\nconst c = new OpenAI();\nc.chat.completions.create({ model: 'gpt-4o', max_tokens: -100000, messages: [{ role: 'user', content: 'Tell me a story about a cat and a dog who are friends.' }] });\n",
    'e.py': 'from openai import OpenAI\nclient = OpenAI()\nclient.chat.completions.create(model="gpt-4o", max_tokens=-100000, messages=[{"role": "user", "content": "Tell me a story about a cat and a dog who are friends."}])\n',
  };

  for (const [file, text] of Object.entries(PROMPT_FILES)) {
    it(`max_tokens: -100000 in ${file} is rejected with a diagnostic; the default output applies`, async () => {
      const r = await analyze(file, text);
      assert.strictEqual(r.prompts.length, 1, JSON.stringify(r.diagnostics));
      const [p] = r.prompts;
      assert.ok(p.tokens.output >= 0 && p.tokens.outputFrom !== `file:max_tokens`, `${p.tokens.output} from ${p.tokens.outputFrom}`);
      assert.ok((p.cost.monthlyUsd ?? 0) >= 0);
      const d = p.diagnostics.find((x) => x.code === 'invalid-number');
      assert.ok(d, JSON.stringify(p.diagnostics));
      assert.match(d.message, new RegExp(`^${file.replace('.', '\\.')}:\\d+: [\\w.]+ must be a whole number from 0 to 10,000,000`));
    });
  }

  it('annotations: daysPerMonth=0 and 1000, callsPerDay=0x10 and 1e308, model= and id= with no value are each reported', () => {
    const [a] = parseAnnotations('// prompt-cost: daysPerMonth=0 callsPerDay=0x10 model= id= outputTokens=12\n');
    assert.deepStrictEqual(a.problems.map((p) => p.message.replace(/^prompt-cost annotation on line 1: /, '').split(':')[0]), ['daysPerMonth=0', 'callsPerDay=0x10', 'model= has no value (write model=VALUE with no space after =)', 'id= has no value (write id=VALUE with no space after =)']);
    assert.deepStrictEqual(a.traffic.outputTokens?.value, 12);
    assert.strictEqual(a.traffic.daysPerMonth, undefined);
    const [b] = parseAnnotations('# prompt-cost: daysPerMonth=1000 callsPerDay=1e308 cacheHitRate=1.5\n');
    assert.strictEqual(b.problems.length, 3);
    assert.match(b.problems[1].message, /callsPerDay must be a number from 0 to 10,000,000,000/);
    assert.deepStrictEqual(b.traffic, {});
  });

  it('.promptcost.yaml: callsPerDay 1e308 is an invalid-config problem and not used; the total stays finite', async () => {
    const c = parseConfig('defaults:\n  callsPerDay: 1e308\n  daysPerMonth: 0\n');
    assert.ok(c.problems.some((p) => /callsPerDay/.test(p.message) && /at most 10000000000/.test(p.message)), JSON.stringify(c.problems));
    assert.ok(c.problems.some((p) => /daysPerMonth/.test(p.message)));
    const r = await new Engine().analyze('d.ts', PROMPT_FILES['d.ts'], { config: c });
    assert.strictEqual(r.prompts[0].traffic.callsPerDay, 1000);
  });

  it('the schema, the editor settings and the engine share one set of limits', () => {
    const schema = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'schemas', 'promptcost.schema.json'), 'utf8'));
    const seen: string[] = [];
    const walk = (n: unknown): void => {
      if (!n || typeof n !== 'object') return;
      for (const [k, v] of Object.entries(n)) {
        if (k in NUMBER_LIMITS && v && typeof v === 'object' && 'type' in v) {
          const l = NUMBER_LIMITS[k as keyof typeof NUMBER_LIMITS];
          assert.deepStrictEqual([(v as { minimum?: number }).minimum, (v as { maximum?: number }).maximum], [l.min, l.max], `schema ${k}`);
          seen.push(k);
        } else walk(v);
      }
    };
    walk(schema);
    assert.ok(seen.length >= 8);
    for (const k of ['callsPerDay', 'outputTokens', 'daysPerMonth'] as const) {
      const s = SETTINGS[`traffic.${k}`];
      assert.deepStrictEqual([s.minimum, s.maximum], [NUMBER_LIMITS[k].min, NUMBER_LIMITS[k].max], `setting traffic.${k}`);
    }
  });
});

describe('engine robustness: totals', () => {
  it('a total that is not finite is never within budget: an invalid-number error and the budget exceeded', async () => {
    const r = await analyze('d.ts', TS_CALL("'Tell me a story about a cat and a dog who are friends.'"));
    const p = { ...r.prompts[0], cost: { ...r.prompts[0].cost, monthlyUsd: Infinity, perDayUsd: NaN } };
    const report = summarize('/x', [p], [], [], { ...emptyConfig(), budget: { monthlyUsd: 100, from: '.promptcost.yaml:1' } });
    assert.strictEqual(report.budget?.exceeded, true);
    assert.ok(report.diagnostics.some((d) => d.code === 'invalid-number' && d.severity === 'error' && /not a finite number/.test(d.message)));
  });
});
