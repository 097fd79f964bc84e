import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { Engine } from '../../src/core/analyze';
import { emptyConfig } from '../../src/core/config/types';
import { parseConfig } from '../../src/core/config';
import { countWithEncoding } from '../../src/core/tokens';

const DIR = path.join(__dirname, '..', 'fixtures', 'files');
const engine = new Engine();

function analyze(file: string, config = emptyConfig()) {
  const text = fs.readFileSync(path.join(DIR, file), 'utf8');
  return engine.analyzeFile(file, text, { config, readRelative: (p) => fs.readFileSync(path.join(DIR, path.dirname(file), p), 'utf8') });
}

describe('prompt files', () => {
  it('Prompty v1: model.configuration, parameters.max_tokens, role sections, sample values', () => {
    const { prompts, diagnostics } = analyze('support.prompty');
    assert.deepStrictEqual(diagnostics, []);
    assert.strictEqual(prompts.length, 1);
    const p = prompts[0];
    assert.strictEqual(p.kind, 'prompty');
    assert.deepStrictEqual([p.model.id, p.model.from], ['gpt-4o', 'file']);
    assert.deepStrictEqual([p.tokens.output, p.tokens.outputFrom], [400, 'file:max_tokens']);
    assert.deepStrictEqual(p.parts.map((x) => x.role), ['system', 'user']);
    assert.strictEqual(p.parts[0].range.start.line, 16, 'system text starts on the line after "system:"');
    assert.deepStrictEqual(p.parts[0].slots.map((s) => [s.name, s.from]), [['firstName', 'sample']]);
    const question = 'How do I reset my password if I no longer have access to my email?';
    assert.deepStrictEqual(p.parts[1].slots, [{ name: 'question', tokens: countWithEncoding(question, 'o200k_base'), from: 'sample' }]);
    assert.strictEqual(p.tokens.exact, true);
    assert.strictEqual(p.tokens.input, p.tokens.static + p.tokens.dynamic + p.tokens.overhead);
    assert.ok(p.tokens.overhead > 0, 'chat overhead counted');
  });

  it('Prompty v2: model.id and model.options, inputs samples', () => {
    const [p] = analyze('v2.prompty').prompts;
    assert.strictEqual(p.model.id, 'gpt-4.1-mini');
    assert.deepStrictEqual([p.tokens.output, p.tokens.outputFrom], [250, 'file:maxOutputTokens']);
    assert.strictEqual(p.parts[1].slots[0].from, 'sample');
  });

  it('malformed frontmatter gives prompt-file-error with the line, not an exception', () => {
    const { prompts, diagnostics } = analyze('broken.prompty');
    assert.strictEqual(prompts.length, 0);
    assert.strictEqual(diagnostics[0].code, 'prompt-file-error');
    assert.match(diagnostics[0].message, /^broken\.prompty:\d+: malformed YAML/);
    assert.ok(diagnostics[0].range.start.line >= 3 && diagnostics[0].range.start.line <= 6, `line ${diagnostics[0].range.start.line}`);
  });

  it('GitHub Models .prompt.yml: provider/model id, modelParameters, messages, testData', () => {
    const [p] = analyze('classify.prompt.yml').prompts;
    assert.strictEqual(p.kind, 'github-models');
    assert.strictEqual(p.model.id, 'openai/gpt-4o-mini');
    assert.strictEqual(p.model.provider, 'openai');
    assert.ok(p.cost.priced, 'openai/gpt-4o-mini is priced by splitting the provider off');
    assert.deepStrictEqual([p.tokens.output, p.tokens.outputFrom], [20, 'file:modelParameters.max_tokens']);
    assert.deepStrictEqual(p.parts.map((x) => x.role), ['system', 'user']);
    assert.strictEqual(p.parts[0].range.start.line, 8);
    // the user message is only {{ticket}}: what it sends is the testData row's value, where that is written
    assert.deepStrictEqual([p.parts[1].range.start.line, p.parts[1].slots], [14, []]);
    assert.strictEqual(p.parts[1].tokens, countWithEncoding('I was charged twice for my subscription this month.', 'o200k_base'));
  });

  it('GitHub Models: a {{input}} message with several testData rows is one prompt, its slot sized from a typical row (test cases are not traffic)', () => {
    const text = [
      'model: openai/gpt-4o-mini',
      'messages:',
      '  - role: system',
      '    content: You answer questions about trees.',
      '  - role: user',
      '    content: "{{input}}"',
      'testData:',
      '  - input: Oak?',
      '  - input: Which tree species lives longest in Europe, and how old is the oldest one?',
      '  - input: What is the tallest tree?',
      '',
    ].join('\n');
    const { prompts } = engine.analyzeFile('trees.prompt.yml', text, { config: emptyConfig() });
    assert.strictEqual(prompts.length, 1, 'one prompt, not one per testData row');
    const [p] = prompts;
    assert.strictEqual(p.id, 'trees.prompt.yml:3');
    assert.deepStrictEqual(p.parts.map((x) => [x.role, x.range.start.line]), [['system', 3], ['user', 5]]);
    assert.deepStrictEqual(p.parts[1].slots, [{ name: 'input', tokens: countWithEncoding('What is the tallest tree?', 'o200k_base'), from: 'testData row 3 (median length of 3 rows)' }]);
    assert.strictEqual(p.traffic.callsPerDay, 1000, 'the traffic of one prompt');
  });

  it('broken GitHub Models YAML reports the line', () => {
    const { diagnostics } = analyze('broken.prompt.yml');
    assert.strictEqual(diagnostics[0].code, 'prompt-file-error');
    assert.match(diagnostics[0].message, /broken\.prompt\.yml:\d+/);
  });

  it('dotprompt: comment header allowed, {{role}} sections, config.maxOutputTokens, input defaults', () => {
    const [p] = analyze('story.prompt').prompts;
    assert.strictEqual(p.kind, 'dotprompt');
    assert.strictEqual(p.model.id, 'googleai/gemini-2.0-flash');
    assert.strictEqual(p.model.provider, 'google');
    assert.strictEqual(p.tokens.exact, false, 'Gemini counts are estimates');
    assert.deepStrictEqual([p.tokens.output, p.tokens.outputFrom], [600, 'file:config.maxOutputTokens']);
    assert.deepStrictEqual(p.parts.map((x) => x.role), ['system', 'user']);
    assert.deepStrictEqual(p.parts[1].slots.map((s) => [s.name, s.from]), [['hero', 'input.default']]);
  });

  it('a .prompt file without frontmatter is not dotprompt', () => {
    assert.deepStrictEqual(analyze('notdot.prompt'), { file: 'notdot.prompt', prompts: [], diagnostics: [] });
  });

  it('VS Code .prompt.md: Copilot model names, ${input:…} and ${selection} slots', () => {
    const [p] = analyze('review.prompt.md').prompts;
    assert.strictEqual(p.kind, 'vscode-prompt');
    assert.strictEqual(p.model.id, 'claude-sonnet-4');
    assert.deepStrictEqual(p.parts[0].slots.map((s) => s.name), ['selection', 'focus']);
  });

  it('VS Code .prompt.md without a model uses the default model and says so', () => {
    const [p] = analyze('plain.prompt.md').prompts;
    assert.deepStrictEqual([p.model.id, p.model.from], ['gpt-4o-mini', 'default']);
    assert.ok(p.notes?.some((n) => /default model/.test(n)));
  });

  it('promptfoo: each prompt × each provider is a priced row', () => {
    const { prompts } = analyze('promptfooconfig.yaml');
    assert.strictEqual(prompts.length, 4);
    assert.deepStrictEqual(prompts.map((p) => p.model.id), ['openai/gpt-4o-mini', 'anthropic/claude-3-5-haiku-20241022', 'openai/gpt-4o-mini', 'anthropic/claude-3-5-haiku-20241022']);
    assert.ok(prompts.every((p) => p.cost.priced), prompts.map((p) => p.cost.unpricedReason).join('; '));
    assert.strictEqual(new Set(prompts.map((p) => p.id)).size, 4, 'ids are unique');
    assert.deepStrictEqual([prompts[1].tokens.output, prompts[1].tokens.outputFrom], [300, 'file:config.max_tokens']);
    // The test's value fills {{text}} inside the prompt: it is a part of its own where the test writes it,
    // and the slot counts nothing (its text is that part), so the total counts it once.
    assert.strictEqual(prompts[0].parts[0].slots[0].from, 'tests[0].vars (counted as its own part)');
    assert.strictEqual(prompts[0].parts[0].slots[0].tokens, 0);
    assert.strictEqual(prompts[0].parts[1].range.start.line, 13); // 0-based: line 14
    assert.ok(prompts[0].parts[1].tokens > 0);
    assert.match(prompts[3].label!, /^formal × /);
    assert.deepStrictEqual(prompts.map((p) => p.id), ['promptfooconfig.yaml:3#prompt 1 × openai:gpt-4o-mini', 'promptfooconfig.yaml:3#prompt 1 × anthropic:messages:claude-3-5-haiku-20241022', 'promptfooconfig.yaml:4#formal × openai:gpt-4o-mini', 'promptfooconfig.yaml:4#formal × anthropic:messages:claude-3-5-haiku-20241022'], 'placed at the prompt, not at the test');
  });

  it('promptfoo: tests are test cases, not traffic — one row per prompt × provider, at the prompt; a typical test\'s text is priced, the others\' are alternatives where they are written', () => {
    const text = [
      'prompts:',
      '  - "Reply politely: {{message}}"',
      'providers:',
      '  - openai:gpt-4o-mini',
      '  - openai:gpt-4o',
      'tests:',
      '  - vars:',
      '      message: Where is my parcel? It was due on Monday and the tracking page has not changed since.',
      '  - vars:',
      '      message: Can I change the delivery address of my order?',
      '',
    ].join('\n');
    const { prompts } = engine.analyzeFile('promptfooconfig.yaml', text, { config: emptyConfig() });
    assert.deepStrictEqual(prompts.map((p) => [p.label, p.range.start.line, p.traffic.callsPerDay]), [['prompt 1 × openai:gpt-4o-mini', 1, 1000], ['prompt 1 × openai:gpt-4o', 1, 1000]]);
    const typical = countWithEncoding('Can I change the delivery address of my order?', 'o200k_base');
    for (const p of prompts) {
      // the prompt, the typical test's phrase (the shorter of two: the median), the other test's as an alternative
      assert.deepStrictEqual(p.parts.map((x) => [x.range.start.line, !!x.alternative]), [[1, false], [9, false], [7, true]]);
      assert.deepStrictEqual([p.parts[1].tokens, p.parts[0].slots.map((x) => x.tokens)], [typical, [0]]);
      assert.match(p.parts[2].alternative!, /another test case \(tests\[0\]\), not priced/);
    }
    // the alternative is shown, not added: the input is what the typical test alone would send
    const alone = engine.analyzeFile('promptfooconfig.yaml', text.replace(/ {2}- vars:\n {6}message: Where is my parcel\?.*\n/, ''), { config: emptyConfig() }).prompts;
    assert.deepStrictEqual(prompts.map((p) => p.tokens.input), alone.map((p) => p.tokens.input));
  });

  it('promptfoo: a prompt that is only a placeholder is one row too, its text a typical test\'s value, the others alternatives (defaultTest fills the tests that give none)', () => {
    const text = [
      'prompts: ["{{question}}"]',
      'providers: [openai:gpt-4o-mini]',
      'defaultTest:',
      '  vars:',
      '    question: Hello?',
      'tests:',
      '  - vars:',
      '      question: What are the opening hours of the library on Sundays?',
      '  - vars:',
      '      question: Is there parking?',
      '  - description: no vars of its own',
      '',
    ].join('\n');
    const { prompts } = engine.analyzeFile('promptfooconfig.yaml', text, { config: emptyConfig() });
    assert.strictEqual(prompts.length, 1, 'one prompt, not one per test');
    assert.deepStrictEqual([prompts[0].range.start.line, prompts[0].traffic.callsPerDay], [0, 1000]);
    // the message is the typical test's value (median of 6, 17 and 53 characters); the others are alternatives
    const count = (t: string) => countWithEncoding(t, 'o200k_base');
    assert.deepStrictEqual(prompts[0].parts.map((x) => [x.range.start.line, x.tokens, !!x.alternative]), [
      [9, count('Is there parking?'), false], [7, count('What are the opening hours of the library on Sundays?'), true], [4, count('Hello?'), true],
    ]);
  });

  it('Semantic Kernel YAML: <message> roles, {{$var}} slots, execution_settings', () => {
    const [p] = analyze('sk/story.yaml').prompts;
    assert.strictEqual(p.kind, 'semantic-kernel');
    assert.deepStrictEqual([p.model.id, p.tokens.output], ['gpt-4o', 700]);
    assert.deepStrictEqual(p.parts.map((x) => x.role), ['system', 'user']);
    assert.deepStrictEqual(p.parts[1].slots.map((s) => [s.name, s.from]), [['topic', 'input_variables.default'], ['length', 'default']]);
  });

  it('an ordinary YAML file is not a prompt', () => {
    assert.deepStrictEqual(analyze('not-a-prompt.yaml').prompts, []);
  });

  it('config variables set slot sizes and win over samples', () => {
    const config = parseConfig('variables:\n  question: 3000\n');
    const [p] = analyze('support.prompty', config).prompts;
    assert.deepStrictEqual(p.parts[1].slots, [{ name: 'question', tokens: 3000, from: '.promptcost.yaml:2' }]);
  });

  it('an annotation in a prompt file sets its traffic', () => {
    const text = '# prompt-cost: callsPerDay=12345 id=classifier\n' + fs.readFileSync(path.join(DIR, 'classify.prompt.yml'), 'utf8');
    const [p] = engine.analyzeFile('x.prompt.yml', text, { config: emptyConfig() }).prompts;
    assert.deepStrictEqual([p.traffic.callsPerDay, p.traffic.from, p.id], [12345, 'annotation:1', 'classifier']);
  });

  it('an unpriced model gets the unpriced-model diagnostic', () => {
    const text = 'model: acme/mystery-9\nmessages:\n  - role: user\n    content: hi\n';
    const [p] = engine.analyzeFile('m.prompt.yml', text, { config: emptyConfig() }).prompts;
    assert.strictEqual(p.cost.priced, false);
    assert.deepStrictEqual(p.diagnostics.map((d) => d.code), ['unpriced-model', 'unknown-model-tokenizer']);
  });

  it('prompt-over-budget from config thresholds', () => {
    const config = parseConfig('thresholds:\n  promptTokens: 10\n');
    const [p] = analyze('support.prompty', config).prompts;
    const d = p.diagnostics.find((x) => x.code === 'prompt-over-budget');
    assert.ok(d);
    assert.match(d!.message, /over the limit of 10 \(\.promptcost\.yaml:2\)/);
  });
});
