import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { contributedConfiguration, DEFAULT_SETTINGS, SETTINGS, settingsTraffic, toSettings } from '../../src/core/settings';

describe('settings', () => {
  it('package.json contributes.configuration is generated from src/core/settings.ts (run `npm run settings:generate`)', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
    assert.deepStrictEqual(pkg.contributes.configuration, contributedConfiguration());
  });

  it('every setting the typed view reads is declared, and the defaults come from the declarations', () => {
    assert.strictEqual(DEFAULT_SETTINGS.defaultModel, SETTINGS.defaultModel.default);
    assert.strictEqual(DEFAULT_SETTINGS.traffic.callsPerDay, SETTINGS['traffic.callsPerDay'].default);
    assert.strictEqual(DEFAULT_SETTINGS.inline, 'codeLens');
    assert.strictEqual(DEFAULT_SETTINGS.debounceMs, SETTINGS.debounceMs.default);
  });

  it('an unset cache hit rate stays unset, so the engine derives it from traffic', () => {
    assert.strictEqual(DEFAULT_SETTINGS.traffic.cacheHitRate, null);
    assert.strictEqual(settingsTraffic(DEFAULT_SETTINGS).cacheHitRate, undefined);
    assert.deepStrictEqual(settingsTraffic(toSettings({ traffic: { cacheHitRate: 0.8 } })).cacheHitRate, { value: 0.8, from: 'setting promptCost.traffic.cacheHitRate' });
  });

  it('invalid values fall back to the defaults, valid ones are kept', () => {
    const s = toSettings({ defaultModel: '', traffic: { callsPerDay: -5, cacheHitRate: 0.4, daysPerMonth: 90 }, inline: 'sideways', severity: { 'unpriced-model': 'off', x: 'loud' }, heuristics: false });
    assert.strictEqual(s.defaultModel, 'gpt-4o-mini');
    assert.strictEqual(s.traffic.callsPerDay, 1000);
    assert.strictEqual(s.traffic.cacheHitRate, 0.4);
    assert.strictEqual(s.traffic.daysPerMonth, 30);
    assert.strictEqual(s.inline, 'codeLens');
    assert.deepStrictEqual(s.severity, { 'unpriced-model': 'off' });
    assert.strictEqual(s.heuristics, false);
  });
});
