// Claude Code's own prompt files in a project (https://docs.claude.com/en/docs/claude-code/sub-agents,
// …/slash-commands): a subagent, `.claude/agents/*.md` (frontmatter `name`, `description`, `tools`,
// `model`), whose body is that agent's system prompt; and a custom slash command,
// `.claude/commands/**/*.md` (frontmatter `description`, `allowed-tools`, `argument-hint`, `model`, all
// optional), whose body is sent as the user's request, `$ARGUMENTS` and `$1`… filled from what is typed
// after the command; and an output style, `.claude/output-styles/*.md` (frontmatter `name`,
// `description`, `keep-coding-instructions`; https://docs.claude.com/en/docs/claude-code/output-styles),
// whose body goes into Claude Code's system prompt in place of its software-engineering instructions.
// Claude Code writes the frontmatter loosely (a one-line `description` holding
// `user: '…'` example turns is no valid YAML), so it is read as `key: value` lines.
import type { DetectedPrompt } from '../../model';
import { LineIndex } from '../../text';
import { fileError, looseFrontmatter, verbatimPart, type PromptFileReader } from './common';

const AGENT_FILE = /(^|\/)\.claude\/agents\/(?:[^/]+\/)*[^/]+\.md$/;
const COMMAND_FILE = /(^|\/)\.claude\/commands\/(?:[^/]+\/)*[^/]+\.md$/;
const STYLE_FILE = /(^|\/)\.claude\/output-styles\/(?:[^/]+\/)*[^/]+\.md$/;
// Claude Code's model aliases (and `inherit`: the main conversation's model) name no fixed model.
const MODEL_ALIAS = /^(inherit|default|sonnet|opus|haiku|opusplan)(\[1m\])?$/i;
const BILLING_NOTE = 'Claude Code sends this text; with an API key it is billed at these token rates, on a Claude subscription by plan instead';

export function isClaudeCodeFile(name: string): boolean {
  return AGENT_FILE.test(name) || COMMAND_FILE.test(name) || STYLE_FILE.test(name);
}

export const claudeCodeReader: PromptFileReader = {
  format: 'claude-code',
  matches: isClaudeCodeFile,
  read(text, ctx) {
    const lines = new LineIndex(text);
    const style = STYLE_FILE.test(ctx.file);
    const agent = AGENT_FILE.test(ctx.file);
    const system = agent || style;
    const fm = looseFrontmatter(text);
    if (fm && 'open' in fm) return { prompts: [], diagnostics: [fileError(ctx, lines.range(fm.at, fm.at + 3), 'the frontmatter opened here is never closed with ---')] };
    // A subagent is defined by its frontmatter's `name`: other Markdown in the folder (a README) is none.
    if (agent && !fm?.fields.get('name')) return { prompts: [], diagnostics: [] };
    let s = fm ? fm.bodyStart : text.charCodeAt(0) === 0xfeff ? 1 : 0;
    let e = text.length;
    while (s < e && /\s/.test(text[s])) s++;
    while (e > s && /\s/.test(text[e - 1])) e--;
    if (e <= s) return { prompts: [], diagnostics: [] };
    const model = fm?.fields.get('model');
    const named = model && /^[\w./:@-]+$/.test(model) && !MODEL_ALIAS.test(model) ? model : undefined;
    const prompt: DetectedPrompt = {
      kind: style ? 'claude-code-output-style' : agent ? 'claude-code-agent' : 'claude-code-command', source: 'prompt-file', confidence: 'call', range: lines.range(0, text.length),
      parts: [verbatimPart(system ? 'system' : 'user', text, s, e, lines, system ? [] : ['arguments'])],
      provider: 'anthropic',
      model: named ? { id: named, from: 'file' } : undefined,
      notes: [
        style ? 'a Claude Code output style: its body is added to the system prompt of every turn in place of Claude Code\'s coding instructions, which are not counted'
          : agent ? 'a Claude Code subagent: its body is the subagent\'s system prompt; Claude Code adds its own context and tools, not counted' : 'a Claude Code slash command: its body is sent as the request, $ARGUMENTS filled from what follows the command; Claude Code adds its own system prompt and context, not counted',
        ...(named ? [] : [model ? `model: ${model} (a Claude Code alias, no fixed model): the default Anthropic model is used` : 'no model in the frontmatter: the default Anthropic model is used']),
        BILLING_NOTE,
      ],
    };
    return { prompts: [prompt], diagnostics: [] };
  },
};
