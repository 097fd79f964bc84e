// One generic test over every code fixture: each `@prompt` marker must be found with its kind and role
// (and model/output where given), nothing else may be found, and `@not-prompt` lines stay clean.
import * as assert from 'assert';
import * as path from 'path';
import { scanWorkspace } from '../../src/core/workspace';
import { checkMarkers, foundParts, readMarkers } from '../markers';

const ROOT = path.join(__dirname, '..', 'fixtures', 'code');

describe('code detection fixtures', () => {
  for (const lang of ['ts', 'py']) {
    it(`${lang}: every marker found, nothing unmarked, no false positives`, async () => {
      const dir = path.join(ROOT, lang);
      const report = await scanWorkspace({ root: dir, workers: 0 });
      const files = [...new Set(report.prompts.map((p) => p.file).concat(report.prompts.flatMap((p) => p.parts.map((x) => x.file ?? p.file))))];
      const fs = await import('fs');
      // JSON files too: code imports them, and their markers sit in their strings (JSON has no comments)
      const all = fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => /\.(ts|mts|js|mjs|py|json)$/.test(f)).map((f) => f.split(path.sep).join('/'));
      const result = checkMarkers(readMarkers(dir, [...new Set([...files, ...all])]), foundParts(report));
      const problems = [
        ...result.missed.map((m) => `missed ${m.file}:${m.line + 1} ${m.kinds.join(',')} ${m.roles.join(',')}`),
        ...result.wrong.map((w) => `wrong ${w.marker.file}:${w.marker.line + 1}: ${w.why}`),
        ...result.unexpected.map((p) => `unexpected ${p.file}:${p.startLine + 1} ${p.prompt.kind} ${p.role}`),
        ...result.notPromptHits.map((h) => `not-prompt line ${h.marker.file}:${h.marker.line + 1} covered by ${h.part.prompt.kind} ${h.part.role}`),
      ];
      assert.deepStrictEqual(problems, []);
      assert.ok(result.expected > 20, 'the fixtures hold a real number of expectations');
    });
  }
});
