// Template variables kept in a file beside a prompt template (`template.yaml` + `template-vars.yaml`,
// `prompt.prompty` + `inputs.json`): a YAML or JSON map whose keys are all slots of one template in the
// same folder fills those slots, so its text values are parts of that prompt where they are written
// (the slots then count nothing: their text is those parts), as test vars are for promptfoo.
import * as path from 'path';
import { isMap, isScalar, type Node } from 'yaml';
import type { Detection } from './analyze';
import type { DetectedPrompt, PromptPart } from './model';
import { LineIndex } from './text';
import { parseYamlAt, yamlPart } from './detect/files/common';
import { readRecorded, type ScanInputs } from './scanManifest';

const DATA_NAME = /\.(ya?ml|json)$/i;
const dirOf = (rel: string) => rel.slice(0, rel.lastIndexOf('/') + 1);

/** The slot names of a prompt's parts that have static text, with the role of the part each is in. */
function slotRoles(p: DetectedPrompt): Map<string, PromptPart['role']> {
  const out = new Map<string, PromptPart['role']>();
  for (const part of p.parts) for (const s of part.slots) if (!out.has(s.name)) out.set(s.name, part.role);
  return out;
}

/** Adds the values of vars files to the prompt-file templates beside them (in `detections`, replaced, not mutated). */
export function addTemplateVars(root: string, walked: readonly string[], detections: Map<string, Detection>, inputs?: ScanInputs, folders?: (dirs: string[]) => void): void {
  // Folders holding a prompt file whose prompt has slots.
  const templates = new Map<string, { file: string; index: number; slots: Map<string, PromptPart['role']> }[]>();
  for (const [file, d] of detections) {
    d.detected.forEach((p, index) => {
      if (p.source !== 'prompt-file' || p.parts.some((x) => x.file)) return;
      const slots = slotRoles(p);
      if (!slots.size) return;
      const list = templates.get(dirOf(file)) ?? [];
      list.push({ file, index, slots });
      templates.set(dirOf(file), list);
    });
  }
  // The folders a vars file may fill a template in (a side derived from another checks its changes there).
  folders?.([...templates.keys()]);
  if (!templates.size) return;
  for (const rel of walked) {
    const here = templates.get(dirOf(rel));
    if (!here || !DATA_NAME.test(rel) || detections.get(rel)?.detected.length) continue;
    const read = readRecorded(path.join(root, rel), rel, inputs);
    if (!read.ok || read.text.length > 100_000) continue;
    const parsed = parseYamlAt(read.text, 0, read.text.length, { file: rel }, new LineIndex(read.text));
    if (!parsed.ok || !isMap(parsed.yaml.root)) continue;
    const pairs = parsed.yaml.root.items;
    const keys = pairs.map((p) => (isScalar(p.key) ? String(p.key.value) : undefined));
    // Every key a slot of the one template: a map of other settings that shares a name is no vars file.
    const target = here.find((t) => keys.length > 0 && keys.every((k) => k !== undefined && t.slots.has(k)));
    if (!target) continue;
    const added: PromptPart[] = [];
    const inlined: string[] = [];
    pairs.forEach((pair, i) => {
      const value = pair.value as Node | undefined;
      if (!value || !isScalar(value) || typeof value.value !== 'string' || !/\S/.test(value.value)) return;
      added.push({ ...yamlPart(target.slots.get(keys[i]!)!, parsed.yaml, value, [], keys[i]), file: rel });
      inlined.push(keys[i]!);
    });
    if (!added.length) continue;
    const d = detections.get(target.file)!;
    const p = d.detected[target.index];
    const samples = { ...(p.slotSamples ?? {}) };
    for (const name of inlined) samples[name] = { text: '', from: `${rel} (counted as its own part)` };
    const filled: DetectedPrompt = { ...p, parts: [...p.parts, ...added], slotSamples: samples, notes: [...(p.notes ?? []), `slots filled from ${rel}`] };
    detections.set(target.file, { ...d, detected: d.detected.map((x, i) => (i === target.index ? filled : x)) });
  }
}
