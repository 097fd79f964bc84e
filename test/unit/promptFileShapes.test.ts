// Prompt files and prompt-like config recognised by their shape, checked by inline markers over one
// scanned folder (test/fixtures/files/shapes): every `@prompt` found with its kind and role, nothing
// unmarked with static text, and `@not-prompt` lines (ordinary YAML, unreferenced text) left alone.
import * as assert from 'assert';
import * as path from 'path';
import { scannedMarkerProblems } from '../markers';

const DIR = path.join(__dirname, '..', 'fixtures', 'files', 'shapes');

describe('prompt files by shape (marker fixtures)', () => {
  it('every marker found, nothing unmarked, no false positives', async () => {
    const { problems, expected } = await scannedMarkerProblems(DIR);
    assert.deepStrictEqual(problems, []);
    assert.ok(expected >= 20, `the fixtures hold a real number of expectations (${expected})`);
  });
});
