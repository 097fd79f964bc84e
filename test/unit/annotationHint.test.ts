// Tryout finding 10: the hint that says how to set the expected output (where an output limit such as
// max_tokens is priced) names an annotation in the file's own comment syntax, and where it goes there.
import * as assert from 'assert';
import { Engine } from '../../src/core/analyze';
import { parseConfig } from '../../src/core/config';
import { breakdownMarkdown } from '../../src/core/report/breakdown';
import { annotationHint, outputSource } from '../../src/core/report/wording';
import type { PromptReport } from '../../src/core/model';

const ts = `import OpenAI from 'openai';
const c = new OpenAI();
export const ask = (q: string) => c.chat.completions.create({ model: 'gpt-4o', max_tokens: 300, messages: [{ role: 'user', content: \`Answer: \${q}\` }] });
`;
const py = `from openai import OpenAI
client = OpenAI()
def ask(q):
    return client.chat.completions.create(model="gpt-4o", max_tokens=300, messages=[{"role": "user", "content": q}])
`;
const yml = `name: Extract
model: openai/gpt-4o
modelParameters:
  max_tokens: 300
messages:
  - role: system
    content: Extract the invoice number.
`;
const prompty = `---
name: Classify
model:
  api: chat
  configuration:
    type: openai
    name: gpt-4o-mini
  parameters:
    max_tokens: 20
---
system:
Classify the ticket.
`;

async function first(file: string, text: string): Promise<PromptReport> {
  const r = await new Engine().analyze(file, text, { config: parseConfig('') });
  assert.ok(r.prompts.length, `${file}: a prompt`);
  return r.prompts[0];
}

describe('the output-limit hint uses the file\'s comment syntax', () => {
  it('// for JS/TS, # for Python, a front-matter or YAML comment for prompt files', async () => {
    const cases: [string, string, RegExp][] = [
      ['a.ts', ts, /a `\/\/ prompt-cost: outputTokens=N` annotation on the line above the call/],
      ['a.py', py, /a `# prompt-cost: outputTokens=N` annotation on the line above the call/],
      ['x.prompt.yml', yml, /a `# prompt-cost: outputTokens=N` comment line in the file/],
      ['c.prompty', prompty, /a `# prompt-cost: outputTokens=N` comment line in the file's front matter/],
    ];
    for (const [file, text, want] of cases) {
      const p = await first(file, text);
      const source = outputSource(p);
      assert.match(source, /^up to max_tokens/, `${file}: ${source}`);
      assert.match(source, want, `${file}: ${source}`);
      assert.match(breakdownMarkdown(p, { source: 's', version: 'v', asOf: '2026-01-01' }), want, `${file}: the hover says the same`);
    }
    const tsSource = outputSource(await first('a.ts', ts));
    assert.doesNotMatch(tsSource, /`# prompt-cost/);
  });

  it('a text prompt file (no comment syntax) is pointed at .promptcost.yaml', () => {
    const p = { file: 'prompts/reply.txt' } as PromptReport;
    assert.match(annotationHint(p), /^an override in \.promptcost\.yaml \(`overrides: \[\{ path: "prompts\/reply\.txt", outputTokens: N \}\]`\)$/);
  });
});
