// Inline expectation markers in fixture files, checked against what detection finds:
//   `@prompt KIND[,KIND] ROLE[,ROLE] [model=ID] [output=N]` — a part with that kind and role starts on this line;
//   `@not-prompt` — no part covers this line.
// Shared by the generic fixture test and `npm run eval:detect`.
import * as fs from 'fs';
import * as path from 'path';
import type { PromptReport, ScanReport } from '../src/core/model';
import { scanWorkspace } from '../src/core/workspace';

export interface Marker { file: string; line: number; kind: 'prompt' | 'not-prompt'; kinds: string[]; roles: string[]; model?: string; output?: number }

export function readMarkers(root: string, files: string[]): Marker[] {
  const out: Marker[] = [];
  for (const file of files) {
    const lines = fs.readFileSync(path.join(root, file), 'utf8').split('\n');
    lines.forEach((text, line) => {
      for (const m of text.matchAll(/@prompt\s+([\w.,-]+)\s+([\w,]+)((?:\s+\w+=\S+)*)/g)) {
        const opts = Object.fromEntries([...m[3].matchAll(/(\w+)=(\S+)/g)].map((o) => [o[1], o[2]]));
        out.push({ file, line, kind: 'prompt', kinds: m[1].split(','), roles: m[2].split(','), model: opts.model, output: opts.output ? Number(opts.output) : undefined });
      }
      if (/@not-prompt\b/.test(text)) out.push({ file, line, kind: 'not-prompt', kinds: [], roles: [] });
    });
  }
  return out;
}

export interface FoundPart { file: string; startLine: number; endLine: number; role: string; prompt: PromptReport }

export function foundParts(report: ScanReport): FoundPart[] {
  return report.prompts.flatMap((p) => p.parts.map((part) => ({ file: part.file ?? p.file, startLine: part.range.start.line, endLine: part.range.end.line, role: part.role, prompt: p })));
}

export interface MarkerResult {
  missed: Marker[];
  wrong: { marker: Marker; why: string }[];
  unexpected: FoundPart[];
  notPromptHits: { marker: Marker; part: FoundPart }[];
  expected: number;
  found: number;
  truePositives: number;
}

export function checkMarkers(markers: Marker[], parts: FoundPart[]): MarkerResult {
  const expected = markers.filter((m) => m.kind === 'prompt');
  const missed: Marker[] = [];
  const wrong: MarkerResult['wrong'] = [];
  const matched = new Set<FoundPart>();
  for (const m of expected) {
    const here = parts.filter((p) => p.file === m.file && p.startLine === m.line);
    const fit = here.filter((p) => m.kinds.includes(p.prompt.kind) && m.roles.includes(p.role));
    if (!fit.length) {
      if (here.length) wrong.push({ marker: m, why: `found ${here.map((p) => `${p.prompt.kind} ${p.role}`).join(', ')}` });
      else missed.push(m);
      continue;
    }
    fit.forEach((p) => matched.add(p));
    if (m.model && !fit.some((p) => p.prompt.model.id === m.model)) wrong.push({ marker: m, why: `model ${fit.map((p) => p.prompt.model.id).join(', ')} (expected ${m.model})` });
    if (m.output !== undefined && !fit.some((p) => p.prompt.tokens.output === m.output)) wrong.push({ marker: m, why: `output ${fit.map((p) => p.prompt.tokens.output).join(', ')} (expected ${m.output})` });
  }
  const unexpected = parts.filter((p) => !matched.has(p));
  const notPromptHits = markers.filter((m) => m.kind === 'not-prompt')
    .flatMap((m) => parts.filter((p) => p.file === m.file && p.startLine <= m.line && m.line <= p.endLine).map((part) => ({ marker: m, part })));
  return { missed, wrong, unexpected, notPromptHits, expected: expected.length, found: parts.length, truePositives: expected.length - missed.length - wrong.filter((w) => !w.why.startsWith('model') && !w.why.startsWith('output')).length };
}

/**
 * Scans `dir` as a workspace and lists every marker problem (missed, wrong, unexpected, a `@not-prompt`
 * line covered), with the number of expectations. Slot-only parts ({{history}}\n{{question}}) carry no
 * static text: not a prompt literal to mark.
 */
export async function scannedMarkerProblems(dir: string): Promise<{ problems: string[]; expected: number }> {
  const report = await scanWorkspace({ root: dir, workers: 0 });
  const all = fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => fs.statSync(path.join(dir, f)).isFile()).map((f) => f.split(path.sep).join('/'));
  const parts = foundParts(report).filter((p) => p.prompt.parts.find((x) => x.range.start.line === p.startLine && (x.file ?? p.prompt.file) === p.file)!.tokens > 0);
  const result = checkMarkers(readMarkers(dir, all), parts);
  const problems = [
    ...result.missed.map((m) => `missed ${m.file}:${m.line + 1} ${m.kinds.join(',')} ${m.roles.join(',')}`),
    ...result.wrong.map((w) => `wrong ${w.marker.file}:${w.marker.line + 1}: ${w.why}`),
    ...result.unexpected.map((p) => `unexpected ${p.file}:${p.startLine + 1} ${p.prompt.kind} ${p.role}`),
    ...result.notPromptHits.map((h) => `not-prompt line ${h.marker.file}:${h.marker.line + 1} covered by ${h.part.prompt.kind} ${h.part.role}`),
  ];
  return { problems, expected: result.expected };
}
