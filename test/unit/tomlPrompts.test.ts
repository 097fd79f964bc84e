// Prompts in TOML settings files: the TOML reading itself (strings with their escapes and offsets,
// tables, dotted keys, arrays of tables), what is a prompt there, and broken TOML said at its line.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { Engine } from '../../src/core/analyze';
import { emptyConfig } from '../../src/core/config/types';
import { parseTomlNodes, TomlError } from '../../src/core/detect/files/toml';
import { formatMarkdown } from '../../src/core/report/markdown';
import { scanWorkspace } from '../../src/core/workspace';
import { tempDir } from '../tempDir';

const engine = new Engine();
const analyze = (file: string, text: string) => engine.analyzeFile(file, text, { config: emptyConfig() });
const parts = (file: string, text: string) => engine.detectSync(file, text, {}).detected.map((p) => p.parts.map((x) => [x.role, x.text, x.range.start.line, x.range.start.character]));
const toml = (text: string) => parseTomlNodes(text).toJSON();
const errorOf = (text: string) => {
  try {
    parseTomlNodes(text);
  } catch (e) {
    assert.ok(e instanceof TomlError, String(e));
    return { message: e.message, line: text.slice(0, e.at).split('\n').length };
  }
  return assert.fail('expected a TOML error');
};

describe('TOML prompt files', () => {
  it('reads TOML values as TOML defines them: escapes, literal and multi-line strings, line-ending backslashes, quotes before the closing ones', () => {
    const text = [
      'a = "tab\\there \\"q\\" \\u00e9 \\U0001F600"',
      "b = 'C:\\path\\{x}'",
      'c = """',
      'first line \\',
      '    joined',
      'ends with a quote""""',
      "d = '''",
      'raw \\n kept',
      "'''",
      'e = 12_000',
      'f = [ "one", # a comment',
      '  "two", ]',
      'g = { h = "inline", i.j = true }',
      'k.l = 3.5',
    ].join('\n');
    assert.deepStrictEqual(toml(text), {
      a: 'tab\there "q" é 😀', b: 'C:\\path\\{x}', c: 'first line joined\nends with a quote"', d: 'raw \\n kept\n',
      e: 12000, f: ['one', 'two'], g: { h: 'inline', i: { j: true } }, k: { l: 3.5 },
    });
  });

  it('reads tables, nested headers, dotted keys and arrays of tables into one tree', () => {
    const text = ['top = 1', '[a.b]', 'x = "1"', '[a]', 'y = "2"', '[[list]]', 'n = 1', '[list.sub]', 'm = 2', '[[list]]', 'n = 3'].join('\n');
    assert.deepStrictEqual(toml(text), { top: 1, a: { b: { x: '1' }, y: '2' }, list: [{ n: 1, sub: { m: 2 } }, { n: 3 }] });
  });

  it('says what is wrong and at which line when TOML is broken', () => {
    assert.deepStrictEqual(errorOf('a = 1\nb = "open\nc = 2'), { message: 'a "…" string is not closed on its line (use """ for text over several lines)', line: 2 });
    assert.deepStrictEqual(errorOf('x = """\nnever closed'), { message: 'the """ string is never closed', line: 1 });
    assert.deepStrictEqual(errorOf('[t]\na = 1\n[t]\nb = 2'), { message: 'the table [t] is defined twice', line: 3 });
    assert.deepStrictEqual(errorOf('a = 1\na = 2'), { message: 'a is defined twice', line: 2 });
    assert.deepStrictEqual(errorOf('a = hello'), { message: '"hello" is not a TOML value (text must be quoted)', line: 1 });
    assert.deepStrictEqual(errorOf('a = "\\q"'), { message: "invalid escape \\q in a string (write \\\\ for a backslash, or use a '…' literal string)", line: 1 });
    assert.deepStrictEqual(errorOf('a = [1, 2\nb = 3'), { message: 'expected , or ] in an array, found "b"', line: 2 });
    assert.match(errorOf('a = ' + '['.repeat(500)).message, /nested more than 100 deep/);
  });

  it('each role of a [*_prompt] table is a message of one prompt, at its opening quote, Jinja slots found', () => {
    const text = ['[config]', 'model = "gpt-4o-mini"', '', '[review_prompt]', 'system = """', 'You review code. Be brief and kind.', '"""', 'user = """', 'Diff: {{ diff }}', '"""', ''].join('\n');
    assert.deepStrictEqual(parts('settings/review.toml', text), [[['system', 'You review code. Be brief and kind.\n', 4, 9], ['user', 'Diff: {{ diff }}\n', 7, 7]]]);
    const detected = engine.detectSync('settings/review.toml', text, {}).detected;
    assert.deepStrictEqual(detected[0].parts.map((p) => p.slots.map((s) => [s.name, s.range?.start.line, s.range?.start.character])), [[], [['diff', 8, 6]]]);
    const { prompts } = analyze('settings/review.toml', text);
    assert.strictEqual(prompts.length, 1);
    assert.deepStrictEqual([prompts[0].model.id, prompts[0].model.from], ['gpt-4o-mini', 'file'], 'the model the file names for itself ([config] model)');
    assert.ok(prompts[0].tokens.input > 10);
  });

  it('a prompt-named key holds a prompt, with the model beside it', () => {
    const text = ['[[agents]]', 'name = "researcher"', 'model = "gpt-4o"', 'system_prompt = "You are a research assistant who cites every source you use."', ''].join('\n');
    const { prompts } = analyze('agents.toml', text);
    assert.deepStrictEqual(prompts.map((p) => [p.model.id, p.parts.map((x) => [x.role, x.range.start.line])]), [['gpt-4o', [['system', 3]]]]);
  });

  it('settings that are not prompts stay silent: tool configs, short role-named values, no prose', () => {
    assert.deepStrictEqual(parts('pyproject.toml', '[tool.quiz]\nprompt = "Pick the answer you believe is right, then press enter."\n'), []);
    assert.deepStrictEqual(parts('ops/deploy.toml', '[server]\nuser = "deploy"\nsystem = "debian-12"\n'), []);
    assert.deepStrictEqual(parts('config.toml', '[theme]\ncolor = "blue"\n'), []);
  });

  it('a broken file known by its name (named for prompts, a Gemini CLI command; a prompts.yaml too) is an error: unreadable, so a gate fails', async () => {
    const ws = tempDir('pc-toml-broken-');
    fs.mkdirSync(path.join(ws, 'settings'));
    fs.mkdirSync(path.join(ws, '.gemini', 'commands'), { recursive: true });
    fs.writeFileSync(path.join(ws, 'settings', 'review_prompts.toml'), '[review_prompt]\nsystem = "You review code.\n');
    fs.writeFileSync(path.join(ws, '.gemini', 'commands', 'explain.toml'), 'prompt = """\nExplain {{args}}\n');
    fs.writeFileSync(path.join(ws, 'prompts.yaml'), 'greeting:\n  text: "Hello there\n');
    const report = await scanWorkspace({ root: ws, workers: 0 });
    assert.deepStrictEqual((report.unreadable ?? []).map((u) => u.file).sort(), ['.gemini/commands/explain.toml', 'prompts.yaml', 'settings/review_prompts.toml']);
    // the Markdown report gives each diagnostic its place once
    const md = formatMarkdown(report);
    assert.match(md, /`settings\/review_prompts\.toml:2`: malformed TOML/);
    assert.doesNotMatch(md, /`settings\/review_prompts\.toml:2`: settings\/review_prompts\.toml:2/);
  });

  it('broken TOML that looks like prompts is a warning at its line; nothing is read from it, nothing throws', () => {
    const { prompts, diagnostics } = analyze('settings/review.toml', '[review_prompt]\nsystem = """You review code.\nuser = "x"\n');
    assert.deepStrictEqual(prompts, []);
    assert.deepStrictEqual(diagnostics.map((d) => [d.code, d.severity, d.range.start.line, d.message]), [
      ['prompt-file-error', 'warning', 1, 'settings/review.toml:2: malformed TOML: the """ string is never closed (its prompts are not read)'],
    ]);
  });
});

describe('Gemini CLI custom commands (.gemini/commands/*.toml)', () => {
  it('the prompt is the user request to a Gemini model, {{args}} and run-time inserts as slots, named as the command', () => {
    const text = 'description = "Explain code"\nprompt = """\nExplain this file: @{src/main.ts}\nFocus on {{args}}.\n"""\n';
    const found = engine.detectSync('.gemini/commands/code/explain.toml', text, {}).detected;
    assert.deepStrictEqual(found.map((p) => [p.kind, p.provider, p.label, p.parts.map((x) => [x.role, x.range.start.line, x.slots.map((s) => s.name)])]), [
      ['gemini-cli-command', 'google', '/code:explain', [['user', 1, ['@{src/main.ts}', 'args']]]],
    ]);
    const { prompts } = analyze('.gemini/commands/code/explain.toml', text);
    assert.match(prompts[0].model.id, /^gemini-/);
    assert.ok((prompts[0].notes ?? []).some((n) => /Gemini CLI custom command/.test(n)));
  });

  it('a Gemini CLI extension\'s commands/ folder: a file of prompt and description is a command; one with other keys is not', () => {
    const text = 'description = "Sets the project up"\nprompt = """\nYou are an agent that sets up this project, one step at a time.\n"""\n';
    assert.deepStrictEqual(engine.detectSync('commands/conductor/setup.toml', text, {}).detected.map((p) => [p.kind, p.label]), [['gemini-cli-command', '/conductor:setup']]);
    const other = 'name = "deploy"\nprompt = "Deploy to production now? Answer yes or no."\nscript = "deploy.sh"\n';
    assert.ok(engine.detectSync('commands/deploy.toml', other, {}).detected.every((p) => p.kind !== 'gemini-cli-command'));
  });

  it('a shell insert at the top changes on every call: a cache-breaker, no cacheable prefix', () => {
    const rules = 'Follow the team rules for commit messages, every one of them, without exception. '.repeat(120);
    const text = '# prompt-cost: callsPerDay=5000\nprompt = """\n!{git diff --staged}\n' + rules + '\n"""\n';
    const { prompts } = analyze('.gemini/commands/review.toml', text);
    const codes = prompts[0].diagnostics.map((d) => d.code);
    assert.ok(codes.includes('cache-breaker'), codes.join());
    assert.ok(!codes.includes('cacheable-prefix'), codes.join());
    assert.match(prompts[0].diagnostics.find((d) => d.code === 'cache-breaker')!.message, /!\{git diff --staged\}/);
  });

  it('a command file without a prompt yields nothing', () => {
    assert.deepStrictEqual(parts('.gemini/commands/empty.toml', 'description = "A prompt will go here later"\nprompt = ""\n'), []);
  });
});
