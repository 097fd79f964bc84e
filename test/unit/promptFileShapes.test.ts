// Prompt files and prompt-like config recognised by their shape, checked by inline markers over one
// scanned folder (test/fixtures/files/shapes): every `@prompt` found with its kind and role, nothing
// unmarked with static text, and `@not-prompt` lines (ordinary YAML, unreferenced text) left alone.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { scanWorkspace } from '../../src/core/workspace';
import { checkMarkers, foundParts, readMarkers } from '../markers';

const DIR = path.join(__dirname, '..', 'fixtures', 'files', 'shapes');

describe('prompt files by shape (marker fixtures)', () => {
  it('every marker found, nothing unmarked, no false positives', async () => {
    const report = await scanWorkspace({ root: DIR, workers: 0 });
    const all = fs.readdirSync(DIR, { recursive: true }).map(String).filter((f) => fs.statSync(path.join(DIR, f)).isFile()).map((f) => f.split(path.sep).join('/'));
    // Slot-only parts ({{history}}\n{{question}}) carry no static text: not a prompt literal to mark.
    const parts = foundParts(report).filter((p) => p.prompt.parts.find((x) => x.range.start.line === p.startLine && (x.file ?? p.prompt.file) === p.file)!.tokens > 0);
    const result = checkMarkers(readMarkers(DIR, all), parts);
    const problems = [
      ...result.missed.map((m) => `missed ${m.file}:${m.line + 1} ${m.kinds.join(',')} ${m.roles.join(',')}`),
      ...result.wrong.map((w) => `wrong ${w.marker.file}:${w.marker.line + 1}: ${w.why}`),
      ...result.unexpected.map((p) => `unexpected ${p.file}:${p.startLine + 1} ${p.prompt.kind} ${p.role}`),
      ...result.notPromptHits.map((h) => `not-prompt line ${h.marker.file}:${h.marker.line + 1} covered by ${h.part.prompt.kind} ${h.part.role}`),
    ];
    assert.deepStrictEqual(problems, []);
    assert.ok(result.expected >= 20, `the fixtures hold a real number of expectations (${result.expected})`);
  });
});
