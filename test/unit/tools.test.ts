import { countWithEncoding as warmEncoder } from '../../src/core/tokens';
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { Engine } from '../../src/core/analyze';
import { emptyConfig } from '../../src/core/config';
import { breakdownMarkdown } from '../../src/core/report/breakdown';
import { PRICE_DATA } from '../../src/core/prices';
import { ANTHROPIC_TOOL_USE_ROWS, anthropicToolUseOverhead } from '../../src/core/tokens/anthropicToolUse';
import { DEFAULT_TOOL_TOKENS } from '../../src/core/tokens/tools';
import { scanWorkspace } from '../../src/core/workspace';
import { tempDir } from '../tempDir';

// The OpenAI cookbook's example ("How to count tokens with tiktoken", num_tokens_for_tools): one
// function, a system and a user message. The cookbook reports 101 input tokens for gpt-4o and
// gpt-4o-mini, 105 for gpt-4 and gpt-3.5-turbo.
const WEATHER_TOOL_TS = `{
  type: 'function',
  function: {
    name: 'get_current_weather',
    description: 'Get the current weather in a given location',
    parameters: {
      type: 'object',
      properties: {
        location: { type: 'string', description: 'The city and state, e.g. San Francisco, CA' },
        unit: { type: 'string', description: 'The unit of temperature to return', enum: ['celsius', 'fahrenheit'] },
      },
      required: ['location'],
    },
  },
}`;
const MESSAGES_TS = `[
    { role: 'system', content: 'You are a helpful assistant that can answer to questions about the weather.' },
    { role: 'user', content: "What's the weather like in San Francisco?" },
  ]`;
const cookbookTs = (model: string) => `import OpenAI from 'openai';
const client = new OpenAI();
const tools = [${WEATHER_TOOL_TS}];
client.chat.completions.create({ model: '${model}', messages: ${MESSAGES_TS}, tools });
`;

const COOKBOOK_PY = (model: string) => `from openai import OpenAI
client = OpenAI()
tools = [
  {
    "type": "function",
    "function": {
      "name": "get_current_weather",
      "description": "Get the current weather in a given location",
      "parameters": {
        "type": "object",
        "properties": {
          "location": {"type": "string", "description": "The city and state, e.g. San Francisco, CA"},
          "unit": {"type": "string", "description": "The unit of temperature to return", "enum": ["celsius", "fahrenheit"]},
        },
        "required": ["location"],
      },
    },
  }
]
example_messages = [
    {"role": "system", "content": "You are a helpful assistant that can answer to questions about the weather."},
    {"role": "user", "content": "What's the weather like in San Francisco?"},
]
client.chat.completions.create(model="${model}", messages=example_messages, tools=tools, temperature=0)
`;

function tree(files: Record<string, string>): string {
  const dir = tempDir('pc-tools-');
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}


// Load both encoders first: the engine's per-file count budget would otherwise include building them.
before(() => {
  warmEncoder('warm up', 'o200k_base');
  warmEncoder('warm up', 'cl100k_base');
});

describe('tool definitions', () => {
  for (const [model, expected] of [['gpt-4o', 101], ['gpt-4o-mini', 101], ['gpt-4', 105], ['gpt-3.5-turbo', 105]] as const) {
    it(`the cookbook's weather example is ${expected} input tokens on ${model} (TypeScript and Python)`, async () => {
      for (const [file, text] of [['a.ts', cookbookTs(model)], ['a.py', COOKBOOK_PY(model)]]) {
        const r = await new Engine().analyze(file, text, { config: emptyConfig() });
        const [p] = r.prompts;
        assert.strictEqual(p.tokens.input, expected, `${file} on ${model}`);
        assert.strictEqual(p.tokens.exact, true, 'the cookbook publishes constants for this model');
        assert.strictEqual(p.tools?.items.length, 1);
        assert.strictEqual(p.tools?.items[0].name, 'get_current_weather');
        assert.strictEqual(p.tokens.tools, expected === 101 ? 68 : 71);
      }
    });
  }

  it('the hover has a line for the tools, with the method and each tool', async () => {
    const r = await new Engine().analyze('a.ts', cookbookTs('gpt-4o'), { config: emptyConfig() });
    const md = breakdownMarkdown(r.prompts[0], PRICE_DATA);
    assert.match(md, /\| tools \(1\) — cookbook function-calling formula \(gpt-4o constants\) \| 68 \|/);
    assert.match(md, /`get_current_weather`/);
    assert.match(md, /How to count tokens with tiktoken/);
  });

  it('legacy functions, Responses tools (with a built-in tool named, not counted) and a model without published constants', async () => {
    const fn = WEATHER_TOOL_TS.replace(/^\{\s*type: 'function',\s*function: /, '').replace(/,\s*\}$/, '');
    const legacy = `import OpenAI from 'openai';\nconst client = new OpenAI();\nclient.chat.completions.create({ model: 'gpt-4o', messages: ${MESSAGES_TS}, functions: [${fn}] });\n`;
    const l = await new Engine().analyze('l.ts', legacy, { config: emptyConfig() });
    assert.strictEqual(l.prompts[0].tokens.input, 101);
    const flat = WEATHER_TOOL_TS.replace("function: {\n    name", "name").replace(/\n  },\n}$/, '\n}');
    const responses = `import OpenAI from 'openai';\nconst client = new OpenAI();\nclient.responses.create({ model: 'gpt-4.1', instructions: 'Answer about the weather.', input: 'Weather in Paris?', tools: [${flat}, { type: 'web_search_preview' }] });\n`;
    const rs = await new Engine().analyze('r.ts', responses, { config: emptyConfig() });
    const t = rs.prompts[0].tools!;
    assert.strictEqual(t.items.length, 1);
    assert.strictEqual(t.exact, false, 'gpt-4.1: constants not published, an estimate');
    assert.ok(t.notes?.some((n) => /web_search_preview/.test(n)));
    assert.strictEqual(rs.prompts[0].tokens.exact, false);
  });

  it('tools defined in another file, or returned by a helper, resolve like prompt text', async () => {
    const dir = tree({
      'src/tools.ts': `export const weatherTool = ${WEATHER_TOOL_TS};\nexport function makeTools() { return [weatherTool]; }\n`,
      'src/app.ts': `import OpenAI from 'openai';\nimport { makeTools } from './tools';\nconst client = new OpenAI();\nclient.chat.completions.create({ model: 'gpt-4o', messages: ${MESSAGES_TS}, tools: makeTools() });\n`,
    });
    const r = await scanWorkspace({ root: dir, workers: 0 });
    assert.strictEqual(r.prompts[0].tokens.input, 101);
    assert.strictEqual(r.prompts[0].tokens.tools, 68);
  });

  it('tools that cannot be read are a labelled estimate with the reason, never 0', async () => {
    const text = `import OpenAI from 'openai';\nconst client = new OpenAI();\nexport function run(tools: any[]) {\n  return client.chat.completions.create({ model: 'gpt-4o', messages: ${MESSAGES_TS}, tools });\n}\n`;
    const r = await new Engine().analyze('a.ts', text, { config: emptyConfig() });
    const p = r.prompts[0];
    assert.strictEqual(p.tokens.tools, DEFAULT_TOOL_TOKENS);
    assert.strictEqual(p.tokens.input, 33 + DEFAULT_TOOL_TOKENS);
    assert.strictEqual(p.tokens.exact, false);
    assert.match(p.tools!.items[0].note!, /only known at run time/);
    assert.match(breakdownMarkdown(p, PRICE_DATA), /tokens assumed/);
  });

  it('AI SDK tool() with a zod inputSchema, keyed by name; Agents SDK tool() with zod parameters', async () => {
    const ai = `import { generateText, tool } from 'ai';
import { openai } from '@ai-sdk/openai';
import { z } from 'zod';
await generateText({
  model: openai('gpt-4o'),
  messages: ${MESSAGES_TS},
  tools: {
    get_current_weather: tool({
      description: 'Get the current weather in a given location',
      inputSchema: z.object({
        location: z.string().describe('The city and state, e.g. San Francisco, CA'),
        unit: z.enum(['celsius', 'fahrenheit']).optional().describe('The unit of temperature to return'),
      }),
      execute: async ({ location }) => ({ location, temperature: 20 }),
    }),
  },
});
`;
    const a = await new Engine().analyze('ai.ts', ai, { config: emptyConfig() });
    assert.strictEqual(a.prompts[0].tokens.tools, 68, 'the same definition through zod counts the same');
    const agents = `import { Agent, tool } from '@openai/agents';
import { z } from 'zod';
const getWeather = tool({
  name: 'get_current_weather',
  description: 'Get the current weather in a given location',
  parameters: z.object({ location: z.string().describe('The city and state, e.g. San Francisco, CA'), unit: z.enum(['celsius', 'fahrenheit']).describe('The unit of temperature to return') }),
  execute: async () => 'sunny',
});
export const agent = new Agent({ name: 'Weather', model: 'gpt-4o', instructions: 'You answer questions about the weather.', tools: [getWeather] });
`;
    const g = await new Engine().analyze('agent.ts', agents, { config: emptyConfig() });
    assert.strictEqual(g.prompts[0].tokens.tools, 68);
  });

  it('Agents SDK @function_tool: name, docstring and typed parameters', async () => {
    const py = `from agents import Agent, function_tool
from typing import Literal

@function_tool
def get_current_weather(location: str, unit: Literal["celsius", "fahrenheit"] = "celsius") -> str:
    """Get the current weather in a given location.

    Args:
        location: The city and state, e.g. San Francisco, CA
        unit: The unit of temperature to return
    """
    return "sunny"

agent = Agent(name="Weather", model="gpt-4o", instructions="You answer questions about the weather.", tools=[get_current_weather])
`;
    const r = await new Engine().analyze('agent.py', py, { config: emptyConfig() });
    const t = r.prompts[0].tools!;
    assert.strictEqual(t.items[0].name, 'get_current_weather');
    assert.strictEqual(r.prompts[0].tokens.tools, 68, 'the Agents SDK schema of this function is the cookbook\'s definition');
  });

  it('Anthropic: the tool-use system prompt by model and tool_choice, plus the tools\' JSON; first in the cache order', async () => {
    const text = (model: string, choice = '') => `import Anthropic from '@anthropic-ai/sdk';
const client = new Anthropic();
client.messages.create({
  model: '${model}', max_tokens: 500,${choice}
  system: 'You answer questions about the weather.',
  messages: [{ role: 'user', content: question }],
  tools: [{ name: 'get_weather', description: 'Get the current weather in a given location', input_schema: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] } }],
});
`;
    const auto = (await new Engine().analyze('a.ts', text('claude-sonnet-4-5-20250929'), { config: emptyConfig() })).prompts[0];
    assert.strictEqual(auto.tools!.overheadTokens, 496);
    const any = (await new Engine().analyze('a.ts', text('claude-sonnet-4-5-20250929', "\n  tool_choice: { type: 'any' },"), { config: emptyConfig() })).prompts[0];
    assert.strictEqual(any.tools!.overheadTokens, 588);
    assert.ok(auto.tokens.tools! > 496, 'plus the JSON of the tool');
    assert.ok(auto.cache, 'Anthropic has a caching rule');
    assert.ok(auto.cache!.stablePrefixTokens >= auto.tokens.tools!, 'tools come before the system prompt in the stable prefix');
  });

  it('Anthropic tool overhead equals the published table for every listed model', () => {
    const models: [string, number, number][] = [
      ['claude-opus-5', 286, 406], ['claude-opus-4-8', 290, 410], ['claude-opus-4-7', 675, 804], ['claude-opus-4-6', 497, 589],
      ['claude-opus-4-5-20251101', 496, 588], ['claude-opus-4-1-20250805', 313, 315], ['claude-opus-4-20250514', 313, 315],
      ['claude-sonnet-5', 354, 474], ['claude-sonnet-4-6', 497, 589], ['claude-sonnet-4-5-20250929', 496, 588], ['claude-sonnet-4-20250514', 313, 315],
      ['claude-haiku-4-5-20251001', 496, 588], ['claude-3-5-haiku-20241022', 264, 355], ['claude-3-7-sonnet-20250219', 346, 313],
      ['claude-3-5-sonnet-20240620', 294, 261], ['claude-3-5-sonnet-20241022', 346, 313], ['claude-3-opus-20240229', 530, 281],
      ['claude-3-sonnet-20240229', 159, 235], ['claude-3-haiku-20240307', 264, 340],
      ['bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0', 496, 588], ['openrouter/anthropic/claude-sonnet-4.5', 496, 588],
    ];
    for (const [model, auto, any] of models) {
      assert.strictEqual(anthropicToolUseOverhead(model, 'auto', 1).tokens, auto, `${model} auto`);
      assert.strictEqual(anthropicToolUseOverhead(model, undefined, 1).tokens, auto, `${model} default choice`);
      assert.strictEqual(anthropicToolUseOverhead(model, 'none', 1).tokens, auto, `${model} none`);
      assert.strictEqual(anthropicToolUseOverhead(model, 'any', 1).tokens, any, `${model} any`);
      assert.strictEqual(anthropicToolUseOverhead(model, 'tool', 1).tokens, any, `${model} tool`);
    }
    assert.strictEqual(anthropicToolUseOverhead('claude-sonnet-4-5', 'none', 0).tokens, 0, 'no tools and tool_choice none: nothing');
    const unknown = anthropicToolUseOverhead('claude-opus-9', 'auto', 1);
    assert.strictEqual(unknown.listed, false);
    assert.strictEqual(unknown.tokens, Math.max(...ANTHROPIC_TOOL_USE_ROWS.map((r) => r.auto)));
  });

  it('Gemini function declarations: a labelled estimate', async () => {
    const text = `import { GoogleGenAI } from '@google/genai';
const ai = new GoogleGenAI({});
await ai.models.generateContent({
  model: 'gemini-2.5-flash',
  contents: 'What is the weather in Paris?',
  config: { tools: [{ functionDeclarations: [{ name: 'get_weather', description: 'Get the current weather in a given location', parameters: { type: 'object', properties: { location: { type: 'string' } } } }] }] },
});
`;
    const p = (await new Engine().analyze('g.ts', text, { config: emptyConfig() })).prompts[0];
    assert.strictEqual(p.tools!.items[0].name, 'get_weather');
    assert.strictEqual(p.tools!.exact, false);
    assert.match(p.tools!.method, /estimate/);
    assert.ok(p.tokens.tools! > 10);
  });

  it('scan JSON carries tokens.tools and the tools report', async () => {
    const dir = tree({ 'app.ts': cookbookTs('gpt-4o') });
    const r = await scanWorkspace({ root: dir, workers: 0 });
    const json = JSON.parse(JSON.stringify(r));
    assert.strictEqual(json.prompts[0].tokens.tools, 68);
    assert.strictEqual(json.prompts[0].tools.items[0].name, 'get_current_weather');
  });

  it('editing a function tool\'s docstring on another row re-counts the tools on the next keystroke', async () => {
    const py = (desc: string) => `from agents import Agent, function_tool

@function_tool
def lookup(city: str) -> str:
    """${desc}"""
    return "sunny"

agent = Agent(name="Weather", model="gpt-4o", instructions="You answer questions about the weather.", tools=[lookup])
`;
    const engine = new Engine();
    const first = await engine.analyze('agent.py', py('Look up the weather'), { config: emptyConfig() });
    const second = await engine.analyze('agent.py', py('Look up the current weather in a city, with the temperature in celsius and the chance of rain'), { config: emptyConfig() });
    const fresh = await new Engine().analyze('agent.py', py('Look up the current weather in a city, with the temperature in celsius and the chance of rain'), { config: emptyConfig() });
    assert.ok(second.prompts[0].tokens.tools! > first.prompts[0].tokens.tools!);
    assert.strictEqual(second.prompts[0].tokens.tools, fresh.prompts[0].tokens.tools);
  });
});

describe('hosted tools and agents as tools', () => {
  it('hosted tools are named, not counted; agent.asTool is a function tool with one string input', async () => {
    const text = `import { Agent, webSearchTool } from '@openai/agents';
const translator = new Agent({ name: 'Translator', model: 'gpt-4o', instructions: 'Translate to French.' });
export const agent = new Agent({
  name: 'Helper', model: 'gpt-4o', instructions: 'Help the user; translate when asked.',
  tools: [webSearchTool(), translator.asTool({ toolName: 'translate_to_french', toolDescription: 'Translate the text to French' })],
});
`;
    const r = await new Engine().analyze('a.ts', text, { config: emptyConfig() });
    const helper = r.prompts.find((p) => p.tools)!;
    assert.deepStrictEqual(helper.tools!.items.map((i) => i.name), ['translate_to_french']);
    assert.ok(helper.tools!.notes?.some((n) => /webSearchTool/.test(n)));
    assert.strictEqual(helper.tools!.exact, true);
  });
});

describe('provider of a call whose model is not known', () => {
  it('AI SDK anthropic(modelId) with a run-time id: the Anthropic default, not gpt-4o-mini', async () => {
    const text = `import { generateText } from 'ai';
import { anthropic } from '@ai-sdk/anthropic';
export async function run(modelId: string, question: string) {
  return generateText({ model: anthropic(modelId), system: 'You are a careful assistant.', prompt: question });
}
`;
    const p = (await new Engine().analyze('a.ts', text, { config: emptyConfig() })).prompts[0];
    assert.deepStrictEqual([p.model.id, p.model.from, p.tokens.exact], ['claude-sonnet-4-5', 'default for anthropic', false]);
  });
});
