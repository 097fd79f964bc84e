// Copilot's own files (`.prompt.md`, instructions, custom agents) are priced like any prompt, at the
// model's API rates, but a Copilot user pays per seat and premium request: every report that shows
// their figure says what it means (the hover's note, the tables' †, the report panel's tooltip).

/** The prompt kinds of Copilot files (detect/files/promptMd.ts). */
export function isCopilotKind(kind: string): boolean {
  return kind === 'vscode-prompt' || kind === 'vscode-instructions';
}

export const COPILOT_PRICING_NOTE = 'priced at the model\'s API rates, as if this text were sent through the provider\'s API: Copilot itself bills per seat and premium request, not per token, so this is not your Copilot bill';
