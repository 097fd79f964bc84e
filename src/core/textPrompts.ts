// Text prompts that code loads at run time: Markdown or text files under a prompt-named path
// (`prompts/summary.md`) are prompts when a code file of the workspace names them. Looked for after
// the scan's detection, only when such files exist, reading code until every name is seen.
import * as path from 'path';
import type { Detection, Engine } from './analyze';
import { langForFile } from './detect/code';
import { isPromptTextCandidate } from './detect/files';
import { readRecorded, type ScanInputs } from './scanManifest';

const baseName = (rel: string) => rel.slice(rel.lastIndexOf('/') + 1);

/** Detects the walked text files that code names; adds them to `detections` and to `files` (walk order). */
/** `inputs` receives every file read (the scan's stored report depends on them). */
export function addLoadedTextPrompts(root: string, walked: readonly string[], files: string[], detections: Map<string, Detection>, engine: Engine, inputs?: ScanInputs): void {
  const candidates = walked.filter((f) => isPromptTextCandidate(f) && !detections.has(f));
  if (!candidates.length) return;
  const wanted = new Set(candidates.map(baseName));
  const seen = new Set<string>();
  for (const rel of walked) {
    if (!wanted.size) break;
    if (!langForFile(rel)) continue;
    const read = readRecorded(path.join(root, rel), rel, inputs);
    if (!read.ok) continue;
    for (const name of wanted) {
      if (read.text.includes(name)) {
        seen.add(name);
        wanted.delete(name);
      }
    }
  }
  const loaded: string[] = [];
  for (const rel of candidates) {
    if (!seen.has(baseName(rel))) continue;
    const read = readRecorded(path.join(root, rel), rel, inputs);
    if (!read.ok) continue;
    const d = engine.detectSync(rel, read.text, { promptText: true });
    if (d.detected.length) {
      detections.set(rel, d);
      loaded.push(rel);
    }
  }
  if (!loaded.length) return;
  const order = new Map(walked.map((f, i) => [f, i] as const));
  const inFiles = new Set(files);
  files.push(...loaded.filter((f) => !inFiles.has(f)));
  files.sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
}
