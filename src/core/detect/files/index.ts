// One reader per prompt-file format; the first whose `matches` accepts a file reads it. Order matters
// where formats share extensions: specific names first, then content-sniffed YAML shapes.
import { agentConfigReader, crewaiReader, roleFileReader } from './agentConfig';
import { claudeCodeReader, isClaudeCodeFile } from './claudeCode';
import { continuePromptReader } from './continuePrompt';
import { cursorRulesReader, isCursorRuleFile } from './cursorRules';
import { dotpromptReader } from './dotprompt';
import { githubModelsReader } from './githubModels';
import { httpRequestsReader } from './httpRequests';
import { messageTemplateReader } from './plainText';
import { promptfooReader } from './promptfoo';
import { flowTemplateReader, promptflowReader } from './promptflow';
import { isInstructionsFile, promptMdReader } from './promptMd';
import { promptyReader } from './prompty';
import { rubberduckReader } from './rubberduck';
import { semanticKernelReader } from './semanticKernel';
import { promptDataReader } from './structured';
import { skPromptDirReader } from './skPromptDir';
import { tomlPromptReader } from './toml';
import { workflowActionsReader } from './workflowActions';
import type { PromptFileReader } from './common';

export type { PromptFileReader, ReadContext, FileReadResult } from './common';
export { isBareTextPromptName, isPromptTextCandidate, isPromptNamedPath, isTextPromptName, promptFolderOf, readPromptText } from './plainText';

export const PROMPT_FILE_READERS: readonly PromptFileReader[] = [
  promptyReader,
  promptflowReader,
  promptMdReader,
  rubberduckReader,
  cursorRulesReader,
  claudeCodeReader,
  httpRequestsReader,
  workflowActionsReader,
  dotpromptReader,
  continuePromptReader,
  promptfooReader,
  githubModelsReader,
  semanticKernelReader,
  skPromptDirReader,
  crewaiReader,
  roleFileReader,
  promptDataReader,
  tomlPromptReader,
  agentConfigReader,
  flowTemplateReader,
  messageTemplateReader,
];

/** Names worth reading at all (before looking at content). */
export function mayBePromptFile(fileName: string): boolean {
  return /\.(prompty|prompt|prompt\.md|rdt\.md|ya?ml|hbs|handlebars|jinja2?|j2|liquid|json|jsonl|ndjson|http|rest|toml)$/.test(fileName) || /(^|\/)skprompt\.txt$/.test(fileName) || isInstructionsFile(fileName) || isCursorRuleFile(fileName) || isClaudeCodeFile(fileName);
}

export function readerFor(fileName: string, text: string): PromptFileReader | undefined {
  const base = fileName.split('/').pop() ?? fileName;
  if (base === '.promptcost.yaml') return undefined;
  return PROMPT_FILE_READERS.find((r) => r.matches(fileName, text));
}
