// Writing what-ifs into .promptcost.yaml: a changed model or traffic becomes an override, by id for a
// prompt with an annotation id, else by the prompt's file path. Comments and layout of the rest of the
// file are kept (yaml's Document model); the caller applies the result as one undoable edit.
import { isMap, isSeq, parseDocument, type YAMLMap, type YAMLSeq } from 'yaml';

export interface OverrideWrite {
  id: string;
  file: string;
  model?: string;
  callsPerDay?: number;
  /** Where the prompt's model and calls per day come from now (an override cannot beat the code or an annotation). */
  modelFrom?: string;
  trafficFrom?: string;
}

export interface OverrideEditResult {
  text: string;
  /** Overrides added or updated. */
  written: number;
  /** Prompts whose change was not written: another prompt of the same file asked for a different value. */
  conflicts: string[];
  /** Changes not written because the code or an annotation sets that value (it wins over .promptcost.yaml). */
  shadowed: { id: string; field: 'model' | 'callsPerDay'; from: string }[];
}

/** Origins that rank above .promptcost.yaml overrides (see config/resolve.ts): the code, a prompt file, an annotation. */
function beatsOverrides(from: string | undefined): boolean {
  return from !== undefined && (from === 'literal' || from === 'file' || from.startsWith('annotation'));
}

/** An id given by an annotation (not the `file:line` the report makes up): overridable by id. */
function annotationId(w: OverrideWrite): boolean {
  return !w.id.startsWith(`${w.file}:`);
}

/** Glob characters in a file name are escaped, so the path override matches that file only. */
const literalGlob = (file: string) => file.replace(/[*?[\]{}()!]/g, (c) => `\\${c}`);

export function writeOverrides(text: string | undefined, writes: OverrideWrite[], file = '.promptcost.yaml'): OverrideEditResult {
  const doc = parseDocument(text ?? '');
  if (doc.errors.length) {
    throw new Error(`${file} has a YAML error (${doc.errors[0].message.split('\n')[0]}); fix it before writing overrides`);
  }
  if (!isMap(doc.contents)) {
    if (doc.contents && !(text ?? '').trim().startsWith('#') && (text ?? '').trim()) throw new Error(`${file} is not a mapping; expected keys such as defaults: and overrides:`);
    doc.contents = doc.createNode({}) as unknown as typeof doc.contents;
  }
  let seq = doc.get('overrides', true) as YAMLSeq | undefined;
  if (!isSeq(seq)) {
    seq = doc.createNode([]) as YAMLSeq;
    doc.set('overrides', seq);
  }
  // One override per target: by id, or by path (every prompt of the file must want the same values).
  const targets = new Map<string, { key: 'id' | 'path'; value: string; model?: string; callsPerDay?: number }>();
  const conflicts: string[] = [];
  const shadowed: OverrideEditResult['shadowed'] = [];
  for (const original of writes) {
    const w = { ...original };
    if (w.model && beatsOverrides(w.modelFrom)) {
      shadowed.push({ id: w.id, field: 'model', from: w.modelFrom! });
      delete w.model;
    }
    if (w.callsPerDay !== undefined && beatsOverrides(w.trafficFrom)) {
      shadowed.push({ id: w.id, field: 'callsPerDay', from: w.trafficFrom! });
      delete w.callsPerDay;
    }
    if (!w.model && w.callsPerDay === undefined) continue;
    const byId = annotationId(w);
    const k = byId ? `id\0${w.id}` : `path\0${w.file}`;
    const t = targets.get(k);
    if (!t) {
      targets.set(k, { key: byId ? 'id' : 'path', value: byId ? w.id : literalGlob(w.file), ...(w.model ? { model: w.model } : {}), ...(w.callsPerDay !== undefined ? { callsPerDay: w.callsPerDay } : {}) });
    } else if (t.model !== w.model || t.callsPerDay !== w.callsPerDay) conflicts.push(w.id);
  }
  for (const t of targets.values()) {
    const existing = seq.items.find((item): item is YAMLMap => isMap(item) && item.get(t.key) === t.value && (t.key === 'id' || !item.has('id')));
    const target = existing ?? (doc.createNode({ [t.key]: t.value }) as YAMLMap);
    if (t.model) target.set('model', t.model);
    if (t.callsPerDay !== undefined) target.set('callsPerDay', t.callsPerDay);
    if (!existing) seq.add(target);
  }
  if (!targets.size) return { text: text ?? '', written: 0, conflicts, shadowed };
  return { text: doc.toString(), written: targets.size, conflicts, shadowed };
}

/** The smallest single replacement turning `before` into `after` (offsets into `before`). */
export function minimalEdit(before: string, after: string): { start: number; end: number; newText: string } {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let tail = 0;
  while (tail < before.length - start && tail < after.length - start && before[before.length - 1 - tail] === after[after.length - 1 - tail]) tail++;
  return { start, end: before.length - tail, newText: after.slice(start, after.length - tail) };
}
