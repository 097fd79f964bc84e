// Agent definitions kept in YAML and loaded by code: CrewAI's agents.yaml (role / goal / backstory) and
// tasks.yaml (description / expected_output), and any YAML whose maps carry prompt-named keys
// (system_message, system_prompt, instructions, …) as an agent framework's config does. Recognised by
// content, precisely enough that ordinary YAML (CI workflows, compose files, schemas) is left alone.
import { isMap, isScalar, type Node, type YAMLMap } from 'yaml';
import type { DetectedPrompt, PromptPart, Role } from '../../model';
import type { SlotSyntax } from '../slots';
import { LineIndex } from '../../text';
import { get, I18N_PATH, isApiDescription, nodeRange, parseYamlAt, str, yamlPart, type ParsedYaml, type PromptFileReader } from './common';

// CrewAI interpolates `{topic}` from kickoff inputs into these fields.
const CREW_SLOTS: readonly SlotSyntax[] = ['single'];
const CREW_AGENT_KEYS = ['role', 'goal', 'backstory'] as const;
const CREW_TASK_KEYS = ['description', 'expected_output'] as const;

/** Text worth calling prose: at least three words with letters (not an id, a path or a number). */
function prose(node: Node | undefined): boolean {
  const v = str(node);
  return v !== undefined && /[A-Za-z]{2}/.test(v) && v.trim().split(/\s+/).length >= 3;
}

function entries(node: Node | null | undefined): { key: string; value: Node }[] {
  if (!isMap(node)) return [];
  return (node as YAMLMap).items.flatMap((p) => (isScalar(p.key) && p.value ? [{ key: String(p.key.value), value: p.value as Node }] : []));
}

/** A top-level map of named maps, some holding all of `keys` as strings (one of them prose). */
function crewEntries(root: Node | null, keys: readonly string[]): { key: string; value: Node }[] {
  return entries(root).filter((e) => isMap(e.value) && keys.every((k) => str(get(e.value, k)) !== undefined) && keys.some((k) => prose(get(e.value, k))));
}

function modelOf(map: Node): string | undefined {
  const m = str(get(map, 'llm')) ?? str(get(map, 'model'));
  return m && /^[\w./:-]+$/.test(m) ? m : undefined;
}

export function looksLikeCrewConfig(text: string): boolean {
  // (an indented key: `^\s+key` tried each line start of a run of blank lines against the rest of it)
  return (/^[^\S\r\n\u2028\u2029]*\sbackstory\s*:/m.test(text) && /^[^\S\r\n\u2028\u2029]*\sgoal\s*:/m.test(text)) || (/^[^\S\r\n\u2028\u2029]*\sexpected_output\s*:/m.test(text) && /^[^\S\r\n\u2028\u2029]*\sdescription\s*:/m.test(text));
}

function readCrew(y: ParsedYaml): DetectedPrompt[] {
  const out: DetectedPrompt[] = [];
  const kinds: [readonly string[], Role][] = [[CREW_AGENT_KEYS, 'system'], [CREW_TASK_KEYS, 'user']];
  for (const [keys, role] of kinds) {
    for (const e of crewEntries(y.root, keys)) {
      const parts: PromptPart[] = keys.flatMap((k) => {
        const v = get(e.value, k);
        return v && str(v)?.trim() ? [yamlPart(role, y, v, CREW_SLOTS, k)] : [];
      });
      const model = modelOf(e.value);
      out.push({
        kind: 'crewai', source: 'prompt-file', confidence: 'call', range: nodeRange(y, e.value), parts, label: e.key,
        model: model ? { id: model, from: 'file' } : undefined,
        notes: [role === 'system' ? 'CrewAI agent: role, goal and backstory make its system prompt' : 'CrewAI task: description and expected output make its user message', ...(model ? [] : ['no llm in the file: the default model is used'])],
      });
    }
  }
  return out;
}

export const crewaiReader: PromptFileReader = {
  format: 'crewai',
  matches: (name, text) => /\.ya?ml$/.test(name) && looksLikeCrewConfig(text),
  read(text, ctx) {
    const parsed = parseYamlAt(text, 0, text.length, ctx, new LineIndex(text));
    if (!parsed.ok) return { prompts: [], diagnostics: [] }; // sniffed by content: not ours to complain about
    return { prompts: readCrew(parsed.yaml), diagnostics: [] };
  },
};

// Keys that name a system prompt in agent frameworks' configs (AutoGen system_message, LangGraph /
// pydantic-ai system_prompt, OpenAI Agents instructions, Gemini system_instruction, …).
const SYSTEM_KEYS = new Set(['system_message', 'systemMessage', 'system_prompt', 'systemPrompt', 'system_instruction', 'systemInstruction', 'system_instructions', 'developer_message', 'developerMessage', 'instructions']);
// Keys that hold a user prompt or template, counted only beside a model setting (`prompt:` alone is too
// common outside LLM configs).
const USER_KEYS = new Set(['prompt', 'user_prompt', 'userPrompt', 'prompt_template', 'promptTemplate', 'user_message', 'userMessage']);
const MODEL_KEYS = new Set(['model', 'model_name', 'modelName', 'llm', 'temperature', 'max_tokens', 'maxTokens', 'model_client']);
const AGENT_KEYS = new Set(['tools', 'handoffs', 'handoff_description', 'output_type', 'mcp_servers']);
// (indentation is whitespace other than line ends: `^\s*-?\s*` tried every line start of a run of blank
// lines against the rest of it, twice over — 500 blank lines took 0.1 s, 5,000 took minutes)
const KEY_LINE = /^[^\S\r\n\u2028\u2029]*-?[^\S\r\n\u2028\u2029]*["']?(system_message|systemMessage|system_prompt|systemPrompt|system_instructions?|systemInstruction|developer_message|developerMessage|instructions)["']?\s*:/m;
const AGENT_SLOTS: readonly SlotSyntax[] = ['mustache', 'single'];

/** Recorded HTTP traffic (VCR / pytest-recording cassettes) repeats request bodies: test data, not config. */
const CASSETTE = /^interactions\s*:/m;

export function looksLikeAgentConfig(text: string): boolean {
  return KEY_LINE.test(text) && !CASSETTE.test(text) && !isApiDescription(text);
}

export function readAgentConfig(y: ParsedYaml): DetectedPrompt[] {
  const out: DetectedPrompt[] = [];
  const visit = (node: Node | null | undefined, label: string, depth: number) => {
    if (depth > 8 || !node) return;
    if (isMap(node)) {
      const es = entries(node);
      const hasModel = es.some((e) => MODEL_KEYS.has(e.key));
      const agentLike = hasModel || es.some((e) => AGENT_KEYS.has(e.key));
      const parts: PromptPart[] = [];
      for (const e of es) {
        // `instructions` alone is common outside LLM configs (setup steps): only beside an agent's keys
        const system = SYSTEM_KEYS.has(e.key) && (e.key !== 'instructions' || agentLike);
        const role: Role | undefined = system ? 'system' : hasModel && USER_KEYS.has(e.key) ? 'user' : undefined;
        if (role && prose(e.value)) parts.push(yamlPart(role, y, e.value, AGENT_SLOTS, e.key));
      }
      if (parts.length) {
        const model = str(get(node, 'model')) ?? str(get(node, 'model_name')) ?? str(get(node, 'llm'));
        out.push({
          kind: 'agent-config', source: 'prompt-file', confidence: 'shape', range: nodeRange(y, node), parts, label: label || undefined,
          model: model && /^[\w./:-]+$/.test(model) ? { id: model, from: 'file' } : undefined,
          notes: ['prompt-named keys in a YAML config (an agent definition loaded by code)'],
        });
      }
      for (const e of es) if (isMap(e.value) || (e.value && 'items' in e.value)) visit(e.value, label ? `${label}.${e.key}` : e.key, depth + 1);
    } else if ('items' in node && Array.isArray((node as { items: unknown[] }).items)) {
      (node as { items: Node[] }).items.forEach((item, i) => visit(item, `${label}[${i}]`, depth + 1));
    }
  };
  visit(y.root, '', 0);
  return out;
}

export const agentConfigReader: PromptFileReader = {
  format: 'agent-config',
  matches: (name, text) => /\.ya?ml$/.test(name) && looksLikeAgentConfig(text),
  read(text, ctx) {
    // translations are what the app shows, however their keys are named (`system_prompt: You are a helpful assistant.`)
    if (I18N_PATH.test(ctx.file)) return { prompts: [], diagnostics: [] };
    const parsed = parseYamlAt(text, 0, text.length, ctx, new LineIndex(text));
    if (!parsed.ok) return { prompts: [], diagnostics: [] }; // sniffed by content: not ours to complain about
    return { prompts: readAgentConfig(parsed.yaml), diagnostics: [] };
  },
};

// What a role definition file tells the model that plans over its roles about one of them (TaskWeaver's
// `*.role.yaml` `intro`): the planner's prompt lists each role by this text.
const ROLE_FILE = /\.role\.ya?ml$/i;
const ROLE_INTRO_KEYS = ['intro', 'introduction', 'profile', 'description'];

export const roleFileReader: PromptFileReader = {
  format: 'agent-config',
  matches: (name) => ROLE_FILE.test(name),
  read(text, ctx) {
    if (I18N_PATH.test(ctx.file)) return { prompts: [], diagnostics: [] };
    const parsed = parseYamlAt(text, 0, text.length, ctx, new LineIndex(text));
    if (!parsed.ok || !isMap(parsed.yaml.root)) return { prompts: [], diagnostics: [] }; // named so, but not a map of a role's fields
    const y = parsed.yaml;
    const parts = entries(y.root).filter((e) => ROLE_INTRO_KEYS.includes(e.key) && prose(e.value)).map((e) => yamlPart('system', y, e.value, AGENT_SLOTS, e.key));
    if (!parts.length) return { prompts: [], diagnostics: [] };
    const name = str(get(y.root, 'alias')) ?? str(get(y.root, 'name'));
    return {
      prompts: [{
        kind: 'agent-config', source: 'prompt-file', confidence: 'shape', range: nodeRange(y, y.root as Node), parts, label: name,
        notes: ['a role definition: its introduction is put in the prompt of the model that plans which role does what (the default model is used)'],
      }],
      diagnostics: [],
    };
  },
};
