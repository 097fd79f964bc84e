// pydantic-ai: `Agent(model, instructions=…, system_prompt=…, tools=[…], output_type=…)` with the functions
// registered on it (`@agent.system_prompt`, `@agent.instructions`; the tools are read by extras.ts): what
// every run of the agent sends besides its input. The runs are found by agentRuns.ts and joined to the
// agent by agentMerge.ts, so an agent with a run is priced once per run, at the agent's model.
import { arg, outputArg, PromptBuilder, resolveExpression, type CallInfo } from '../calls';
import { addAgentInstructions, isPydanticAgent } from '../agentMerge';
import { modelOf } from '../shapes';
import type { Finder } from './types';

export const pydanticAiFinder: Finder = {
  family: 'pydantic-ai',
  find(call: CallInfo, env) {
    if (!isPydanticAgent(call)) return undefined;
    const b = new PromptBuilder(call, env.ctx);
    addAgentInstructions(b, call, env.ctx);
    const out = agentOutputLimit(call, env.ctx);
    return b.build('pydantic-ai.agent', modelOf(call, env), out?.tokens, out ? `model_settings.${out.key}` : undefined);
  },
};

/** A pydantic-ai agent's output limit, `model_settings={"max_tokens": 400}`: every run of it has it, wherever the run is. */
export function agentOutputLimit(call: CallInfo, ctx: Parameters<typeof outputArg>[1]): { tokens: number; key: string } | undefined {
  const settings = arg(call, 'model_settings');
  return settings ? outputArg(call, ctx, resolveExpression(settings.file, settings.node, ctx)) : undefined;
}
