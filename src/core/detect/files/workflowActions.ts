// GitHub Actions steps that call a model through an action and give it text: Claude Code's action
// (`prompt`, `direct_prompt`, `override_prompt`, `custom_instructions`), GitHub Models' `actions/ai-inference`
// (`prompt`, `system-prompt`), OpenAI's Codex action and Google's Gemini CLI action (`prompt`), and any
// other action named for a model (`…/ai-review`, `…/gpt-…`) with such an input, or any action at all
// (a local `./my-action`, one named for nothing) given prose under an input named for a prompt
// (`prompt`, `system_prompt`, `review-prompt`). Each step is a prompt:
// its inputs are the text this workflow sends (the action adds its own system prompt and context, not
// counted), priced with the step's `model` input or the action's provider default. Read in workflows
// (`.github/workflows/*.yml`) and composite actions (`action.yml`); other YAML is never looked at here.
import { isMap, type Node } from 'yaml';
import type { DetectedPrompt, PromptPart, Role } from '../../model';
import { LineIndex } from '../../text';
import { own } from '../../own';
import { get, nodeRange, num, parseYamlAt, seqItems, str, yamlPart, type ParsedYaml, type PromptFileReader } from './common';

interface KnownAction { provider?: string; defaultModel?: string }
// Actions whose inputs are known; the default model only where the action's docs name one.
const KNOWN: readonly [RegExp, KnownAction][] = [
  [/^anthropics\/claude-code(-base)?-action$/i, { provider: 'anthropic' }],
  [/^actions\/ai-inference$/i, { defaultModel: 'openai/gpt-4o' }],
  [/^openai\/codex-action$/i, { provider: 'openai' }],
  [/^google-github-actions\/run-gemini-cli$/i, { provider: 'google' }],
];
// Any other action whose name says it calls a model.
const MODEL_ACTION = /(^|[-_/.])(ai|llm|gpt|chatgpt|claude|gemini|openai|anthropic|codex|copilot|ollama|mistral|review-?bot)([-_/.]|$)/i;
// (indentation is whitespace other than line ends: `^\s*` tried each line start of a run of blank lines
// against the rest of it, and twice over here — minutes for 5,000 blank lines)
const USES = /^[^\S\r\n\u2028\u2029]*-?[^\S\r\n\u2028\u2029]*uses\s*:\s*["']?[\w.-]+\/[\w./-]*(ai|llm|gpt|claude|gemini|openai|anthropic|codex|copilot|ollama|mistral|bot)/im;
// An input named for a prompt (`prompt`, `direct_prompt`, `system-prompt`, `reviewPrompt`): model input whichever action takes it.
const PROMPT_INPUT = /^([\w-]*[_-])?prompt([_-][\w-]*)?$|^[a-z]\w*Prompt$/;
const PROMPT_INPUT_LINE = /^[^\S\r\n\u2028\u2029]*([\w-]*[_-])?prompt([_-][\w-]*)?\s*:|^[^\S\r\n\u2028\u2029]*[a-z]\w*Prompt\s*:/m;
const INPUT_ROLES: Readonly<Record<string, Role>> = {
  prompt: 'user', direct_prompt: 'user', override_prompt: 'user', user_prompt: 'user', 'user-prompt': 'user',
  custom_instructions: 'system', system_prompt: 'system', 'system-prompt': 'system', append_system_prompt: 'system', instructions: 'system',
};
const MODEL_INPUTS = ['model', 'anthropic_model', 'model_name', 'model-name'];
const SLOTS = ['mustache'] as const; // `${{ github.event.issue.body }}`

export function isWorkflowFile(name: string): boolean {
  return /(^|\/)\.github\/workflows\/[^/]+\.ya?ml$/.test(name) || /(^|\/)action\.ya?ml$/.test(name);
}

export function looksLikeModelWorkflow(name: string, text: string): boolean {
  return isWorkflowFile(name) && (USES.test(text) || (/^[^\S\r\n\u2028\u2029]*-?[^\S\r\n\u2028\u2029]*uses\s*:/m.test(text) && PROMPT_INPUT_LINE.test(text)) || looksLikePromptInputs(name, text));
}

// An action's own inputs (`action.yml`: `inputs: {system_message: {description, default: |}}`) whose
// defaults are the prompts the action's code sends when the workflow gives none: an input named for a
// prompt or a system message, or one its description says is a prompt or goes to a model.
const INPUT_NAMED = /^([\w-]*[_-])?(prompt|instructions?)([_-][\w-]*)?$|^[a-z]\w*(Prompt|Instructions?)$|^(system|user|developer)[_-]?(message|msg)$/i;
const INPUT_DESCRIBED = /\bprompts?\b|\bsystem (message|instructions?)\b|\binstructions? (for|to) (the )?(model|ai|llm|assistant|gpt|bot)\b|\b(sent|given|passed) to (the )?(openai|model|llm|gpt|chatgpt|claude|gemini|ai|assistant)\b/i;
const NOT_PROMPT_INPUT = /(^|[_-])(model|path|file|dir|url|endpoint|key|token|id|name|format|language|lang|max|temperature|timeout|count|limit|enabled?|disabled?)([_-]|$)|Model$|Path$|File$|Url$/i;
const MODEL_DEFAULT = /^[\w./:@-]+$/;
function looksLikePromptInputs(name: string, text: string): boolean {
  return /(^|\/)action\.ya?ml$/.test(name) && /^inputs\s*:/m.test(text) && /^[^\S\r\n\u2028\u2029]*\sdefault\s*:/m.test(text) && (/^[^\S\r\n\u2028\u2029]*\s[\w-]*(prompt|instructions?|message)[\w-]*\s*:/im.test(text) || INPUT_DESCRIBED.test(text));
}

/** The defaults of an action's prompt inputs: one prompt each, at the model an input's default names. */
export function readActionInputs(y: ParsedYaml): DetectedPrompt[] {
  const inputs = get(y.root, 'inputs');
  if (!isMap(inputs) || !get(y.root, 'runs')) return [];
  const entries = inputs.items.flatMap((pair) => {
    const key = str(pair.key as Node);
    return key !== undefined && isMap(pair.value) ? [{ key, input: pair.value as Node }] : [];
  });
  const modelEntry = entries.find((e) => /model/i.test(e.key) && MODEL_DEFAULT.test(str(get(e.input, 'default')) ?? ''));
  const model = modelEntry ? str(get(modelEntry.input, 'default')) : undefined;
  const limitEntry = entries.find((e) => /^max[_-]?(output[_-]?|completion[_-]?)?tokens$/i.test(e.key) && /^\d+$/.test(str(get(e.input, 'default')) ?? ''));
  const limit = limitEntry ? Number(str(get(limitEntry.input, 'default'))) : undefined;
  const actionName = str(get(y.root, 'name'));
  const out: DetectedPrompt[] = [];
  for (const { key, input } of entries) {
    const value = get(input, 'default');
    const text = str(value);
    const description = str(get(input, 'description')) ?? '';
    if (!value || text === undefined || NOT_PROMPT_INPUT.test(key) || !(INPUT_NAMED.test(key) || INPUT_DESCRIBED.test(description))) continue;
    // A sentence at least: `default: "true"`, a path or one word is a setting.
    if (text.replace(/\$\{\{[^}]*\}\}/g, ' ').trim().split(/\s+/).filter((w) => /[A-Za-z]{2}/.test(w)).length < 6) continue;
    const role: Role = /system|instruction/i.test(key) || /\bsystem (message|prompt|instructions?)\b/i.test(description) ? 'system' : 'user';
    out.push({
      kind: 'action-input', source: 'prompt-file', confidence: 'shape', range: nodeRange(y, input), parts: [yamlPart(role, y, value, ['mustache', 'single'], key)],
      label: `inputs.${key}`,
      model: model ? { id: model, from: 'file', range: nodeRange(y, get(modelEntry!.input, 'default')) } : undefined,
      ...(limit ? { outputTokens: { tokens: limit, from: `file:inputs.${limitEntry!.key}.default` } } : {}),
      notes: [`the default of ${actionName ? `${actionName}'s` : 'the action\'s'} input ${key}: the prompt its code sends when a workflow gives none`, ...(model ? [] : ['no model in the file: the default model is used'])],
    });
  }
  return out;
}

/** The action's `owner/name` without its ref or sub-path (`anthropics/claude-code-action@v1` → `anthropics/claude-code-action`). */
function actionName(uses: string): string {
  return uses.split('@')[0].split('/').slice(0, 2).join('/');
}

function stepPrompt(y: ParsedYaml, step: Node, label: string): DetectedPrompt | undefined {
  const uses = str(get(step, 'uses'));
  const inputs = get(step, 'with');
  if (!uses || !isMap(inputs)) return undefined;
  const name = actionName(uses);
  const known = KNOWN.find(([re]) => re.test(name))?.[1];
  const modelAction = !!known || MODEL_ACTION.test(name.split('/')[1] ?? '');
  const parts: PromptPart[] = [];
  for (const pair of inputs.items) {
    const key = str(pair.key as Node);
    // Another action's inputs count only where their name says prompt.
    const role = key === undefined ? undefined : modelAction ? own(INPUT_ROLES, key) : PROMPT_INPUT.test(key) ? (/system/i.test(key) ? 'system' : 'user') : undefined;
    const value = pair.value as Node | undefined;
    const text = str(value);
    // Two words at least: `prompt: ${{ inputs.prompt }}` is a pass-through, `prompt: prompts/review.md` a path.
    if (!role || !value || text === undefined || text.replace(/\$\{\{[^}]*\}\}/g, ' ').trim().split(/\s+/).filter((w) => /[A-Za-z]{2}/.test(w)).length < 2) continue;
    parts.push(yamlPart(role, y, value, SLOTS, key));
  }
  if (!parts.length) return undefined;
  const modelInput = MODEL_INPUTS.map((k) => get(inputs, k)).find((n) => str(n) !== undefined);
  const claudeArgs = /--model[\s=]+["']?([\w./:@-]+)/.exec(str(get(inputs, 'claude_args')) ?? '');
  const model = str(modelInput) ?? claudeArgs?.[1];
  const limit = num(get(inputs, 'max-tokens')) ?? num(get(inputs, 'max_tokens'));
  const stepName = str(get(step, 'name'));
  return {
    kind: 'workflow-action', source: 'prompt-file', confidence: known ? 'call' : 'shape', range: nodeRange(y, step), parts,
    label: stepName ? `${label} (${stepName})` : label, provider: known?.provider,
    model: model && /^[\w./:@-]+$/.test(model) ? { id: model, from: 'file', range: modelInput ? nodeRange(y, modelInput) : undefined }
      : known?.defaultModel ? { id: known.defaultModel, from: `default for ${name}` } : undefined,
    outputTokens: limit ? { tokens: limit, from: 'file:max-tokens' } : undefined,
    notes: [`the inputs this step gives ${name}; the action adds its own system prompt and the run's context, which are not counted`],
  };
}

export function readWorkflow(y: ParsedYaml): DetectedPrompt[] {
  const out: DetectedPrompt[] = [];
  const jobs = get(y.root, 'jobs');
  if (isMap(jobs)) {
    for (const pair of jobs.items) {
      const job = str(pair.key as Node) ?? '';
      seqItems(get(pair.value, 'steps')).forEach((step, i) => {
        const p = stepPrompt(y, step, `${job}.steps[${i}]`);
        if (p) out.push(p);
      });
    }
  }
  // A composite action's own steps.
  seqItems(get(get(y.root, 'runs'), 'steps')).forEach((step, i) => {
    const p = stepPrompt(y, step, `runs.steps[${i}]`);
    if (p) out.push(p);
  });
  return out;
}

export const workflowActionsReader: PromptFileReader = {
  format: 'workflow-action',
  matches: looksLikeModelWorkflow,
  read(text, ctx) {
    const parsed = parseYamlAt(text, 0, text.length, ctx, new LineIndex(text));
    if (!parsed.ok) return { prompts: [], diagnostics: parsed.diagnostics };
    return { prompts: [...readWorkflow(parsed.yaml), ...(/(^|\/)action\.ya?ml$/.test(ctx.file) ? readActionInputs(parsed.yaml) : [])], diagnostics: [] };
  },
};
