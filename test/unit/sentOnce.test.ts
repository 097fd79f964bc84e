// A prompt sent by a call is counted once, as that call's: text added to its messages after the list is
// made, a jinja2 template its loader reads, an imported template in a message list kept in a variable
// (the fixtures under test/fixtures/code mark where each part starts).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { Engine } from '../../src/core/analyze';
import { emptyConfig } from '../../src/core/config';
import { scanWorkspace } from '../../src/core/workspace';
import { tempDir } from '../tempDir';

function tree(files: Record<string, string>): string {
  const dir = tempDir('pc-once-');
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}

const analyze = (text: string, file: string) => new Engine().analyze(file, text, { config: emptyConfig() });
const rows = (r: Awaited<ReturnType<typeof analyze>>) => r.prompts.map((p) => ({ kind: p.kind, model: p.model.id, roles: p.parts.map((x) => x.role) }));

describe('a prompt is counted once, in the call that sends it', () => {
  it('JS: messages pushed or unshifted into the list are parts of the call, at its model', async () => {
    const text = [
      "import OpenAI from 'openai';",
      'const client = new OpenAI();',
      "const SYSTEM = 'You are a helpful assistant that answers questions about the weather.';",
      'export async function ask(question: string) {',
      "  const messages = [{ role: 'system', content: SYSTEM }];",
      "  messages.push({ role: 'user', content: `Answer briefly and cite the forecast you used: ${question}` });",
      "  messages.unshift({ role: 'system', content: 'Today is a public holiday in every region you cover.' });",
      "  return await client.chat.completions.create({ model: 'gpt-4o', messages });",
      '}',
      '',
    ].join('\n');
    const r = await analyze(text, 'app.ts');
    assert.deepStrictEqual(rows(r), [{ kind: 'openai.chat', model: 'gpt-4o', roles: ['system', 'system', 'user'] }]);
    const [holiday, system, user] = r.prompts[0].parts;
    assert.deepStrictEqual([holiday.range.start.line, system.range.start.line, user.range.start.line], [6, 2, 5]);
    assert.deepStrictEqual(user.slots.map((s) => s.name), ['question']);
  });

  it('Python: messages appended in a loop, extended, added with += and inserted at the front are parts of the call', async () => {
    const text = [
      'from openai import OpenAI',
      'client = OpenAI()',
      'def answer(question, docs):',
      '    messages = [{"role": "system", "content": "You answer questions from the provided documents."}]',
      '    for doc in docs:',
      '        messages.append({"role": "user", "content": f"A document you may use to answer: {doc}"})',
      '    messages.extend([{"role": "user", "content": f"Now answer the question carefully: {question}"}])',
      '    messages += [{"role": "user", "content": "Then list the documents you used."}]',
      '    messages.insert(0, {"role": "system", "content": "Never answer from memory."})',
      '    return client.chat.completions.create(model="gpt-4o", messages=messages)',
      '',
    ].join('\n');
    const r = await analyze(text, 'rag.py');
    assert.deepStrictEqual(rows(r), [{ kind: 'openai.chat', model: 'gpt-4o', roles: ['system', 'system', 'user', 'user', 'user'] }]);
    assert.deepStrictEqual(r.prompts[0].parts.map((p) => p.range.start.line), [8, 3, 5, 6, 7]);
  });

  it('a list made again from itself ([...messages, m], [*messages, m]) keeps the earlier messages', async () => {
    const ts = await analyze([
      "import OpenAI from 'openai';",
      'const client = new OpenAI();',
      'export async function ask(q: string) {',
      "  let messages = [{ role: 'system', content: 'You are a careful assistant that explains weather warnings.' }];",
      "  messages = [...messages, { role: 'user', content: `Explain this warning to a child: ${q}` }];",
      "  return client.chat.completions.create({ model: 'gpt-4o', messages });",
      '}',
      '',
    ].join('\n'), 'app.ts');
    assert.deepStrictEqual(rows(ts), [{ kind: 'openai.chat', model: 'gpt-4o', roles: ['system', 'user'] }]);
    const py = await analyze([
      'from openai import OpenAI',
      'client = OpenAI()',
      'def ask(q):',
      '    messages = [{"role": "system", "content": "You are a careful assistant that explains weather warnings."}]',
      '    messages = [*messages, {"role": "user", "content": f"Explain this warning to a child: {q}"}]',
      '    return client.chat.completions.create(model="gpt-4o", messages=messages)',
      '',
    ].join('\n'), 'app.py');
    assert.deepStrictEqual(rows(py), [{ kind: 'openai.chat', model: 'gpt-4o', roles: ['system', 'user'] }]);
  });

  it('a message added after the call is not sent with it, unless a loop brings the call round again', async () => {
    const text = [
      'from openai import OpenAI',
      'client = OpenAI()',
      'def once(q):',
      '    messages = [{"role": "system", "content": "You are a careful assistant that explains weather warnings."}]',
      '    reply = client.chat.completions.create(model="gpt-4o", messages=messages)',
      '    messages.append({"role": "user", "content": f"A follow-up question asked later on: {q}"})',
      '    return reply',
      'def chat():',
      '    messages = [{"role": "system", "content": "You are a friendly assistant for a weather service."}]',
      '    while True:',
      '        reply = client.chat.completions.create(model="gpt-4o", messages=messages)',
      '        messages.append({"role": "user", "content": "Ask the user whether that answered the question."})',
      '',
    ].join('\n');
    const r = await analyze(text, 'app.py');
    const calls = r.prompts.filter((p) => p.kind === 'openai.chat');
    assert.deepStrictEqual(calls.map((p) => p.parts.map((x) => x.range.start.line)), [[3], [8, 11]]);
  });

  it('a tool result appended in a loop is a run-time slot, not the text of its fallback branch', async () => {
    const text = [
      'from ollama import chat',
      'def run(calls, tools):',
      '    messages = [{"role": "user", "content": "What is three plus one?"}]',
      '    for call in calls:',
      '        if call in tools:',
      '            output = tools[call]()',
      '        else:',
      '            output = "Function not found"',
      '        messages.append({"role": "tool", "content": str(output)})',
      '    return chat("llama3.1", messages=messages)',
      '',
    ].join('\n');
    const r = await analyze(text, 'tools.py');
    assert.deepStrictEqual(r.prompts.map((p) => p.parts.map((x) => [x.role, x.range.start.line, x.tokens > 0, x.slots.map((sl) => sl.name)])), [[['user', 2, true, []], ['tool', 8, false, ['output']]]]);
  });

  it('typing a push into a row re-evaluates the call that uses the list', () => {
    const text = [
      "import OpenAI from 'openai';",
      'const client = new OpenAI();',
      "const messages = [{ role: 'system', content: 'You are a helpful assistant for a weather service.' }];",
      "messages.pus({ role: 'user', content: 'Say whether it will rain tomorrow in one sentence.' });",
      "client.chat.completions.create({ model: 'gpt-4o', messages });",
      '',
    ].join('\n');
    const engine = new Engine();
    engine.detectSync('a.ts', text, {});
    const typed = text.replace('messages.pus(', 'messages.push(');
    const d = engine.detectSync('a.ts', typed, {});
    assert.deepStrictEqual(d.detected, new Engine().detectSync('a.ts', typed, {}).detected);
    assert.deepStrictEqual(d.detected.map((p) => p.parts.length), [2]);
  });

  it('a jinja2 template loaded with env.get_template through a FileSystemLoader or PackageLoader folder is the call\'s part (a folder not known: the usual ones)', async () => {
    const template = 'You are the support assistant for Acme Cloud. Answer {{ name }} using only the articles below.\n' + 'Say so when they do not cover the question. '.repeat(30) + '\n';
    const app = (load: string, head = 'from jinja2 import Environment, FileSystemLoader, PackageLoader') => [
      head,
      'from openai import OpenAI',
      'client = OpenAI()',
      'def answer(name, question):',
      `    system = ${load}.render(name=name)`,
      '    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": system}, {"role": "user", "content": question}])',
      '',
    ].join('\n');
    // what reading the same file with Path(…).read_text() gives
    const read = await scanWorkspace({ root: tree({ 'app/templates/answer.j2': template, 'app/main.py': app('Template(Path("app/templates/answer.j2").read_text())', 'from pathlib import Path\nfrom jinja2 import Template') }), workers: 0 });
    assert.deepStrictEqual(read.prompts.map((p) => p.parts.map((x) => x.file ?? p.file)), [['app/templates/answer.j2', 'app/main.py']]);
    // a folder known only at run time: the name under the usual template folders
    for (const loader of ['FileSystemLoader("app/templates")', 'FileSystemLoader(["missing", "app/templates"])', 'PackageLoader("app", "templates")', 'FileSystemLoader(os.environ["TEMPLATES"])']) {
      const r = await scanWorkspace({ root: tree({ 'app/templates/answer.j2': template, 'app/main.py': app(`Environment(loader=${loader}).get_template("answer.j2")`) }), workers: 0 });
      assert.deepStrictEqual(r.prompts.map((p) => [p.kind, p.model.id, p.parts.map((x) => x.file ?? p.file)]), [['openai.chat', 'gpt-4o', ['app/templates/answer.j2', 'app/main.py']]], loader);
      assert.strictEqual(r.prompts[0].tokens.input, read.prompts[0].tokens.input, loader);
    }
  });

  it('an imported template formatted into a message list kept in a variable is one row, the call\'s', async () => {
    const calls = {
      'anthropic.messages': ['import anthropic', 'client = anthropic.Anthropic()', 'client.messages.create(model="claude-sonnet-4-5", max_tokens=1024, messages=messages)'],
      'openai.chat': ['from openai import OpenAI', 'client = OpenAI()', 'client.chat.completions.create(model="gpt-4o", messages=messages)'],
    };
    for (const [kind, [imp, client, call]] of Object.entries(calls)) {
      const r = await scanWorkspace({
        root: tree({
          'prompts.py': 'ANSWER_TEMPLATE = """You are a support assistant for Acme Cloud. Answer the question below using only the excerpts.\n\nExcerpts:\n{context}\n\nQuestion: {question}"""\n',
          'app.py': [
            imp,
            'from prompts import ANSWER_TEMPLATE',
            client,
            'def answer(context, question):',
            '    messages = [',
            '        {"role": "user", "content": ANSWER_TEMPLATE.format(context=context, question=question)},',
            '    ]',
            `    return ${call}`,
            '',
          ].join('\n'),
        }),
        workers: 0,
      });
      assert.deepStrictEqual(r.prompts.map((p) => [p.kind, p.file, p.range.start.line, p.parts.map((x) => x.file)]), [[kind, 'app.py', 7, ['prompts.py']]], kind);
    }
  });
});
