// Prompts kept as data in JSON, JSON Lines and YAML files that code or a tool sends as they are:
//   - message lists anywhere in the document: `[{"role": "system", "content": …}]`, `{"messages": […]}`,
//     content as a string or as parts (`[{"type": "text", "text": …}]`, PromptLayer's and OpenAI's);
//   - LangChain serialized prompts (`_type: prompt`, `template` + `input_variables`; `few_shot` prefix /
//     suffix) and Langfuse prompt exports (`prompt` text beside `type` / `config` / `labels`);
//   - OpenAI evals samples in JSON Lines (`{"input": [messages], "ideal": …}`), one prompt per line;
//   - prompt-named keys with prose values (`system_prompt`, `summary_prompt`, `prompt_template`,
//     `prompt_start`) in a file that is about a model (it names a model, a temperature, an LLM);
//   - in a prompt library (a file on a prompt-named path, `prompts/code_agent.yaml`, that holds such a key),
//     the other templates beside it under keys of their own (`planning: {initial_plan: |- …}`,
//     `final_answer: {post_messages: …}`): an agent framework loads the file as its named templates;
//   - a YAML file whose own name says prompt (`planner_prompt.yaml`, `prompts.yml`) is such a library
//     whatever its keys are called (`content: |-`, `conversation_head: |-`): code loads it by that name
//     and reads its templates by key.
// What a model answered or is expected to answer (`choices`, `response`, `ideal`, `expected_output`) and
// recorded HTTP traffic are not input: left alone. Fine-tuning data (`{"messages"}` per line, with the
// assistant's answer) is training data, not a prompt sent at run time: only JSON Lines under an eval-named
// path are read as prompts.
import { isMap, isScalar, isSeq, type Node, type YAMLMap } from 'yaml';
import type { DetectedPrompt, Diagnostic, PromptPart, Role } from '../../model';
import { LineIndex } from '../../text';
import type { SlotSyntax } from '../slots';
import { readAgentConfig } from './agentConfig';
import { isPromptNamedPath } from './plainText';
import { get, I18N_PATH, isApiDescription, nodeRange, normaliseRole, parseYamlAt, str, yamlPart, type ParsedYaml, type PromptFileReader, type ReadContext } from './common';

const SLOTS: readonly SlotSyntax[] = ['mustache', 'single'];
const MESSAGE_ROLE = /^(system|developer|user|human|assistant|ai)$/i;
// A key that names the role of the message it holds (`system: …`, `user: …`).
const ROLE_KEY = /^(system|developer|user|human|assistant)$/i;
// Where a document keeps what came back or what should come back: not input.
const OUTPUT_KEYS = /^(choices|responses?|outputs?|completions?|ideal|expected(_\w+)?|expected_outputs?|references?|targets?|answers?|golden|results?|generations?)$/i;
const ROLE_SNIFF = /["']?role["']?\s*:\s*["']?(system|developer|user|human|assistant)\b/i;
const LANGCHAIN_SNIFF = /["']?_type["']?\s*:\s*["']?(prompt|few_shot|chat)\b|["']?input_variables["']?\s*:/;
const PROMPT_KEY_SNIFF = /["']?[\w-]*(prompt|Prompt)[\w-]*["']?\s*:|["']?((system|instance|user|human|chat|message|query|question|task|instruction)_template|system_message|instructions|preamble|persona)["']?\s*:/;
// A prompt-named key: `system_prompt`, `summaryPrompt`, `prompt_template`, `prompt_start`, `user_prompt`.
const PROMPT_KEY = /^(?:[a-z][\w-]*[_-])?(?:prompt|Prompt|PROMPT)(?:[_-][\w-]*)?$|^[a-z]\w*Prompt(?:[A-Z]\w*)?$/;
// … but not one that names, describes or points at a prompt.
const NOT_TEXT_KEY = /(name|id|ids|description|title|label|version|path|file|files|url|uri|type|key|ref|format|count|tokens|length|enabled|mode|style|language|lang)$/i;
const SYSTEM_KEY = /system|instruction|persona|start|preamble|role|backstory|goal/i;
// Keys that hold a prompt though they do not say "prompt": a message template by its role (SWE-agent's
// `system_template` and `instance_template`) and a system message by name (in JSON, where the agent-config
// reader does not look).
const TEMPLATE_KEY = /^(system|instance|user|human|assistant|chat|message|query|question|task|instruction)_template$|^(system|instance|user|human|chat|message|query|question|task|instruction)Template$/;
const SYSTEM_NAME_KEY = /^(system_message|systemMessage|system_instructions?|systemInstructions?|developer_message|developerMessage)$/;
// Ordinary words as keys (an assistant's `instructions`, Cohere's `preamble`, a `persona`): the text must
// also be addressed to the model ("You're a …") or sit beside a model setting, as setup steps, a data
// set's retrieval instructions or a character sheet are not prompts.
const WORD_KEY = /^(instructions|preamble|persona|backstory)$/;
const ADDRESSED = /\byou(?:'re|'ll|r|rs)?\b/i;
// Translations address their reader too (`instructions: Upload your files …`): ordinary words there are UI text.
// Once a document holds a prompt template, its other `*_template` keys are the agent's further templates
// (an observation, a format error) — except those of commands, paths and names.
const ANY_TEMPLATE_KEY = /^[a-z]\w*_template$|^[a-z]\w*Template$/;
const NOT_PROMPT_TEMPLATE = /(cmd|command|url|uri|path|file|filename|dir|branch|commit|tag|title|name|label|id|key|query_string|sql)_?template$/i;
// The document is about a model: a model setting or an LLM provider's name anywhere.
export const LLM_CONTEXT = /["']?(model|model_name|modelName|llm|temperature|max_tokens|maxTokens|top_p|provider)["']?\s*:|\b(gpt-|claude|gemini|llama|mistral|openai|anthropic|ollama)/i;
const MODEL_SETTING = /^(model|model_name|modelName|llm|temperature|max_tokens|maxTokens)$/;
// Recorded HTTP exchanges (VCR cassettes, HAR, SDK test recordings): test data.
const RECORDING = /^interactions\s*:|["']interactions["']\s*:|["']log["']\s*:\s*\{\s*["']version/m;
const isRecording = (text: string) => RECORDING.test(text) || (/["']request["']\s*:/.test(text) && /["']response["']\s*:/.test(text));
const MAX_BYTES = 2_000_000;
const MAX_LINES = 500;

function prose(text: string | undefined, minWords = 3): boolean {
  // A GitHub Actions expression (`PROMPT: ${{ inputs.prompt }}`) passes a value on: no words of its own.
  const own = text?.replace(/\$\{\{[^}]*\}\}/g, ' ');
  return own !== undefined && /[A-Za-z]{2}/.test(own) && own.trim().split(/\s+/).length >= minWords;
}

function entries(node: Node | null | undefined): { key: string; value: Node }[] {
  if (!isMap(node)) return [];
  return (node as YAMLMap).items.flatMap((p) => (isScalar(p.key) && p.value ? [{ key: String(p.key.value), value: p.value as Node }] : []));
}

/** Parts of one message's content: a string, or a list of text parts. */
export function contentParts(y: ParsedYaml, content: Node | undefined, role: Role, name?: string): PromptPart[] {
  if (!content) return [];
  if (isScalar(content)) return typeof content.value === 'string' && content.value.trim() ? [yamlPart(role, y, content, SLOTS, name)] : [];
  if (isSeq(content)) {
    return (content.items as Node[]).flatMap((item) => {
      if (isScalar(item)) return contentParts(y, item, role, name);
      const text = get(item, 'text');
      const type = str(get(item, 'type'));
      return text && (!type || /text/.test(type)) ? contentParts(y, text, role, name) : [];
    });
  }
  return [];
}

const isMessage = (m: Node) => isMap(m) && MESSAGE_ROLE.test(str(get(m, 'role')) ?? '') && get(m, 'content') !== undefined;

/**
 * A list of { role, content } maps with a chat role, possibly among Responses API input items
 * (`{"type": "function_call" | "function_call_output" | …}`); one message at least.
 */
export function messageList(node: Node | undefined): Node[] | undefined {
  if (!isSeq(node) || !node.items.length) return undefined;
  const items = node.items as Node[];
  return items.some(isMessage) && items.every((m) => isMessage(m) || (isMap(m) && str(get(m, 'type')) !== undefined)) ? items : undefined;
}

/** A message's parts, or a tool result's (`function_call_output`: its `output` is input to the next turn). */
export function itemParts(y: ParsedYaml, m: Node): PromptPart[] {
  if (isMessage(m)) return contentParts(y, get(m, 'content'), normaliseRole(str(get(m, 'role'))), str(get(m, 'name')));
  if (/_output$/.test(str(get(m, 'type')) ?? '')) return contentParts(y, get(m, 'output'), 'tool');
  return [];
}

interface Found { prompts: DetectedPrompt[]; claimed: Set<Node> }

function modelNear(map: Node | undefined): string | undefined {
  const m = str(get(map, 'model')) ?? str(get(get(map, 'config'), 'model')) ?? str(get(map, 'model_name'));
  return m && /^[\w./:@-]+$/.test(m) ? m : undefined;
}

function prompt(kind: string, y: ParsedYaml, range: Node, parts: PromptPart[], label: string, model: string | undefined, note: string): DetectedPrompt {
  return {
    kind, source: 'prompt-file', confidence: 'shape', range: nodeRange(y, range), parts, label: label || undefined,
    model: model ? { id: model, from: 'file' } : undefined,
    notes: [note, ...(model ? [] : ['no model in the file: the default model is used'])],
  };
}

function walk(y: ParsedYaml, llm: boolean, found: Found, taken: ReadonlySet<string>, i18n: boolean, promptNamed: boolean): void {
  const isTaken = (n: Node) => { const r = nodeRange(y, n); return taken.has(`${r.start.line}:${r.start.character}`); };
  const visit = (node: Node | null | undefined, parent: Node | undefined, label: string, depth: number) => {
    if (!node || depth > 10) return;
    const messages = messageList(node);
    if (messages) {
      const parts = messages.flatMap((m) => itemParts(y, m));
      if (parts.length) found.prompts.push(prompt('message-data', y, node, parts, label, modelNear(parent), 'a list of { role, content } messages kept as data'));
      return;
    }
    if (isSeq(node)) {
      (node.items as Node[]).forEach((item, i) => visit(item, node, `${label}[${i}]`, depth + 1));
      return;
    }
    if (!isMap(node)) return;
    const es = entries(node);
    const keys = new Set(es.map((e) => e.key));
    const type = str(get(node, '_type'));
    // LangChain serialized prompts: `template` with its variables, or a few-shot prompt's prefix and suffix.
    const template = get(node, 'template');
    if (str(template)?.trim() && (type === 'prompt' || keys.has('input_variables') || keys.has('template_format'))) {
      found.prompts.push(prompt('langchain-file', y, node, [yamlPart('user', y, template!, SLOTS, 'template')], label, modelNear(node), 'a LangChain prompt saved as data (load_prompt)'));
      found.claimed.add(template!);
    } else if (type === 'few_shot') {
      const parts = ['prefix', 'suffix'].flatMap((k) => (str(get(node, k))?.trim() ? [yamlPart('user', y, get(node, k)!, SLOTS, k)] : []));
      if (parts.length) found.prompts.push(prompt('langchain-file', y, node, parts, label, modelNear(node), 'a LangChain few-shot prompt saved as data (load_prompt)'));
    }
    // Langfuse prompt exports: `prompt` text beside its prompt-management keys.
    const text = get(node, 'prompt');
    if (isScalar(text) && prose(str(text), 1) && keys.has('name') && (keys.has('labels') || keys.has('config') || (keys.has('type') && /^(text|completion)$/.test(str(get(node, 'type')) ?? '')))) {
      found.prompts.push(prompt('langfuse', y, node, [yamlPart('user', y, text, SLOTS, 'prompt')], label, modelNear(node), 'a managed prompt exported as data (Langfuse)'));
      found.claimed.add(text);
    }
    // Messages kept by role (`summary_prompt: {system: …, user: …}`, a TOML `[review_prompt]` table with
    // `system = """…"""`): a map whose keys are chat roles, under a prompt-named key, in a file named
    // for prompts, or holding both a system and a user message.
    const byRole = es.filter((e) => ROLE_KEY.test(e.key) && isScalar(e.value) && typeof e.value.value === 'string' && !found.claimed.has(e.value) && !isTaken(e.value));
    // under a prompt-named key at any depth (`[review_prompt]`, `[prompts.reviewer]`)
    const underPrompt = label.split(/[.[\]]+/).some((seg) => PROMPT_KEY.test(seg) || /^prompts$/i.test(seg));
    const roles = new Set(byRole.map((e) => normaliseRole(e.key)));
    if (!i18n && byRole.some((e) => prose(str(e.value))) && (underPrompt || promptNamed || (roles.has('system') && roles.has('user')))) {
      const parts = byRole.filter((e) => /\S/.test(str(e.value) ?? '')).map((e) => yamlPart(normaliseRole(e.key), y, e.value, SLOTS, e.key));
      for (const e of byRole) found.claimed.add(e.value);
      found.prompts.push(prompt('prompt-data', y, node, parts, label, modelNear(node), 'messages kept by role in a data file (text that code loads as a prompt)'));
    }
    // Prompt-named keys with prose, in a document about a model (or long enough to be nothing else).
    const named: PromptPart[] = [];
    const besideModel = es.some((e) => MODEL_SETTING.test(e.key));
    for (const e of es) {
      if (!isScalar(e.value) || found.claimed.has(e.value) || isTaken(e.value)) continue;
      const word = WORD_KEY.test(e.key);
      if (word && i18n) continue;
      if (!word && !TEMPLATE_KEY.test(e.key) && !SYSTEM_NAME_KEY.test(e.key) && (!PROMPT_KEY.test(e.key) || NOT_TEXT_KEY.test(e.key))) continue;
      const v = str(e.value);
      if (!prose(v, llm ? 3 : 12) || (word && !besideModel && !ADDRESSED.test(v ?? ''))) continue;
      // a translation under a prompt-named key is what the app shows (`"onboarding.prompt": "You are almost
      // done!"`, a settings default "You are a helpful assistant."): only a long instruction is taken as one
      if (i18n && (v ?? '').length < 200) continue;
      named.push(yamlPart(SYSTEM_KEY.test(e.key) ? 'system' : 'user', y, e.value, SLOTS, e.key));
      found.claimed.add(e.value);
    }
    // the settings beside a template whose keys are its variables (`"company_values": "…"` for `{company_values}`)
    // fill it: each text of three words or more is a fragment of that prompt where it is written
    const slots = new Set(named.flatMap((p) => [...p.text.matchAll(/\{\{?\s*([A-Za-z_]\w*)\s*\}?\}/g)].map((m) => m[1])));
    for (const e of slots.size ? es : []) {
      if (!slots.has(e.key) || !isScalar(e.value) || found.claimed.has(e.value) || isTaken(e.value) || !prose(str(e.value), 3)) continue;
      named.push(yamlPart('user', y, e.value, SLOTS, e.key));
      found.claimed.add(e.value);
    }
    if (named.length) found.prompts.push(prompt('prompt-data', y, node, named, label, modelNear(node), 'prompt-named keys in a data file (text that code loads as a prompt)'));
    for (const e of es) if (!OUTPUT_KEYS.test(e.key)) visit(e.value, node, label ? `${label}.${e.key}` : e.key, depth + 1);
  };
  visit(y.root, undefined, '', 0);
}

// A template's variable: `{{task}}`, `{%- for … %}`, `{remaining_steps}`.
const TEMPLATE_SLOT = /\{\{[^{}\n]*\}\}|\{%[^%\n]*%\}|\{[A-Za-z_]\w*\}/;

/** Words of the text's own: not template variables or control, not the tags that wrap them. */
function ownWords(text: string | undefined): number {
  const own = (text ?? '').replace(/\{\{[^{}\n]*\}\}|\{%[^%\n]*%\}|\{[A-Za-z_]\w*\}|<\/?[A-Za-z_][\w-]*>/g, ' ');
  return own.split(/\s+/).filter((w) => /[A-Za-z]{2}/.test(w)).length;
}

/**
 * The templates of a prompt library beside its prompt-named keys: prose values (a sentence or more, or a
 * few words with a template variable) under any key that does not name, describe or hold output, one
 * prompt per map that holds them.
 */
function libraryTemplates(y: ParsedYaml, found: Found, taken: ReadonlySet<string>, anyKey = false): void {
  const isTaken = (n: Node) => { const r = nodeRange(y, n); return taken.has(`${r.start.line}:${r.start.character}`); };
  const visit = (node: Node | null | undefined, label: string, depth: number) => {
    if (!node || depth > 10) return;
    if (isSeq(node)) {
      (node.items as Node[]).forEach((item, i) => visit(item, `${label}[${i}]`, depth + 1));
      return;
    }
    // a message of a list the walk read already (its content is that prompt's part)
    if (!isMap(node) || isMessage(node)) return;
    const parts: PromptPart[] = [];
    for (const e of entries(node)) {
      // in a catalogue of what a model is told, a key says where the text goes (`format`, `expected_output`), not that it is none
      if (!anyKey && (OUTPUT_KEYS.test(e.key) || NOT_TEXT_KEY.test(e.key) || /^(examples?|samples?|tests?)$/i.test(e.key))) continue;
      if (!isScalar(e.value)) {
        visit(e.value, label ? `${label}.${e.key}` : e.key, depth + 1);
        continue;
      }
      if (found.claimed.has(e.value) || isTaken(e.value)) continue;
      const v = str(e.value);
      if (!(prose(v, 8) || (ownWords(v) >= 2 && TEMPLATE_SLOT.test(v ?? '')))) continue;
      parts.push(yamlPart(SYSTEM_KEY.test(e.key) ? 'system' : 'user', y, e.value, SLOTS, e.key));
      found.claimed.add(e.value);
    }
    if (parts.length) found.prompts.push(prompt('prompt-data', y, node, parts, label, modelNear(node), 'templates of a prompt library (a file of named prompts that code loads)'));
  };
  visit(y.root, '', 0);
}

/**
 * The other `*_template` keys of a document that holds a prompt template: parts of that prompt (the agent
 * sends them in the same conversation: an observation each step, a format error when it strays).
 */
function siblingTemplates(y: ParsedYaml, anchor: DetectedPrompt, found: Found, taken: ReadonlySet<string>): void {
  const isTaken = (n: Node) => { const r = nodeRange(y, n); return taken.has(`${r.start.line}:${r.start.character}`); };
  const inAnchor = new Set(anchor.parts.map((x) => `${x.range.start.line}:${x.range.start.character}`));
  const visit = (node: Node | null | undefined, depth: number) => {
    if (!node || depth > 10) return;
    if (isSeq(node)) {
      (node.items as Node[]).forEach((item) => visit(item, depth + 1));
      return;
    }
    if (!isMap(node)) return;
    for (const e of entries(node)) {
      if (OUTPUT_KEYS.test(e.key)) continue;
      if (!isScalar(e.value)) {
        visit(e.value, depth + 1);
        continue;
      }
      const r = nodeRange(y, e.value);
      if (!ANY_TEMPLATE_KEY.test(e.key) || NOT_PROMPT_TEMPLATE.test(e.key) || found.claimed.has(e.value) || isTaken(e.value) || inAnchor.has(`${r.start.line}:${r.start.character}`)) continue;
      const v = str(e.value);
      // a template of the agent's own: a word of its own beside a variable is text sent (`OBSERVATION: {{observation}}`); tags around a variable alone are not
      if (!(prose(v, 8) || (ownWords(v) >= 1 && TEMPLATE_SLOT.test(v ?? '')))) continue;
      anchor.parts.push(yamlPart(SYSTEM_KEY.test(e.key) ? 'system' : 'user', y, e.value, SLOTS, e.key));
      found.claimed.add(e.value);
    }
  };
  visit(y.root, 0);
  if (!anchor.model) {
    // An agent config names its model in a section of its own (`model: {model_name: …}`).
    const section = get(y.root, 'model');
    const id = isMap(section) ? (str(get(section, 'model_name')) ?? str(get(section, 'name')) ?? str(get(section, 'id'))) : undefined;
    if (id && /^[\w./:@-]+$/.test(id)) {
      anchor.model = { id, from: 'file', range: nodeRange(y, get(section, 'model_name') ?? get(section, 'name') ?? get(section, 'id')) };
      anchor.notes = (anchor.notes ?? []).filter((n) => !n.startsWith('no model in the file'));
    }
  }
}

const SPEAKER_KEYS = ['role', 'name', 'user', 'author', 'speaker', 'from', 'sender'];
const TURN_TEXT_KEYS = ['content', 'text', 'message'];

/** `{ user: bob, text: … }`: a turn of an example conversation, by a speaker's name or role. */
function turnText(m: Node): Node | undefined {
  // Nothing but a speaker and the text: a tool result or a logged event has an id, a type, a time.
  if (!isMap(m) || !entries(m).every((e) => SPEAKER_KEYS.includes(e.key) || TURN_TEXT_KEYS.includes(e.key))) return undefined;
  const speaker = SPEAKER_KEYS.map((k) => str(get(m, k))).find((v) => v !== undefined);
  if (speaker === undefined || speaker.trim().split(/\s+/).length > 3) return undefined;
  const text = TURN_TEXT_KEYS.map((k) => get(m, k)).find((n) => isScalar(n) && typeof n.value === 'string' && n.value.trim());
  return text;
}

/**
 * Example conversations in a config that holds a prompt (`example_conversations: [{messages: [{user, text}]}]`):
 * few-shot turns that code puts into that prompt, so parts of it (the first prompt of the document).
 */
function exampleTurns(y: ParsedYaml, found: Found): void {
  const anchor = found.prompts.find((p) => p.kind === 'prompt-data');
  if (!anchor) return;
  const visit = (node: Node | null | undefined, depth: number) => {
    if (!node || depth > 10) return;
    if (isSeq(node)) {
      const items = node.items as Node[];
      const texts = items.map(turnText);
      if (items.length && !messageList(node) && texts.every((t) => t && !found.claimed.has(t))) {
        for (const [i, t] of texts.entries()) {
          const speaker = SPEAKER_KEYS.map((k) => str(get(items[i], k))).find((v) => v !== undefined);
          anchor.parts.push(yamlPart(normaliseRole(speaker), y, t!, SLOTS, speaker));
          found.claimed.add(t!);
        }
        return;
      }
      items.forEach((item) => visit(item, depth + 1));
    } else if (isMap(node)) {
      for (const e of entries(node)) if (!OUTPUT_KEYS.test(e.key)) visit(e.value, depth + 1);
    }
  };
  visit(y.root, 0);
}

// A key that only a prompt config has: a file holding one that does not parse is worth saying so.
const PROMPT_CONFIG_LINE = /^[^\S\r\n\u2028\u2029]*["']?(system_prompt|systemPrompt|system_template|instance_template|system_message|prompt_template)["']?\s*:/m;

function readDocument(text: string, start: number, end: number, ctx: ReadContext, lines: LineIndex, llm: boolean, withAgentKeys: boolean, problems?: Diagnostic[]): DetectedPrompt[] {
  const parsed = parseYamlAt(text, start, end, ctx, lines);
  if (!parsed.ok) {
    // A file named for prompts is one: broken, it is an error (a gate must not pass without it). Sniffed
    // by content, a warning: this may be any YAML, but its prompt-named keys go unread.
    if (problems && isPromptNamedYaml(ctx.file)) problems.push(...parsed.diagnostics.slice(0, 1).map((d) => ({ ...d, message: `${d.message} (its prompts are not read)` })));
    else if (problems && PROMPT_CONFIG_LINE.test(text.slice(start, end))) problems.push(...parsed.diagnostics.slice(0, 1).map((d) => ({ ...d, severity: 'warning' as const, message: `${d.message} (its prompt-named keys are not read)` })));
    return [];
  }
  return promptsInData(parsed.yaml, ctx, llm, withAgentKeys);
}

/**
 * Text only a model is told: a reply format it must keep ("Final Answer:", "Thought:", "Action Input"), the
 * tools it may call, a persona ("You are a seasoned manager"), a template variable an agent framework fills
 * ({tools}, {backstory}). An app's own messages to its users say none of these.
 */
const MODEL_TEXT = /\b(?:final answer|thought:|action input|observation:|you (?:are|act as) an? [^.\n]{0,60}?\b(?:assistant|expert|agent|model|AI|manager|analyst|writer|researcher|planner|reviewer)\b|you (?:must|should) (?:always |never |only )?(?:use|answer|respond|reply|return|output|think|call)|your (?:final answer|personal goal|response must)|respond (?:only )?(?:with|in) |use the following format|the following tools|\{(?:tools|tool_names|backstory|goal|role|input|context|agent)\})/i;
const MIN_MODEL_TEXTS = 4;

/** A translations file that holds what an agent framework tells its model (crewAI's `translations/en.json`). */
function isModelCatalogue(y: ParsedYaml): boolean {
  let hits = 0;
  const visit = (node: Node | null | undefined, depth: number): boolean => {
    if (!node || depth > 8) return false;
    if (isScalar(node)) return typeof node.value === 'string' && MODEL_TEXT.test(node.value) && ++hits >= MIN_MODEL_TEXTS;
    if (isSeq(node)) return (node.items as Node[]).some((n) => visit(n, depth + 1));
    if (isMap(node)) return entries(node).some((e) => visit(e.value, depth + 1));
    return false;
  };
  return visit(y.root, 0);
}

/** The prompts of a data document already read into nodes (YAML, JSON, TOML), by the rules above. */
export function promptsInData(y: ParsedYaml, ctx: ReadContext, llm: boolean, withAgentKeys: boolean): DetectedPrompt[] {
  // Agent-config keys (system_message, instructions beside tools, prompt beside a model) first: their
  // reader knows their roles; the walk takes what is left.
  // translations are what the app shows, unless they are what it tells a model (a framework's prompt catalogue)
  const catalogue = I18N_PATH.test(ctx.file) && isModelCatalogue(y);
  const i18n = I18N_PATH.test(ctx.file) && !catalogue;
  const agents = withAgentKeys && !i18n ? readAgentConfig(y) : [];
  const taken = new Set(agents.flatMap((p) => p.parts.map((x) => `${x.range.start.line}:${x.range.start.character}`)));
  const found: Found = { prompts: [], claimed: new Set() };
  walk(y, llm, found, taken, i18n, isPromptNamedData(ctx.file));
  if (catalogue || isPromptNamedData(ctx.file) || (isPromptNamedPath(ctx.file) && (agents.length || found.prompts.some((p) => p.kind === 'prompt-data')))) libraryTemplates(y, found, taken, catalogue);
  const anchor = [...agents, ...found.prompts].find((p) => p.parts.some((x) => x.name !== undefined && (TEMPLATE_KEY.test(x.name) || PROMPT_KEY.test(x.name))));
  if (anchor) siblingTemplates(y, anchor, found, taken);
  exampleTurns(y, found);
  const all = [...agents, ...found.prompts];
  // A prompt with no model beside it takes the one the document names for itself, if any.
  const docModel = all.some((p) => !p.model) ? documentModel(y) : undefined;
  if (docModel) {
    for (const p of all) {
      if (p.model) continue;
      p.model = { id: docModel.id, from: 'file', range: nodeRange(y, docModel.node) };
      p.notes = (p.notes ?? []).filter((n) => !n.startsWith('no model in the file'));
    }
  }
  return all;
}

/**
 * The model a settings document names for itself: a top-level `model` (or `model_name`), or the model of
 * a section for it (`model: {model_name}`, `[llm] model = …`, `config.model`).
 */
function documentModel(y: ParsedYaml): { id: string; node: Node } | undefined {
  const candidates = [
    get(y.root, 'model'), get(y.root, 'model_name'),
    get(get(y.root, 'model'), 'model_name'), get(get(y.root, 'model'), 'name'), get(get(y.root, 'model'), 'id'),
    get(get(y.root, 'llm'), 'model'), get(get(y.root, 'llm'), 'model_name'), get(get(y.root, 'config'), 'model'),
  ];
  for (const node of candidates) {
    const id = str(node);
    if (node && id && /^[\w./:@-]+$/.test(id)) return { id, node };
  }
  return undefined;
}

const DATA_NAME = /\.(json|jsonl|ndjson|ya?ml)$/i;

/**
 * A YAML file named for prompts (`planner_prompt.yaml`, `prompts.yml`, `promptTemplates.yaml`): the word
 * itself, not a product named after it (`promptflow-ci.yml`, `prompty.yaml`), and not a repository's own
 * forms and settings under `.github/` (an issue form `prompt_request.yml` holds prose for people).
 */
export function isPromptNamedYaml(rel: string): boolean {
  return /\.ya?ml$/i.test(rel) && isPromptNamedData(rel);
}

/** A YAML or TOML data file named for prompts (see isPromptNamedYaml). */
export function isPromptNamedData(rel: string): boolean {
  if (!/\.(ya?ml|toml)$/i.test(rel) || /(^|\/)\.github\//.test(rel)) return false;
  const stem = rel.slice(rel.lastIndexOf('/') + 1).replace(/\.[^.]+$/, '');
  return stem.replace(/([a-z0-9])([A-Z])/g, '$1 $2').split(/[\s_.-]+/).some((w) => /^prompts?$/i.test(w));
}
// Package manifests, tool configs, lock files and editor settings: never prompt data.
const NOT_DATA = /(^|\/)(package(-lock)?\.json|tsconfig[\w.-]*\.json|jsconfig\.json|composer\.(json|lock)|[\w.-]*\.lock|\.eslintrc[\w.]*|\.prettierrc[\w.]*|renovate\.json|vercel\.json|turbo\.json|lerna\.json|app\.json|manifest\.json|\.vscode\/[^/]+|\.devcontainer\/[^/]+|pnpm-lock\.yaml|pnpm-workspace\.yaml|docker-compose[\w.-]*\.ya?ml|\.github\/workflows\/[^/]+|\.pre-commit-config\.yaml|mkdocs\.ya?ml|\.gitlab-ci\.yml|[\w.-]*\.schema\.json|openapi[\w.-]*|swagger[\w.-]*)$/i;

// Tests' fixtures and recorded data: serialized runs and requests, not prompts an app sends.
const TEST_DATA = /(^|\/)(tests?|__tests__|spec|e2e)\/(.*\/)?(fixtures?|__fixtures__|data|testdata|snapshots?|__snapshots__|cassettes|recordings|mocks?|__mocks__)\//i;

export function looksLikePromptData(name: string, text: string): boolean {
  if (!DATA_NAME.test(name) || NOT_DATA.test(name) || TEST_DATA.test(name) || text.length > MAX_BYTES) return false;
  if (isRecording(text) || isApiDescription(text)) return false;
  if (/\.(jsonl|ndjson)$/i.test(name)) return ROLE_SNIFF.test(text);
  return ROLE_SNIFF.test(text) || LANGCHAIN_SNIFF.test(text) || PROMPT_KEY_SNIFF.test(text) || isPromptNamedYaml(name);
}

export const promptDataReader: PromptFileReader = {
  format: 'prompt-data',
  matches: looksLikePromptData,
  read(text, ctx) {
    const lines = new LineIndex(text);
    const llm = LLM_CONTEXT.test(text) || /prompt|llm|agent/i.test(ctx.file);
    const yamlFile = /\.ya?ml$/i.test(ctx.file);
    if (!/\.(jsonl|ndjson)$/i.test(ctx.file)) {
      const diagnostics: Diagnostic[] = [];
      return { prompts: readDocument(text, 0, text.length, ctx, lines, llm, yamlFile, diagnostics), diagnostics };
    }
    // JSON Lines: one sample a line. Eval samples (`input` messages) are prompts; `messages` lines are
    // training data unless the file is an eval's.
    const evalPath = /eval|bench|test|sample/i.test(ctx.file);
    const prompts: DetectedPrompt[] = [];
    let at = 0;
    let n = 0;
    while (at < text.length && n < MAX_LINES) {
      let end = text.indexOf('\n', at);
      if (end < 0) end = text.length;
      const line = text.slice(at, end);
      if (line.trim()) {
        n++;
        if (/"input"\s*:\s*\[/.test(line) || evalPath) {
          for (const p of readDocument(text, at, end, ctx, lines, true, false)) {
            // A training sample's last assistant message is the answer it teaches, not input.
            const parts = /"input"\s*:\s*\[/.test(line) ? p.parts : p.parts.filter((x, i, all) => !(x.role === 'assistant' && i === all.length - 1));
            if (parts.length) prompts.push({ ...p, parts, label: `line ${lines.position(at).line + 1}` });
          }
        }
      }
      at = end + 1;
    }
    return { prompts, diagnostics: [] };
  },
};
