// The README's detection tables against the engine: the confidence words it lists are the ones a
// finding carries (one file with a finder's call, a shape-layer find and a heuristic find), and every
// SDK finder has a row saying where the model, text, tools and output limit come from.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { Engine } from '../../src/core/analyze';
import { emptyConfig } from '../../src/core/config';
import { FINDERS } from '../../src/core/detect/code';

const README = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');

/** The rows of the Markdown table whose header row starts with `| first |`. */
function table(first: string): string[][] {
  const lines = README.split('\n');
  const at = lines.findIndex((l) => l.startsWith(`| ${first} |`));
  assert.ok(at >= 0, `README has a table headed "${first}"`);
  const rows: string[][] = [];
  for (const l of lines.slice(at)) {
    if (!l.startsWith('|')) break;
    rows.push(l.slice(1, -1).split(/(?<!\\)\|/).map((c) => c.trim()));
  }
  return rows.filter((_, i) => i !== 1);
}

// README row names of each finder family.
const FAMILY_ROW: Record<string, string> = {
  openai: 'OpenAI', 'openai-agents': 'OpenAI', anthropic: 'Anthropic', 'ai-sdk': 'Vercel AI SDK',
  langchain: 'LangChain (JS, Python)', google: 'Google GenAI', litellm: 'LiteLLM', ollama: 'Ollama', 'pydantic-ai': 'pydantic-ai',
};

describe('README: what detection finds', () => {
  it('the confidence table lists exactly the words findings carry', async () => {
    const words = table('`confidence`').slice(1).map((r) => r[0].replace(/`/g, ''));
    const text = `import OpenAI from 'openai';
const client = new OpenAI();
client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Summarise the ticket below in two sentences for the on-call engineer.' }] });
export function ask(runAgent: (o: object) => void) {
  runAgent({ instructions: 'You are a careful reviewer of pull requests. Point out bugs, not style, and say why each matters.' });
}
export const REVIEW_SYSTEM_PROMPT = 'You review database migrations for safety: locking, long rewrites, missing indexes, and data loss. Answer with a list of risks.';
`;
    const r = await new Engine().analyze('app.ts', text, { config: emptyConfig() });
    const found = [...new Set(r.prompts.map((p) => p.confidence))].sort();
    assert.deepStrictEqual(found, [...words].sort(), JSON.stringify(r.prompts.map((p) => [p.kind, p.confidence])));
  });

  it('every SDK finder has a row: calls, model, text, tools and output limit', () => {
    const rows = table('SDK');
    assert.deepStrictEqual(rows[0], ['SDK', 'calls', 'model from', 'text (role)', 'tools, schema', 'output limit from']);
    for (const finder of FINDERS) {
      const row = rows.find((r) => r[0] === FAMILY_ROW[finder.family]);
      assert.ok(row, `a README row for the ${finder.family} finder`);
      assert.ok(row.every((c) => c && c !== '—'), `${row[0]}: every column says something`);
    }
  });
});
