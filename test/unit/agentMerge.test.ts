// An agent and its run are one request per run: the instructions go with every input, at the agent's
// model, and the agent is not priced again as a call of its own (tryout finding: `new Agent({instructions})`
// and `run(agent, '…')` were two rows, and a run of a run-time input had no row in Python).
import * as assert from 'assert';
import { Engine } from '../../src/core/analyze';
import { emptyConfig } from '../../src/core/config';
import * as fs from 'fs';
import * as path from 'path';
import { ensureLanguages } from '../../src/core/detect/code';
import { scanWorkspace } from '../../src/core/workspace';
import { tempDir } from '../tempDir';

const analyze = (text: string, file: string) => new Engine().analyze(file, text, { config: emptyConfig() });
const INSTRUCTIONS = 'You are a helpful assistant who answers questions about the weather in short sentences.';

describe('agents and their runs', () => {
  it('TS: each run is one prompt with the instructions and the input, at the agent\'s model', async () => {
    const text = [
      "import { Agent, run } from '@openai/agents';",
      `const agent = new Agent({ name: 'Assistant', model: 'gpt-4.1', instructions: '${INSTRUCTIONS}' });`,
      "export const main = () => run(agent, 'What is the weather in Tokyo today?');",
      'export const ask = (q: string) => run(agent, q);',
    ].join('\n');
    const r = await analyze(text, 'agent.ts');
    assert.deepStrictEqual(r.prompts.map((p) => [p.kind, p.range.start.line]), [['openai.agents.run', 2], ['openai.agents.run', 3]]);
    for (const p of r.prompts) {
      assert.strictEqual(p.model.id, 'gpt-4.1');
      assert.deepStrictEqual(p.parts.map((x) => [x.role, x.range.start.line]), [['system', 1], ['user', p.range.start.line]]);
    }
    const [fixed, variable] = r.prompts;
    assert.ok(fixed.parts[0].tokens > 10 && fixed.parts[1].tokens > 5);
    assert.deepStrictEqual(variable.parts[1].slots.map((s) => s.name), ['q']);
    // two messages: one chat overhead each, not one per prompt row
    assert.strictEqual(fixed.tokens.input, fixed.parts[0].tokens + fixed.parts[1].tokens + fixed.tokens.overhead);
  });

  it('Python: Runner.run with a literal and with a run-time input, and pydantic-ai run_sync', async () => {
    const text = [
      'from agents import Agent, Runner',
      `agent = Agent(name="Assistant", model="gpt-4.1", instructions="${INSTRUCTIONS}")`,
      'async def main():',
      '    return await Runner.run(agent, "What is the weather in Tokyo today?")',
      'def ask(q):',
      '    return Runner.run_sync(agent, q)',
    ].join('\n');
    const r = await analyze(text, 'agent.py');
    assert.deepStrictEqual(r.prompts.map((p) => p.range.start.line), [3, 5]);
    assert.ok(r.prompts.every((p) => p.parts[0].role === 'system' && p.parts[0].range.start.line === 1 && p.model.id === 'gpt-4.1'));
    assert.deepStrictEqual(r.prompts[1].parts[1].slots.map((s) => s.name), ['q']);

    const pyd = await analyze(['from pydantic_ai import Agent', 'agent = Agent("openai:gpt-4o", system_prompt="Be concise, reply with one sentence about the capital city asked.")', 'result = agent.run_sync("Where is the capital of France?")'].join('\n'), 'pyd.py');
    assert.strictEqual(pyd.prompts.length, 1);
    assert.deepStrictEqual(pyd.prompts[0].parts.map((x) => x.role), ['system', 'user']);
  });

  it('an agent with no run in its file stays a prompt of its own; an annotation above the agent reaches its runs', async () => {
    const alone = await analyze(["import { Agent } from '@openai/agents';", `export const agent = new Agent({ name: 'A', instructions: '${INSTRUCTIONS}' });`].join('\n'), 'a.ts');
    assert.deepStrictEqual(alone.prompts.map((p) => p.kind), ['openai.agent']);

    const annotated = await analyze([
      "import { Agent, run } from '@openai/agents';",
      '// prompt-cost: callsPerDay=4000 id=weather',
      'const agent = new Agent({',
      "  name: 'Assistant',",
      "  model: 'gpt-4.1',",
      `  instructions: '${INSTRUCTIONS}',`,
      '});',
      "export const main = () => run(agent, 'What is the weather in Tokyo today?');",
    ].join('\n'), 'b.ts');
    assert.strictEqual(annotated.prompts.length, 1);
    assert.strictEqual(annotated.prompts[0].traffic.callsPerDay, 4000);
    assert.strictEqual(annotated.prompts[0].id, 'weather');
    assert.deepStrictEqual(annotated.diagnostics.filter((d) => d.code === 'invalid-config'), []);
  });

  it('an agent built in another file: each run holds its instructions from where they are written, and the agent has no row', async () => {
    const dir = tempDir('pc-agents-');
    const write = (rel: string, text: string) => fs.writeFileSync(path.join(dir, rel), text);
    write('agents.ts', ["import { Agent } from '@openai/agents';", `export const weather = new Agent({ name: 'W', model: 'gpt-4.1', instructions: '${INSTRUCTIONS}' });`].join('\n'));
    write('main.ts', ["import { run } from '@openai/agents';", "import { weather } from './agents';", 'export const ask = (q: string) => run(weather, q);'].join('\n'));
    write('helpers.py', 'from agents import Agent\nhelper = Agent(name="helper", model="gpt-4.1", instructions="Answer in complete, formal sentences and avoid slang.")\n');
    write('app.py', 'from agents import Runner\nfrom helpers import helper\n\ndef ask(q):\n    return Runner.run_sync(helper, q)\n');
    const r = await scanWorkspace({ root: dir });
    assert.deepStrictEqual(r.prompts.map((p) => p.file).sort(), ['app.py', 'main.ts']);
    for (const p of r.prompts) {
      assert.strictEqual(p.model.id, 'gpt-4.1');
      assert.deepStrictEqual(p.parts.map((x) => [x.role, x.file]), [['system', p.file === 'main.ts' ? 'agents.ts' : 'helpers.py'], ['user', undefined]]);
      assert.ok(p.parts[0].tokens > 8);
    }
  });

  // pydantic-ai: prompts and tools registered on the agent by decorators are sent with every run of it
  const PYD_AGENT = [
    'from pydantic import BaseModel, Field',
    'from pydantic_ai import Agent, RunContext',
    '',
    'class Answer(BaseModel):',
    '    city: str = Field(description="The city recommended")',
    '    reason: str',
    '',
    'agent = Agent("openai:gpt-4o", system_prompt="You are a concise travel assistant who recommends one city.", output_type=Answer)',
    '',
    '@agent.system_prompt',
    'def add_user(ctx: RunContext[str]) -> str:',
    '    return f"The user\'s name is {ctx.deps}. Greet them by name before answering."',
    '',
    '@agent.instructions(dynamic=True)',
    'def season(ctx: RunContext[str]) -> str:',
    '    return "Mention the best season to visit the city you recommend."',
    '',
    '@agent.tool',
    'def weather(ctx: RunContext[str], city: str, days: int = 1) -> str:',
    '    """Look up the weather forecast for a city.',
    '',
    '    Args:',
    '        city: The city to look up.',
    '        days: How many days ahead.',
    '    """',
    '    return "sunny"',
    '',
    '@agent.tool_plain',
    'def population(city: str) -> int:',
    '    """Look up the population of a city."""',
    '    return 1',
  ];
  const PYD_RUNS = [
    'def ask():',
    '    return agent.run_sync("Where should I go in March?", deps="Ana")',
    'async def ask_async(q: str):',
    '    await agent.run(q, deps="Ana")',
    '    async with agent.run_stream("Where should I go in May?", deps="Ana") as r:',
    '        pass',
    '    async with agent.iter("Where should I go in June?", deps="Ana") as run:',
    '        pass',
  ];
  const figures = (p: import('../../src/core/model').PromptReport) => ({
    model: p.model.id, input: p.tokens.input, tools: p.tokens.tools, schema: p.tokens.schema,
    system: p.parts.filter((x) => x.role === 'system').map((x) => [x.file, x.range.start.line, x.tokens, x.slots.map((sl) => sl.name)]),
  });

  it('pydantic-ai: each run holds the agent\'s decorated prompts, its decorated tools and its output_type, and the functions have no row', async () => {
    const dir = tempDir('pc-pydantic-');
    fs.writeFileSync(path.join(dir, 'bot.py'), [...PYD_AGENT, ...PYD_RUNS].join('\n'));
    const r = await scanWorkspace({ root: dir });
    assert.deepStrictEqual(r.prompts.map((p) => [p.kind, p.range.start.line]), [['agent.run', 32], ['agent.run', 34], ['agent.run', 35], ['agent.run', 37]]);
    for (const p of r.prompts) {
      const f = figures(p);
      assert.strictEqual(f.model, 'openai/gpt-4o');
      // the system_prompt argument, then each decorated function's return (its f-string slot kept)
      assert.deepStrictEqual(f.system.map(([file, line, , slots]) => [file, line, slots]), [[undefined, 7, []], [undefined, 11, ['ctx.deps']], [undefined, 15, []]]);
      assert.ok(p.parts.every((x) => x.role === 'system' ? x.tokens > 5 : true));
      assert.ok((f.tools ?? 0) > 20 && (f.schema ?? 0) > 10, JSON.stringify(p.tokens));
      assert.deepStrictEqual(p.tools?.items.map((t) => t.name), ['weather', 'population']);
      assert.ok(p.tokens.input > p.parts.reduce((n, x) => n + x.tokens, 0) + (f.tools ?? 0) + (f.schema ?? 0));
    }
    assert.strictEqual(figures(r.prompts[0]).input, figures(r.prompts[3]).input);
  });

  it('pydantic-ai: the tools are the functions\' names, docstrings and parameters, without the RunContext', async () => {
    await ensureLanguages(['python']);
    const engine = new Engine();
    const detected = engine.detectSync('bot.py', [...PYD_AGENT, ...PYD_RUNS].join('\n'), {}).detected;
    const tools = detected[0].tools;
    assert.ok(tools);
    assert.deepStrictEqual(tools.definitions, [
      { name: 'weather', description: 'Look up the weather forecast for a city.', parameters: { type: 'object', properties: { city: { type: 'string', description: 'The city to look up.' }, days: { type: 'integer', description: 'How many days ahead.' } }, required: ['city'], additionalProperties: false } },
      { name: 'population', description: 'Look up the population of a city.', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false } },
    ]);
    assert.deepStrictEqual(detected[0].schema?.schema?.required, ['city', 'reason']);
    // an agent with no run is one prompt with all of it; output_type=str sends no schema
    const alone = await analyze(PYD_AGENT.map((l) => l.replace('output_type=Answer', 'output_type=str')).join('\n'), 'alone.py');
    assert.deepStrictEqual(alone.prompts.map((p) => [p.kind, p.parts.length, p.tools?.items.length, p.schema]), [['pydantic-ai.agent', 3, 2, undefined]]);
    // built with type arguments: the same agent
    const generic = await analyze([...PYD_AGENT.map((l) => l.replace('agent = Agent(', 'agent = Agent[str, Answer](')), ...PYD_RUNS].join('\n'), 'generic.py');
    assert.deepStrictEqual(generic.prompts.map((p) => [p.kind, p.parts.filter((x) => x.role === 'system').length, p.tools?.items.length, !!p.schema]), Array(4).fill(['agent.run', 3, 2, true]));
    // a list given to a run is the user message's content: its text counted, a file not
    const listed = await analyze([...PYD_AGENT, 'def see(image):', '    return agent.run_sync(["Describe the attached picture in one sentence.", image])'].join('\n'), 'see.py');
    assert.deepStrictEqual(listed.prompts[0].parts.filter((x) => x.role === 'user').map((x) => [x.range.start.line, x.slots.length]), [[32, 0]]);
  });

  it('pydantic-ai: an agent built in agents.py and run in app.py is priced as in one file', async () => {
    const one = tempDir('pc-pydantic-one-');
    fs.writeFileSync(path.join(one, 'bot.py'), [...PYD_AGENT, ...PYD_RUNS].join('\n'));
    const two = tempDir('pc-pydantic-two-');
    fs.writeFileSync(path.join(two, 'agents.py'), PYD_AGENT.join('\n'));
    fs.writeFileSync(path.join(two, 'app.py'), ['from agents import agent', '', ...PYD_RUNS].join('\n'));
    const [a, b] = [await scanWorkspace({ root: one }), await scanWorkspace({ root: two })];
    assert.deepStrictEqual(b.prompts.map((p) => [p.file, p.kind]), [['app.py', 'agent.run'], ['app.py', 'agent.run'], ['app.py', 'agent.run'], ['app.py', 'agent.run']]);
    a.prompts.forEach((p, i) => {
      const [x, y] = [figures(p), figures(b.prompts[i])];
      assert.deepStrictEqual({ ...y, system: y.system.map(([, line, tokens, slots]) => [line, tokens, slots]) }, { ...x, system: x.system.map(([, line, tokens, slots]) => [line, tokens, slots]) });
      assert.ok(y.system.every(([file]) => file === 'agents.py'));
    });
  });

  it('an agent with tools and an output type built in another file: its runs keep them (TS and Python Agents SDK)', async () => {
    const dir = tempDir('pc-agents-tools-');
    const write = (rel: string, text: string) => fs.writeFileSync(path.join(dir, rel), text);
    write('agents.ts', [
      "import { Agent, tool } from '@openai/agents';",
      "import { z } from 'zod';",
      "const weather = tool({ name: 'get_weather', description: 'Get the weather for a city.', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }, execute: async () => 'sunny' });",
      `export const assistant = new Agent({ name: 'W', model: 'gpt-4.1', instructions: '${INSTRUCTIONS}', tools: [weather], outputType: { type: 'json_schema', name: 'Reply', schema: { type: 'object', properties: { text: { type: 'string' } } } } });`,
    ].join('\n'));
    write('main.ts', ["import { run } from '@openai/agents';", "import { assistant } from './agents';", 'export const ask = (q: string) => run(assistant, q);'].join('\n'));
    write('helpers.py', [
      'from agents import Agent, function_tool',
      '@function_tool',
      'def lookup(order_id: str) -> str:',
      '    """Look up an order by its id."""',
      '    return "ok"',
      'helper = Agent(name="helper", model="gpt-4.1", instructions="Answer in complete, formal sentences and avoid slang.", tools=[lookup])',
    ].join('\n'));
    write('app.py', 'from agents import Runner\nfrom helpers import helper\n\ndef ask(q):\n    return Runner.run_sync(helper, q)\n');
    const r = await scanWorkspace({ root: dir });
    assert.deepStrictEqual(r.prompts.map((p) => [p.file, p.tools?.items.map((t) => t.name)]).sort(), [['app.py', ['lookup']], ['main.ts', ['get_weather']]]);
    for (const p of r.prompts) assert.ok((p.tokens.tools ?? 0) > 10, JSON.stringify(p.tokens));
    assert.ok((r.prompts.find((p) => p.file === 'main.ts')?.tokens.schema ?? 0) > 5);
  });

  it('a handoff target keeps its own row at its own model; the agent that hands off sends a transfer tool for it, not its instructions', async () => {
    const py = await analyze([
      'from agents import Agent, Runner, handoff',
      'billing = Agent(name="Billing team", model="gpt-4.1", instructions="You handle billing questions and refunds for customers politely.", handoff_description="Refunds and invoices")',
      'shipping = Agent(name="Shipping", model="gpt-4.1", instructions="You answer questions about delivery dates and parcel tracking.")',
      'triage = Agent(name="Triage", model="gpt-4.1-mini", instructions="You triage customer questions and hand off to the right team.", handoffs=[billing, handoff(shipping, tool_name_override="ask_shipping")])',
      'def ask(q):',
      '    return Runner.run_sync(triage, q)',
    ].join('\n'), 'support.py');
    assert.deepStrictEqual(py.prompts.map((p) => [p.kind, p.range.start.line, p.model.id]), [['openai.agent', 1, 'gpt-4.1'], ['openai.agent', 2, 'gpt-4.1'], ['agent.run', 5, 'gpt-4.1-mini']]);
    const run = py.prompts[2];
    assert.deepStrictEqual(run.parts.filter((x) => x.role === 'system').map((x) => x.range.start.line), [3]);
    assert.deepStrictEqual(run.tools?.items.map((t) => t.name), ['transfer_to_billing_team', 'ask_shipping']);
    assert.ok((run.tokens.tools ?? 0) > 20);
    assert.strictEqual(py.prompts[0].tools, undefined);

    const ts = await analyze([
      "import { Agent, handoff, run } from '@openai/agents';",
      "const billing = new Agent({ name: 'Billing', instructions: 'You handle billing questions and refunds for customers politely.', handoffDescription: 'Refunds' });",
      "const shipping = new Agent({ name: 'Shipping', instructions: 'You answer questions about delivery dates and parcel tracking.' });",
      "const triage = new Agent({ name: 'Triage', instructions: 'You triage customer questions and hand off to the right team.', handoffs: [billing, handoff(shipping, { toolDescriptionOverride: 'Delivery questions' })] });",
      'export const ask = (q: string) => run(triage, q);',
    ].join('\n'), 'support.ts');
    assert.deepStrictEqual(ts.prompts.map((p) => [p.kind, p.range.start.line, p.tools?.items.map((t) => t.name)]), [['openai.agent', 1, undefined], ['openai.agent', 2, undefined], ['openai.agents.run', 4, ['transfer_to_billing', 'transfer_to_shipping']]]);
  });
});
