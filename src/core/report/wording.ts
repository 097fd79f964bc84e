// Words the hover and `explain` share about where two figures come from: the chat overhead (a
// published formula only for OpenAI) and an output taken from the call's max_tokens (a ceiling).
import type { PromptReport } from '../model';
import { OUTPUT_LIMIT_KEYS } from '../detect/shared';

/** The prompt's own text (parts, chat overhead) is an exact count, whatever its tools, schema or media are. */
export function textExact(p: PromptReport): boolean {
  return p.tokens.exact || !!p.tokens.textExact;
}

/**
 * Why the input is an estimate, part by part: the text (an approximate tokenizer: the family's factor)
 * and each extra counted by an estimated method. "" when it is exact.
 */
export function estimateReason(p: PromptReport): string {
  if (p.tokens.exact) return '';
  const extras = ([['tools', p.tools], ['output schema', p.schema], ['images and files', p.media]] as const).filter(([, x]) => x && !x.exact).map(([name]) => name);
  const parts = [...(textExact(p) ? [] : [`the text (${p.tokens.encoding} × the model family's factor)`]), ...extras.map((x) => `the ${x} part`)];
  const list = parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}` : parts[0] ?? `the text (${p.tokens.encoding} × the model family's factor)`;
  return textExact(p) ? `estimate only in ${list} (the text is exact, ${p.tokens.encoding})` : `estimate: ${list}`;
}

const COOKBOOK = 'OpenAI cookbook num_tokens_from_messages: 3 per message + its role (+1 and the name for a name) + 3 priming the reply';

/** Where the chat formatting overhead comes from, for this prompt's provider. */
export function overheadSource(p: PromptReport): string {
  const provider = p.model.provider;
  if (!provider || provider === 'openai' || provider === 'azure') return COOKBOOK;
  // Anthropic, Google and the others publish no per-message overhead: OpenAI's formula stands in for it.
  return `estimate: ${provider} publishes no per-message overhead, so OpenAI's formula stands in for it (openai-cookbook num_tokens_from_messages: 3 per message + its role + 3 priming the reply)${textExact(p) ? '' : ", scaled by the model family's factor"}`;
}

/** The output limit field the output was taken from (`max_tokens`), when it was one. */
export function outputLimitField(p: PromptReport): string | undefined {
  const m = /^(?:code|file):([\w.]+)$/.exec(p.tokens.outputFrom);
  const field = m?.[1].split('.').pop();
  return field && (OUTPUT_LIMIT_KEYS as readonly string[]).includes(field) ? field : undefined;
}

/**
 * Where an annotation setting `key=N` goes for this prompt, in the file's own comment syntax: `//` above
 * a JS/TS call, `#` above a Python one, a `#` comment line in a YAML prompt file (the front matter of a
 * .prompty or .prompt). A prompt file with no comment syntax of its own (a .txt or .md text, whose
 * comment would be prompt text) is set by an override in .promptcost.yaml instead (it writes no limit
 * of its own for an annotation to outrank).
 */
export function annotationHint(p: PromptReport, key = 'outputTokens'): string {
  const file = p.file.toLowerCase();
  const override = `an override in .promptcost.yaml (\`overrides: [{ path: "${p.file}", ${key}: N }]\`)`;
  if (/\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/.test(file)) return `a \`// prompt-cost: ${key}=N\` annotation on the line above the call`;
  if (/\.(py|pyi|ipynb)$/.test(file)) return `a \`# prompt-cost: ${key}=N\` annotation on the line above the call`;
  if (/\.(prompty|prompt)$/.test(file)) return `a \`# prompt-cost: ${key}=N\` comment line in the file's front matter (between the \`---\` lines)`;
  if (/\.ya?ml$/.test(file)) return `a \`# prompt-cost: ${key}=N\` comment line in the file (just above the prompt when it holds several)`;
  return override;
}

/** "from code:max_tokens", or for a limit: "up to max_tokens 300 — a ceiling; …how to say what to expect". */
export function outputSource(p: PromptReport): string {
  const field = outputLimitField(p);
  if (!field) return `from ${p.tokens.outputFrom}`;
  return `up to ${field} ${p.tokens.output} (the limit, priced as if every reply used it) — set the expected output with ${annotationHint(p)} (it ranks above max_tokens)`;
}
