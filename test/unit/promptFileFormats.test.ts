// Request files (.http / .rest), workflow steps that call a model through an action, Cursor rules and
// agent configs with prompt templates: what each reads, and that broken input is an error at its line,
// never a crash and never silence (the marker fixtures in test/fixtures/files/shapes check what is found).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { Engine } from '../../src/core/analyze';
import { emptyConfig } from '../../src/core/config/types';
import { breakdownMarkdown } from '../../src/core/report/breakdown';
import { formatMarkdown } from '../../src/core/report/markdown';
import { formatTable } from '../../src/core/report/table';
import { scanWorkspace } from '../../src/core/workspace';
import { tempDir } from '../tempDir';

const engine = new Engine();
const analyze = (file: string, text: string) => engine.analyzeFile(file, text, { config: emptyConfig() });
const texts = (file: string, text: string) => engine.detectSync(file, text, {}).detected.map((p) => p.parts.map((x) => [x.role, x.text, x.range.start.line]));

const CHAT = (content: string) => `{\n  "model": "gpt-4o-mini",\n  "messages": [{"role": "user", "content": "${content}"}]\n}\n`;

describe('prompt file formats: .http requests, workflow actions, Cursor rules, agent templates', () => {
  it('.http: one prompt per request, its model, output limit and provider; a model-less Anthropic request gets the Anthropic default', () => {
    const text = [
      'POST https://api.openai.com/v1/chat/completions', 'Content-Type: application/json', '', CHAT('Name three rivers in Spain.'),
      '###', 'POST https://api.anthropic.com/v1/messages', 'anthropic-version: 2023-06-01', '',
      '{"max_tokens": 200, "system": [{"type": "text", "text": "You are terse."}], "messages": [{"role": "user", "content": "Hi there"}]}', '',
    ].join('\n');
    const { prompts, diagnostics } = analyze('api/chat.http', text);
    assert.deepStrictEqual(diagnostics.filter((d) => d.code === 'prompt-file-error'), []);
    assert.deepStrictEqual(prompts.map((p) => [p.kind, p.model.id, p.label]), [['http-request', 'gpt-4o-mini', 'line 1'], ['http-request', 'claude-sonnet-4-5', 'line 10']]);
    assert.deepStrictEqual(texts('api/chat.http', text)[1], [['system', 'You are terse.', 12], ['user', 'Hi there', 12]]);
    assert.strictEqual(prompts[1].tokens.output, 200);
  });

  it('.http: a model request whose JSON body is broken is an error at its line; the file\'s other requests are still read', () => {
    const text = ['POST https://api.openai.com/v1/chat/completions', '', '{', '  "messages": [{"role": "user", "content": "Hi"}', '}', '###',
      'POST https://api.openai.com/v1/chat/completions', '', CHAT('Say hello to the team.')].join('\n');
    const { prompts, diagnostics } = analyze('x.http', text);
    const errors = diagnostics.filter((d) => d.code === 'prompt-file-error');
    assert.strictEqual(errors.length, 1);
    assert.match(errors[0].message, /^x\.http:\d+: malformed JSON body of POST https:\/\/api\.openai\.com\/v1\/chat\/completions: /);
    assert.ok(errors[0].range.start.line >= 2 && errors[0].range.start.line <= 4, `at the body (line ${errors[0].range.start.line + 1})`);
    assert.strictEqual(prompts.length, 1);
    assert.deepStrictEqual(texts('x.http', text), [[['user', 'Say hello to the team.', 10]]]);
    // A broken body of some other API is not ours to judge.
    assert.deepStrictEqual(analyze('y.http', 'POST https://tickets.example.com/api\n\n{"title": "x",\n').diagnostics, []);
  });

  it('Rubberduck templates: a broken configuration or an unclosed block is an error at its line; the prompts still count', () => {
    const text = ['# T', '', '```json conversation-template', '{ "id": "t", "initialMessage": { "maxTokens": 50 ', '```', '',
      '```template-initial-message', 'Explain the selected code in plain words.', '{{selectedText}}', '```', '', '```template-response', 'Go on: {{lastMessage}}'].join('\n');
    const { prompts, diagnostics } = analyze('template/t.rdt.md', text);
    assert.deepStrictEqual(diagnostics.map((d) => [d.code, d.range.start.line]), [['prompt-file-error', 11], ['prompt-file-error', 3]]);
    assert.match(diagnostics[0].message, /^template\/t\.rdt\.md:12: the ``` block opened here is never closed$/);
    assert.match(diagnostics[1].message, /^template\/t\.rdt\.md:4: the conversation-template configuration is not valid JSON/);
    // the configuration could not be read: no output limit from it, the default applies
    assert.deepStrictEqual(texts('template/t.rdt.md', text), [[['user', 'Explain the selected code in plain words.\n{{selectedText}}', 7]]]);
    assert.strictEqual(prompts[0].kind, 'rubberduck-template');
    assert.notStrictEqual(prompts[0].tokens.output, 50);
  });

  it('.http and .rest files of any content never crash the reader', () => {
    const samples = ['', '###', 'POST', 'POST https://a\n\n{{{{', 'GET {{host\n\n"messages":', '###\n###\nPOST https://x\n\n["messages":]', 'POST https://x\n\n{"messages": "not a list", "input": 3, "system": {"a": 1}}'];
    for (const text of samples) for (const file of ['a.http', 'a.rest']) assert.doesNotThrow(() => analyze(file, text));
    assert.deepStrictEqual(analyze('a.rest', 'POST https://x\n\n{"messages": "not a list", "input": 3}').prompts, []);
  });

  it('a workflow calling a model action whose YAML is broken: an error at its line', () => {
    const text = 'jobs:\n  review:\n    steps:\n      - uses: anthropics/claude-code-action@v1\n        with:\n          prompt: "Review this\n';
    const { prompts, diagnostics } = analyze('.github/workflows/review.yml', text);
    assert.deepStrictEqual(prompts, []);
    assert.strictEqual(diagnostics[0]?.code, 'prompt-file-error');
    assert.match(diagnostics[0].message, /^\.github\/workflows\/review\.yml:6: malformed YAML: Missing closing "quote/);
  });

  it('an agent config with a prompt template whose YAML is broken: a warning at its line; other broken YAML stays silent', () => {
    const bad = analyze('config/agent.yaml', 'agent:\n  system_template: |\n    You are careful.\n  instance_template: "Fix {{task}}\nmodel:\n  model_name: gpt-4o\n');
    assert.strictEqual(bad.diagnostics.length, 1);
    assert.deepStrictEqual([bad.diagnostics[0].code, bad.diagnostics[0].severity], ['prompt-file-error', 'warning']);
    assert.match(bad.diagnostics[0].message, /^config\/agent\.yaml:4: malformed YAML: .*\(its prompt-named keys are not read\)$/);
    assert.deepStrictEqual(analyze('config/setup.yaml', 'steps:\n  instructions: "Run the installer\n').diagnostics, []);
  });

  it('a Cursor rule whose frontmatter is never closed: an error at line 1; loose frontmatter (`globs: *.ts`) is read', () => {
    const open = analyze('.cursor/rules/style.mdc', '---\ndescription: style\nUse tabs.\n');
    assert.deepStrictEqual(open.prompts, []);
    assert.match(open.diagnostics[0]?.message ?? '', /^\.cursor\/rules\/style\.mdc:1: the frontmatter opened here is never closed/);
    const loose = analyze('.cursor/rules/ts.mdc', '---\nglobs: *.ts, src/**/*.tsx\nalwaysApply: false\n---\nUse tabs for indentation.\n');
    assert.deepStrictEqual(loose.diagnostics.filter((d) => d.code === 'prompt-file-error'), []);
    assert.deepStrictEqual(loose.prompts.map((p) => p.kind), ['cursor-rule']);
    assert.deepStrictEqual(texts('.cursor/rules/ts.mdc', '---\nglobs: *.ts, src/**/*.tsx\nalwaysApply: false\n---\nUse tabs for indentation.\n'), [[['system', 'Use tabs for indentation.', 4]]]);
    assert.match((loose.prompts[0].notes ?? []).join('\n'), /requests about files matching \*\.ts, src\/\*\*\/\*\.tsx/);
  });

  it('Claude Code: a subagent is system text at its model or the Anthropic default; a command is the request, $ARGUMENTS and $1 its slots', () => {
    const agent = analyze('.claude/agents/tester.md', "---\nname: tester\ndescription: Examples:\\n- user: 'add tests'\\n  assistant: 'I will call tester'\nmodel: sonnet\n---\n\nYou write unit tests.\n");
    assert.deepStrictEqual(agent.diagnostics.filter((d) => d.code === 'prompt-file-error'), []);
    assert.deepStrictEqual(agent.prompts.map((p) => [p.kind, p.model.id]), [['claude-code-agent', 'claude-sonnet-4-5']]);
    assert.deepStrictEqual(texts('.claude/agents/tester.md', '---\nname: tester\n---\nYou write unit tests.\n'), [[['system', 'You write unit tests.', 3]]]);
    // No `name`: not a subagent Claude Code would load.
    assert.deepStrictEqual(analyze('.claude/agents/notes.md', 'Notes about the agents of this folder.\n').prompts, []);
    const command = engine.detectSync('.claude/commands/fix.md', '---\nmodel: claude-opus-4-1\n---\nFix issue $1 as $ARGUMENTS says, and costs $10 nothing.\n', {}).detected;
    assert.deepStrictEqual(command.map((p) => [p.kind, p.model?.id, p.parts.map((x) => [x.role, x.slots.map((s) => s.name)])]), [['claude-code-command', 'claude-opus-4-1', [['user', ['1', 'ARGUMENTS']]]]]);
    const open = analyze('.claude/commands/fix.md', '---\ndescription: fix\nFix it.\n');
    assert.match(open.diagnostics[0]?.message ?? '', /^\.claude\/commands\/fix\.md:1: the frontmatter opened here is never closed/);
  });

  describe('what the figure of a Cursor rule means', () => {
    let ws: string;
    before(() => {
      ws = tempDir('pc-cursor-');
      fs.mkdirSync(path.join(ws, '.cursor', 'rules'), { recursive: true });
      fs.writeFileSync(path.join(ws, '.cursor', 'rules', 'tests.mdc'), '---\nalwaysApply: true\n---\nWrite a test for every bug you fix, before the fix.\n');
      fs.writeFileSync(path.join(ws, 'review.prompt.md'), 'Review the selected code for bugs and explain each one briefly.\n');
    });

    it('the hover says Cursor bills otherwise; the table and Markdown mark the model and explain both assistants once', async () => {
      const report = await scanWorkspace({ root: ws, workers: 0 });
      const rule = report.prompts.find((p) => p.kind === 'cursor-rule')!;
      assert.ok(rule);
      assert.match(breakdownMarkdown(rule, report.prices), /API rates.*Cursor itself bills by plan and request/);
      assert.match(breakdownMarkdown(rule, report.prices), /every request \(alwaysApply\)/);
      const table = formatTable(report);
      assert.match(table, /^† 2 prompts are a Copilot file \(\.prompt\.md, instructions, agents\) and a Cursor rule \(\.cursor\/rules, \.cursorrules\), priced at the model's API rates.* Copilot itself bills per seat and premium request, Cursor by plan and request, not per token\./m);
      assert.strictEqual(formatTable(report).split('\n').filter((l) => /^\.cursor\/rules\/tests\.mdc:\d+ .*†/.test(l)).length, 1);
      const only = await scanWorkspace({ root: ws, workers: 0, exclude: ['**/*.prompt.md'] });
      assert.match(formatMarkdown(only), /^† 1 prompt is a Cursor rule \(\.cursor\/rules, \.cursorrules\), .* Cursor itself bills by plan and request, not per token\./m);
    });
  });
});
