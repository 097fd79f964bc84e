// Prompt files that only the workspace as a whole shows to be prompts (a loader set up in one module, the
// folder named in another, the file names computed in a third), checked by inline markers: each folder of
// test/fixtures/files/workspaces is scanned as a workspace of its own, so one case's code is no evidence
// for another's files.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { scannedMarkerProblems } from '../markers';

const ROOT = path.join(__dirname, '..', 'fixtures', 'files', 'workspaces');

describe('prompt files by workspace evidence (marker fixtures, one workspace per folder)', () => {
  for (const name of fs.readdirSync(ROOT)) {
    it(`${name}: every marker found, nothing unmarked, no false positives`, async () => {
      const dir = path.join(ROOT, name);
      const { problems, expected } = await scannedMarkerProblems(dir);
      assert.deepStrictEqual(problems, []);
      assert.ok(expected >= 1, 'the case expects prompts');
    });
  }
});
