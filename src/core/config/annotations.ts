// Inline annotations in a comment on or just above a prompt:
//   // prompt-cost: callsPerDay=5000 model=gpt-4o-mini outputTokens=300 id=summarize
import type { Range } from '../model';
import { LineIndex } from '../text';
import type { SourcedTraffic } from './types';

export interface Annotation {
  line: number;
  id?: string;
  traffic: SourcedTraffic;
  problems: { message: string; range: Range }[];
}

const MARKER = /prompt-cost:\s*(.*)$/;
const NUMERIC = { callsPerDay: 'number', outputTokens: 'integer', cacheHitRate: 'rate', daysPerMonth: 'number' } as const;

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
    for (const tok of body.matchAll(/(\S+?)=(\S+)/g)) {
      const [, key, raw] = tok;
      const at = bodyStart + (tok.index ?? 0);
      const range = { start: { line, character: at }, end: { line, character: at + tok[0].length } };
      if (key === 'id') a.id = raw;
      else if (key === 'model') a.traffic.model = { value: raw, from };
      else if (Object.prototype.hasOwnProperty.call(NUMERIC, key)) {
        const kind = NUMERIC[key as keyof typeof NUMERIC];
        const value = Number(raw.replace(/_/g, ''));
        const ok = Number.isFinite(value) && value >= 0 && (kind !== 'integer' || Number.isInteger(value)) && (kind !== 'rate' || value <= 1);
        if (ok) (a.traffic as Record<string, unknown>)[key] = { value, from };
        else a.problems.push({ range, message: `prompt-cost annotation on line ${line + 1}: ${key}=${raw} is not a valid ${kind === 'rate' ? 'rate between 0 and 1' : kind === 'integer' ? 'whole number' : 'number'}` });
      } else {
        a.problems.push({ range, message: `prompt-cost annotation on line ${line + 1}: unknown key "${key}" (expected id, model, callsPerDay, outputTokens, cacheHitRate, daysPerMonth)` });
      }
    }
    found.push(a);
  }
  return found;
}

/**
 * The annotation that belongs to a prompt starting on `startLine`: one on that line or within the two
 * lines above it; or, for a file that holds a single prompt, one anywhere in the file.
 */
export function annotationFor(annotations: Annotation[], startLine: number, endLine: number, wholeFile: boolean): Annotation | undefined {
  let best: Annotation | undefined;
  for (const a of annotations) {
    if (a.line <= startLine && a.line >= startLine - 2 && (!best || a.line > best.line)) best = a;
  }
  if (best) return best;
  if (wholeFile) return annotations[0];
  return annotations.find((a) => a.line >= startLine && a.line <= Math.min(endLine, startLine + 1));
}
