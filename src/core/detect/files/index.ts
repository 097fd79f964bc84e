// One reader per prompt-file format; the first whose `matches` accepts a file reads it. Order matters
// where formats share extensions: specific names first, then content-sniffed YAML shapes.
import { dotpromptReader } from './dotprompt';
import { githubModelsReader } from './githubModels';
import { promptfooReader } from './promptfoo';
import { promptMdReader } from './promptMd';
import { promptyReader } from './prompty';
import { semanticKernelReader } from './semanticKernel';
import type { PromptFileReader } from './common';

export type { PromptFileReader, ReadContext, FileReadResult } from './common';

export const PROMPT_FILE_READERS: readonly PromptFileReader[] = [
  promptyReader,
  promptMdReader,
  dotpromptReader,
  promptfooReader,
  githubModelsReader,
  semanticKernelReader,
];

/** Names worth reading at all (before looking at content). */
export function mayBePromptFile(fileName: string): boolean {
  return /\.(prompty|prompt|prompt\.md|ya?ml)$/.test(fileName);
}

export function readerFor(fileName: string, text: string): PromptFileReader | undefined {
  const base = fileName.split('/').pop() ?? fileName;
  if (base === '.promptcost.yaml') return undefined;
  return PROMPT_FILE_READERS.find((r) => r.matches(fileName, text));
}
