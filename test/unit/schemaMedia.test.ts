import { countWithEncoding as warmEncoder } from '../../src/core/tokens';
import * as assert from 'assert';
import { Engine } from '../../src/core/analyze';
import { emptyConfig, parseConfig } from '../../src/core/config';
import { breakdownMarkdown } from '../../src/core/report/breakdown';
import { PRICE_DATA } from '../../src/core/prices';
import { countWithEncoding } from '../../src/core/tokens';
import { anthropicImageTokens, geminiImageTokens, openaiImageTokens } from '../../src/core/tokens/images';
import { DEFAULT_SCHEMA_TOKENS } from '../../src/core/tokens/extras';

const SCHEMA = { type: 'object', properties: { answer: { type: 'string' }, confidence: { type: 'number' } }, required: ['answer', 'confidence'], additionalProperties: false };


// Load both encoders first: the engine's per-file count budget would otherwise include building them.
before(() => {
  warmEncoder('warm up', 'o200k_base');
  warmEncoder('warm up', 'cl100k_base');
});

describe('structured output schemas', () => {
  it('response_format json_schema: the schema JSON counted, labelled an estimate, in tokens.schema', async () => {
    const text = `import OpenAI from 'openai';
const client = new OpenAI();
client.chat.completions.create({
  model: 'gpt-4o',
  messages: [{ role: 'user', content: 'Is the sky blue? Answer with your confidence.' }],
  response_format: { type: 'json_schema', json_schema: { name: 'answer', strict: true, schema: ${JSON.stringify(SCHEMA)} } },
});
`;
    const p = (await new Engine().analyze('a.ts', text, { config: emptyConfig() })).prompts[0];
    assert.strictEqual(p.tokens.schema, countWithEncoding(JSON.stringify(SCHEMA), 'o200k_base'));
    assert.strictEqual(p.schema!.items[0].name, 'answer');
    assert.strictEqual(p.tokens.exact, false, 'no provider documents how the schema is rendered');
    assert.match(breakdownMarkdown(p, PRICE_DATA), /output schema — response_format/);
  });

  it('zodResponseFormat, AI SDK generateObject schema, Gemini responseSchema and a Pydantic output_type', async () => {
    const zod = `import OpenAI from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import { z } from 'zod';
const Answer = z.object({ answer: z.string(), confidence: z.number() });
const client = new OpenAI();
client.chat.completions.parse({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Is the sky blue?' }], response_format: zodResponseFormat(Answer, 'answer') });
`;
    const z = (await new Engine().analyze('z.ts', zod, { config: emptyConfig() })).prompts[0];
    assert.strictEqual(z.schema!.items[0].name, 'answer');
    assert.strictEqual(z.tokens.schema, countWithEncoding(JSON.stringify(SCHEMA), 'o200k_base'), 'zod converts to the same JSON Schema');

    const ai = `import { generateObject } from 'ai';
import { openai } from '@ai-sdk/openai';
import { z } from 'zod';
await generateObject({ model: openai('gpt-4o'), prompt: 'Is the sky blue?', schema: z.object({ answer: z.string(), confidence: z.number() }) });
`;
    const a = (await new Engine().analyze('ai.ts', ai, { config: emptyConfig() })).prompts[0];
    assert.strictEqual(a.tokens.schema, z.tokens.schema);

    const gemini = `from google import genai
client = genai.Client()
client.models.generate_content(model="gemini-2.5-flash", contents="Is the sky blue?", config={"response_mime_type": "application/json", "response_schema": {"type": "object", "properties": {"answer": {"type": "string"}}}})
`;
    const g = (await new Engine().analyze('g.py', gemini, { config: emptyConfig() })).prompts[0];
    assert.ok(g.tokens.schema! > 5);

    const agent = `from agents import Agent
from pydantic import BaseModel, Field

class Verdict(BaseModel):
    answer: str = Field(description="yes or no")
    confidence: float

agent = Agent(name="Judge", model="gpt-4o", instructions="Judge whether the claim is true.", output_type=Verdict)
`;
    const v = (await new Engine().analyze('v.py', agent, { config: emptyConfig() })).prompts[0];
    assert.strictEqual(v.schema!.items[0].name, 'Verdict');
    assert.ok(v.tokens.schema! > 10);
  });

  it('a schema that cannot be read is a labelled estimate with the reason', async () => {
    const text = `import OpenAI from 'openai';\nconst client = new OpenAI();\nexport const run = (format: any) => client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Hi there, please answer.' }], response_format: format });\n`;
    const p = (await new Engine().analyze('a.ts', text, { config: emptyConfig() })).prompts[0];
    assert.strictEqual(p.tokens.schema, DEFAULT_SCHEMA_TOKENS);
    assert.match(p.schema!.items[0].note!, /only known at run time/);
  });
});

describe('images and files in messages', () => {
  it("OpenAI's tile rule: the guide's examples", () => {
    assert.strictEqual(openaiImageTokens(4096, 8192, 'low'), 85);
    assert.strictEqual(openaiImageTokens(1024, 1024, 'high'), 765);
    assert.strictEqual(openaiImageTokens(2048, 4096, 'high'), 1105);
    assert.strictEqual(openaiImageTokens(1024, 1024, 'high', 'gpt-4o-mini'), 2833 + 4 * 5667);
  });

  it("Anthropic's area rule after the downscale; Gemini's tiles", () => {
    assert.strictEqual(anthropicImageTokens(200, 200), 54);
    assert.strictEqual(anthropicImageTokens(1000, 1000), 1334);
    assert.strictEqual(anthropicImageTokens(1092, 1092), 1590);
    assert.strictEqual(anthropicImageTokens(4000, 4000), 1590, 'scaled down to the cap');
    assert.strictEqual(geminiImageTokens(300, 300), 258);
    assert.strictEqual(geminiImageTokens(1024, 1024), 258 * 4);
  });

  it('an image in the messages: low detail is exact, otherwise an assumed size the config can set; PDFs not counted', async () => {
    const text = (detail: string) => `import OpenAI from 'openai';
const client = new OpenAI();
client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: [
  { type: 'text', text: 'What is in this picture?' },
  { type: 'image_url', image_url: { url, detail: '${detail}' } },
  { type: 'file', file: { filename: 'report.pdf', file_data: data } },
] }] });
`;
    const low = (await new Engine().analyze('a.ts', text('low'), { config: emptyConfig() })).prompts[0];
    assert.strictEqual(low.tokens.media, 85);
    const high = (await new Engine().analyze('a.ts', text('high'), { config: emptyConfig() })).prompts[0];
    assert.strictEqual(high.tokens.media, 765, '1024×1024 assumed');
    assert.match(high.media!.items[0].note!, /1024×1024 assumed/);
    const config = parseConfig('images:\n  width: 512\n  height: 512\n');
    const small = (await new Engine().analyze('a.ts', text('high'), { config })).prompts[0];
    assert.strictEqual(small.tokens.media, 85 + 170);
    const md = breakdownMarkdown(high, PRICE_DATA);
    assert.match(md, /PDF.*not counted/);
  });
});
