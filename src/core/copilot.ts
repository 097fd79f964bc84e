// Editor assistants' own files — Copilot's (`.prompt.md`, instructions, custom agents) and Cursor's
// rules (`.cursor/rules/*.mdc`, `.cursorrules`) — are priced like any prompt, at the model's API rates,
// but their users pay per seat, plan or premium request: every report that shows their figure says what
// it means (the hover's note, the tables' †, the report panel's tooltip).

/** The prompt kinds of Copilot files (detect/files/promptMd.ts). */
export function isCopilotKind(kind: string): boolean {
  return kind === 'vscode-prompt' || kind === 'vscode-instructions';
}

/** The prompt kind of Cursor rules (detect/files/cursorRules.ts). */
export function isCursorKind(kind: string): boolean {
  return kind === 'cursor-rule';
}

export const COPILOT_PRICING_NOTE = 'priced at the model\'s API rates, as if this text were sent through the provider\'s API: Copilot itself bills per seat and premium request, not per token, so this is not your Copilot bill';
export const CURSOR_PRICING_NOTE = 'priced at the model\'s API rates, as if this text were sent through the provider\'s API: Cursor itself bills by plan and request, not per token, so this is not your Cursor bill';

/** What the figure of an editor assistant's file means; undefined for every other kind. */
export function assistantPricingNote(kind: string): string | undefined {
  return isCopilotKind(kind) ? COPILOT_PRICING_NOTE : isCursorKind(kind) ? CURSOR_PRICING_NOTE : undefined;
}
