// An agent and its run are one request per run: the instructions go with every input, at the agent's
// model, and the agent is not priced again as a call of its own (tryout finding: `new Agent({instructions})`
// and `run(agent, '…')` were two rows, and a run of a run-time input had no row in Python).
import * as assert from 'assert';
import { Engine } from '../../src/core/analyze';
import { emptyConfig } from '../../src/core/config';
import * as fs from 'fs';
import * as path from 'path';
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
});
