// The README's references against what the code reads: every top-level field of the config schema is in
// the `.promptcost.yaml` example, and every row of the settings table is a `promptCost.*` setting the
// extension contributes (a config field listed as a setting does nothing there).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';

const ROOT = path.join(__dirname, '..', '..');
const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

describe('README: configuration and settings references', () => {
  it('the .promptcost.yaml example has every top-level field of schemas/promptcost.schema.json, and no other', () => {
    const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'schemas', 'promptcost.schema.json'), 'utf8'));
    const section = readme.slice(readme.indexOf('## Configuration: `.promptcost.yaml`'));
    const example = /```yaml\n([^]*?)```/.exec(section)![1];
    assert.deepStrictEqual(Object.keys(parse(example)).sort(), Object.keys(schema.properties).sort());
  });

  it('each setting in the settings table is one package.json contributes', () => {
    const contributed = Object.keys(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).contributes.configuration.properties);
    const table = readme.slice(readme.indexOf('Settings (all under `promptCost.`'));
    const rows = table.slice(0, table.indexOf('\n\n', table.indexOf('|---'))).split('\n').filter((l) => l.startsWith('| `'));
    assert.ok(rows.length >= 10, `${rows.length} rows`);
    for (const row of rows) {
      for (const [, name] of row.split('|')[1].matchAll(/`([^`]+)`/g)) {
        const full = `promptCost.${name}`;
        assert.ok(contributed.includes(full) || contributed.some((c) => c.startsWith(`${full}.`)), `${full} (README settings table) is not a setting package.json contributes`);
      }
    }
  });
});
