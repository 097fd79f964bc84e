// An agent and its runs are one request per run: the framework sends the agent's instructions (and its
// tools and output schema) with every input. The agent is found where it is built and each run where it
// is called; this joins them. Each run of an agent built in the same file becomes one prompt holding the
// agent's parts then the input's, at the run's model (else the agent's); the agent itself is no prompt
// of its own once a run of it is found (pricing it too would count its instructions once more, at
// traffic of its own). An agent whose runs are elsewhere, or not found, stays a prompt as before.
import type { DetectedPrompt, PromptPart, Range } from '../../model';
import { arg, type CallInfo, type PromptBuilder } from './calls';
import { ancestryOf } from './ancestry';
import type { SyntaxNode } from './parser';
import type { CodeFile } from './source';
import { followFunction, isTextList, joinedList, loc, resolveExpression, type EvalContext } from './values';

/** Where an agent's instructions are given when it is built (OpenAI Agents SDK, pydantic-ai, others alike). */
const INSTRUCTION_KEYS = ['instructions', 'system_prompt', 'systemPrompt', 'system_message', 'system'];
const AGNO_KEYS = ['description', 'role', ...INSTRUCTION_KEYS, 'expected_output', 'additional_context'];

/**
 * `Agent(…)` of pydantic-ai (imported under another name, `pydantic_ai.Agent(…)`, `Agent[Deps, Out](…)`
 * too), whose prompts and tools may also be functions registered on it.
 */
export function isPydanticAgent(agent: CallInfo): boolean {
  if (!agent.f.isPython) return false;
  const segments = agent.segments.map((s) => s.replace(/\[.*$/s, ''));
  const binding = agent.f.imports.get(segments[0]);
  if (!binding || !/^pydantic_ai(\.|$)/.test(binding.module)) return false;
  return (segments.length === 1 ? binding.imported : segments[segments.length - 1]) === 'Agent';
}

/** A function registered on an agent by a decorator (`@agent.tool`), and that decorator. */
export interface Registered { f: CodeFile; fn: SyntaxNode; decorator: SyntaxNode; method: string }

/**
 * pydantic-ai: the functions decorated `@agent.<method>` (with or without arguments), where `agent` is
 * the name the call is assigned to: those defined after the assignment in the same block, up to the
 * name's next assignment there (a test module builds many agents named `agent`), in source order.
 */
export function registeredOn(agent: CallInfo, methods: RegExp): Registered[] {
  // once per agent and parse: each run of the agent asks, and walking up a module's tree is slow
  let memo = registeredByTree.get(agent.f.tree);
  if (!memo) registeredByTree.set(agent.f.tree, (memo = { decorated: new Set([...agent.f.text.matchAll(/^[ \t]*@(\w+)\./gm)].map((m) => m[1])), byAgent: new Map() }));
  let found = memo.byAgent.get(agent.node.startIndex);
  if (!found) memo.byAgent.set(agent.node.startIndex, (found = findRegistered(agent, memo.decorated)));
  // a decorator added or removed below the agent changes it
  if (found.rows && agent.f.lookups) agent.f.lookups.rows.push(found.rows);
  return found.all.filter((r) => methods.test(r.method));
}

/** Per parse: the names the file decorates methods of (`@agent.…`), and each agent's registered functions. */
const registeredByTree = new WeakMap<object, { decorated: Set<string>; byAgent: Map<number, { all: Registered[]; rows?: [number, number] }> }>();

function findRegistered(agent: CallInfo, decorated: Set<string>): { all: Registered[]; rows?: [number, number] } {
  const up = ancestryOf(agent.f);
  const assignment = up.parent(agent.node);
  const target = assignment?.type === 'assignment' && assignment.childForFieldName('right')?.id === agent.node.id ? assignment.childForFieldName('left') : undefined;
  const statement = assignment && up.parent(assignment);
  const block = statement?.type === 'expression_statement' ? up.parent(statement) : undefined;
  if (target?.type !== 'identifier' || !statement || !block || !decorated.has(target.text)) return { all: [] };
  const all: Registered[] = [];
  for (const n of block.namedChildren) {
    if (!n || n.endIndex <= statement.startIndex) continue;
    const assigned = n.type === 'expression_statement' ? n.namedChildren[0] : undefined;
    if (n.id !== statement.id && assigned?.type === 'assignment' && assigned.childForFieldName('left')?.text === target.text) break;
    const def = n.type === 'decorated_definition' ? n.childForFieldName('definition') : undefined;
    if (def?.type !== 'function_definition') continue;
    for (const d of n.namedChildren) {
      const m = d?.type === 'decorator' ? /^@\s*([\w.]+)/.exec(d.text) : null;
      const dot = m ? m[1].lastIndexOf('.') : -1;
      if (m && m[1].slice(0, dot) === target.text) all.push({ f: agent.f, fn: def, decorator: d!, method: m[1].slice(dot + 1) });
    }
  }
  return { all, rows: [statement.startPosition.row, block.endPosition.row] };
}

/** pydantic-ai's prompt-registering decorators: what the function returns is a system prompt of every run. */
const PROMPT_METHODS = /^(system_prompt|instructions)$/;

/**
 * The agent's instructions, added to a builder: the prompt-named arguments of the call that builds it,
 * then (pydantic-ai) what the functions registered as its prompts return, their run-time values slots.
 * For a run of an agent built in another file, their parts are where they are written, in that file.
 * Whether any were found.
 */
export function addAgentInstructions(b: PromptBuilder, agent: CallInfo, ctx: EvalContext): boolean {
  const before = b.parts.length;
  // agno builds its system message from the description, the role in a team (<your_role>), the
  // instructions, the expected output and any additional context (agno docs, "Agent: system message")
  const agno = /^agno(\.|$)/.test(agent.f.imports.get(agent.segments[0])?.module ?? '');
  for (const key of agno ? AGNO_KEYS : INSTRUCTION_KEYS) {
    const at = arg(agent, key);
    if (!at) continue;
    // instructions=["…", "…"]: a list of texts the framework joins is one text, from its first literal
    const r = resolveExpression(at.file, at.node, ctx);
    if (r && /^(array|list)$/.test(r.node.type) && isTextList(r.node)) b.addValue('system', joinedList(r, { text: '\n', origin: loc(r.file, r.node) }, ctx));
    else b.addText('system', at);
  }
  if (isPydanticAgent(agent)) {
    // A function registered twice (two decorators) is sent twice, but followed once: 500 decorators
    // on one function were 500 evaluations of it.
    const followed = new Map<number, ReturnType<typeof followFunction>>();
    for (const r of registeredOn(agent, PROMPT_METHODS)) {
      if (!followed.has(r.fn.id)) followed.set(r.fn.id, followFunction(r.f, r.fn, ctx, undefined));
      const v = followed.get(r.fn.id);
      if (v) b.addValue('system', v);
    }
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
