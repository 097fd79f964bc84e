// An agent and its runs are one request per run: the framework sends the agent's instructions (and its
// tools and output schema) with every input. The agent is found where it is built and each run where it
// is called; this joins them. Each run of an agent built in the same file becomes one prompt holding the
// agent's parts then the input's, at the run's model (else the agent's); the agent itself is no prompt
// of its own once a run of it is found (pricing it too would count its instructions once more, at
// traffic of its own). An agent whose runs are elsewhere, or not found, stays a prompt as before.
import type { DetectedPrompt, PromptPart, Range } from '../../model';
import { arg, type CallInfo, type PromptBuilder } from './calls';

/** Where an agent's instructions are given when it is built (OpenAI Agents SDK, pydantic-ai, others alike). */
const INSTRUCTION_KEYS = ['instructions', 'system_prompt', 'systemPrompt', 'system_message', 'system'];

/**
 * A run of an agent built in another file: the agent's instructions, added to the run's builder before
 * its input (their parts are where they are written, in that file). Whether any were found.
 */
export function addAgentInstructions(b: PromptBuilder, agent: CallInfo): boolean {
  const before = b.parts.length;
  for (const key of INSTRUCTION_KEYS) {
    const at = arg(agent, key);
    if (at) b.addText('system', at);
  }
  return b.parts.length > before;
}

/** Where the run's agent is built, as a prompt's `agentCall`. */
export function agentCallOf(agent: CallInfo): NonNullable<DetectedPrompt['agentCall']> {
  return { file: agent.f.file, range: agent.f.lines.range(agent.node.startIndex, agent.node.endIndex) };
}

const sameRange = (a: Range, b: Range) =>
  a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;

/** `b`'s parts after `a`'s, their message and piece numbers moved past `a`'s (each builder counts from 1). */
function concatParts(a: readonly PromptPart[], b: readonly PromptPart[]): PromptPart[] {
  const messages = Math.max(0, ...a.map((p) => p.message ?? 0));
  const groups = Math.max(0, ...a.map((p) => p.piece?.group ?? 0));
  return [
    ...a,
    ...b.map((p) => ({
      ...p,
      ...(p.message !== undefined ? { message: p.message + messages } : {}),
      ...(p.piece ? { piece: { ...p.piece, group: p.piece.group + groups } } : {}),
    })),
  ];
}

export function mergeAgentRuns(prompts: DetectedPrompt[], file: string): DetectedPrompt[] {
  if (!prompts.some((p) => p.agentCall?.file === file)) return prompts;
  const merged = new Set<DetectedPrompt>();
  const out: DetectedPrompt[] = [];
  for (const run of prompts) {
    const agent = run.agentCall?.file === file ? prompts.find((a) => a !== run && !a.agentCall && sameRange(a.range, run.agentCall!.range)) : undefined;
    if (!agent) {
      out.push(run);
      continue;
    }
    merged.add(agent);
    const notes = [...new Set([...(agent.notes ?? []), ...(run.notes ?? [])])];
    out.push({
      ...run,
      parts: concatParts(agent.parts, run.parts),
      model: run.model ?? agent.model,
      ...(run.provider ?? agent.provider ? { provider: run.provider ?? agent.provider } : {}),
      ...(run.outputTokens ?? agent.outputTokens ? { outputTokens: run.outputTokens ?? agent.outputTokens } : {}),
      ...(run.tools ?? agent.tools ? { tools: run.tools ?? agent.tools } : {}),
      ...(run.schema ?? agent.schema ? { schema: run.schema ?? agent.schema } : {}),
      ...(notes.length ? { notes } : {}),
    });
  }
  return out.filter((p) => !merged.has(p));
}
