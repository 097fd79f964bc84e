// Prompt files that only the workspace as a whole shows to be prompts (a loader set up in one module, the
// folder named in another, the file names computed in a third), checked by inline markers: each folder of
// test/fixtures/files/workspaces is scanned as a workspace of its own, so one case's code is no evidence
// for another's files.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { scanWorkspace } from '../../src/core/workspace';
import { checkMarkers, foundParts, readMarkers } from '../markers';

const ROOT = path.join(__dirname, '..', 'fixtures', 'files', 'workspaces');

describe('prompt files by workspace evidence (marker fixtures, one workspace per folder)', () => {
  for (const name of fs.readdirSync(ROOT)) {
    it(`${name}: every marker found, nothing unmarked, no false positives`, async () => {
      const dir = path.join(ROOT, name);
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
      assert.deepStrictEqual(problems, []);
      assert.ok(result.expected >= 1, 'the case expects prompts');
    });
  }
});
