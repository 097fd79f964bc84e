// Inline annotations in a comment on or just above a prompt:
//   // prompt-cost: callsPerDay=5000 model=gpt-4o-mini outputTokens=300 id=summarize
import type { Range } from '../model';
import { NUMBER_LIMITS, numberProblem, parseDecimal, type NumberField } from '../numbers';
import { LineIndex } from '../text';
import type { SourcedTraffic } from './types';

export interface Annotation {
  line: number;
  id?: string;
  traffic: SourcedTraffic;
  problems: { message: string; range: Range }[];
}

const MARKER = /prompt-cost:\s*(.*)$/;

export function parseAnnotations(text: string): Annotation[] {
  if (!text.includes('prompt-cost:')) return [];
  const lines = new LineIndex(text);
  const found: Annotation[] = [];
  for (let line = 0; line < lines.lineCount; line++) {
    const lineText = lines.lineText(line);
    const m = MARKER.exec(lineText);
    if (!m) continue;
    const from = `annotation:${line + 1}`;
    const a: Annotation = { line, traffic: {}, problems: [] };
    const bodyStart = lineText.length - m[1].length;
    // Stop at a comment closer so `<!-- prompt-cost: … -->` and `/* … */` work too.
    const body = m[1].replace(/\s*(-->|\*\/|#}|--}}|}})\s*$/, '');
    for (const tok of body.matchAll(/(\S+?)=(\S*)/g)) {
      const [, key, raw] = tok;
      const at = bodyStart + (tok.index ?? 0);
      const range = { start: { line, character: at }, end: { line, character: at + tok[0].length } };
      const where = `prompt-cost annotation on line ${line + 1}`;
      if (raw === '') a.problems.push({ range, message: `${where}: ${key}= has no value (write ${key}=VALUE with no space after =)` });
      else if (key === 'id') a.id = raw;
      else if (key === 'model') a.traffic.model = { value: raw, from };
      else if (Object.prototype.hasOwnProperty.call(NUMBER_LIMITS, key) && key !== 'model') {
        const field = key as NumberField;
        const value = parseDecimal(raw);
        const problem = value === undefined ? `must be a decimal number, got "${raw}"` : numberProblem(field, value);
        if (problem === undefined) (a.traffic as Record<string, unknown>)[key] = { value, from };
        else a.problems.push({ range, message: `${where}: ${key}=${raw}: ${key} ${problem}` });
      } else {
        a.problems.push({ range, message: `${where}: unknown key "${key}" (expected id, model, callsPerDay, outputTokens, cacheHitRate, daysPerMonth)` });
      }
    }
    found.push(a);
  }
  return found;
}

/**
 * The annotation that belongs to a prompt starting on `startLine`: one on that line or within the two
 * lines above it; else one on or just above where its text is written in this file (`partLines`: a
 * constant several calls send gives its annotation to each of them); or, for a file that holds a single
 * prompt, one anywhere in the file.
 */
export function annotationFor(annotations: Annotation[], startLine: number, endLine: number, wholeFile: boolean, partLines: readonly number[] = []): Annotation | undefined {
  const above = (line: number) => {
    let best: Annotation | undefined;
    for (const a of annotations) if (a.line <= line && a.line >= line - 2 && (!best || a.line > best.line)) best = a;
    return best;
  };
  const atCall = above(startLine);
  if (atCall) return atCall;
  for (const line of partLines) {
    const atText = above(line);
    if (atText) return atText;
  }
  if (wholeFile) return annotations[0];
  return annotations.find((a) => a.line >= startLine && a.line <= Math.min(endLine, startLine + 1));
}
