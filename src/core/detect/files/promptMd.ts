// VS Code prompt files (.prompt.md): optional frontmatter (description, mode/agent, model, tools), then a
// Markdown body sent as the user's request with ${input:name}, ${selection}, ${file} … variables.
// Its siblings are model input too, as instructions Copilot adds to requests: `*.instructions.md`
// (frontmatter `applyTo`), `.github/copilot-instructions.md` (every request), and custom agents /
// chat modes (`*.agent.md`, `*.chatmode.md`: the body is the agent's instructions). Per VS Code's docs
// (https://code.visualstudio.com/docs/copilot/customization/custom-instructions, …/prompt-files,
// …/custom-agents). AGENTS.md, CLAUDE.md and other free Markdown are not read: nothing in them marks
// them as a request's text for this workspace's product rather than a coding tool's notes.
// Copilot names models by display name ("GPT-4o (copilot)", "Claude Sonnet 4"): normalised to ids.
import type { DetectedPrompt } from '../../model';
import { LineIndex } from '../../text';
import { COPILOT_PRICING_NOTE } from '../../copilot';
import { get, parseYamlAt, splitFrontmatter, str, verbatimPart, type PromptFileReader } from './common';

export function copilotModelId(display: string): string {
  return display.replace(/\s*\((copilot|preview)\)\s*/gi, ' ').trim().toLowerCase().replace(/\s+/g, '-');
}

/** Copilot instructions and custom agents: text VS Code adds to chat requests as instructions. */
export function isInstructionsFile(name: string): boolean {
  return /\.(instructions|agent|chatmode)\.md$/.test(name) || /(^|\/)\.github\/copilot-instructions\.md$/.test(name);
}

export const promptMdReader: PromptFileReader = {
  format: 'vscode-prompt',
  matches: (name) => name.endsWith('.prompt.md') || isInstructionsFile(name),
  read(text, ctx) {
    const lines = new LineIndex(text);
    const instructions = isInstructionsFile(ctx.file);
    const fm = splitFrontmatter(text);
    let bodyStart = 0;
    let model: string | undefined;
    if (fm) {
      const parsed = parseYamlAt(text, fm.yamlStart, fm.yamlEnd, ctx, lines);
      if (!parsed.ok) return { prompts: [], diagnostics: parsed.diagnostics };
      const m = get(parsed.yaml.root, 'model');
      // `model` may be one name or a list of fallbacks; the first is the one used.
      model = str(m) ?? (m && Array.isArray(m.toJSON()) ? String((m.toJSON() as unknown[])[0]) : undefined);
      bodyStart = fm.bodyStart;
    }
    let s = bodyStart;
    let e = text.length;
    while (s < e && /\s/.test(text[s])) s++;
    while (e > s && /\s/.test(text[e - 1])) e--;
    if (e <= s) return { prompts: [], diagnostics: [] };
    const prompt: DetectedPrompt = {
      kind: instructions ? 'vscode-instructions' : 'vscode-prompt', source: 'prompt-file', confidence: 'call', range: lines.range(0, text.length),
      parts: [verbatimPart(instructions ? 'system' : 'user', text, s, e, lines, ['vscode', 'mustache'])],
      model: model ? { id: copilotModelId(model), from: 'file' } : undefined,
      notes: [
        ...(model ? [] : ['no model in the frontmatter: the default model is used']),
        instructions ? 'instructions VS Code adds to Copilot chat requests (every request, or those whose files match applyTo); only this file\'s text is counted' : 'Copilot adds its own system prompt and context; only this file\'s text is counted',
        COPILOT_PRICING_NOTE,
      ],
    };
    return { prompts: [prompt], diagnostics: [] };
  },
};
